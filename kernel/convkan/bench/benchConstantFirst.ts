// node --import tsx kernel/cli/tunedNode.ts kernel/convkan/bench/benchConstantFirst.ts [--threads=N] [--reps=N]
// torch-conv-kan's KACN (Chebyshev degree 3) against our KACN two ways, round-robin in one run:
// the full basis convolution over C·(d + 1) channels (P_0's channels convolved like the others)
// and the layer's own path (P_0 folded into a constant, ops/constantFirstConv.ts). Shapes
// (a)–(d), batch 32, forward and forward+backward (gradients w.r.t. input and filter), wall
// clock; prints medians, p10/p90, the ratio torch ÷ ours for both, and max |Δ| between the two outputs.
import * as tf from '@tensorflow/tfjs';
import { BACKEND_ENV } from '../backend/backendChoices';
import { initBackend, WASM_THREADS_ENV } from '../backend/initBackend';
import { padInput } from '../conv/padInput';
import { groupedConv2d } from '../ops/groupedConv2d';
import { BasisConvKAN2D } from '../variants/basisConvKan2d';
import { formatSpread, measureInterleavedAsync, timedWall } from './measure';
import { loadAverage } from './runMeta';
import { CHEBYSHEV_DEGREE, KERNEL, LAYER_SHAPES, PADDING } from './layerShapes';
import { findTorchPython, TORCH_INSTALL_HINT, TorchServer, torchSetupMessage } from './torchBridge';
import { positiveIntFlag } from './positiveIntFlag';

const flag = (name: string, fallback: number) => positiveIntFlag('benchConstantFirst', name, fallback);

async function main(): Promise<void> {
  const threads = flag('threads', 1);
  const reps = flag('reps', 10);
  const batch = 32;
  const python = findTorchPython();
  if (!python) return console.log(TORCH_INSTALL_HINT);
  const info = await initBackend({
    prefer: 'wasm',
    env: { ...process.env, [BACKEND_ENV]: 'wasm', [WASM_THREADS_ENV]: String(threads) },
  });
  const torch = new TorchServer(python, threads);
  try {
    console.log(`${info.label} vs torch KACN (${threads} threads), ${reps} runs each, round-robin; load ${loadAverage()}`);
    for (const s of LAYER_SHAPES) {
      await torch.request(torchSetupMessage(s, batch));
      const x = tf.variable(tf.randomNormal([batch, s.size, s.size, s.inChannels], 0, 0.7, 'float32', 1), true, 'constant_first_bench_x');
      const layer = new BasisConvKAN2D({
        filters: s.outChannels,
        kernelSize: KERNEL,
        padding: PADDING,
        groups: s.groups,
        basis: 'chebyshev',
        degree: CHEBYSHEV_DEGREE,
        useBase: false,
        useBias: false,
        seed: 5,
      });
      layer.apply(tf.zeros([1, s.size, s.size, s.inChannels]));
      const w = layer.trainableWeights[0]!.read() as tf.Variable;
      const opts = { strides: [1, 1] as [number, number], dilations: [1, 1] as [number, number], groups: s.groups };
      const now = () => layer.apply(x) as tf.Tensor;
      const full = () =>
        groupedConv2d(
          layer.basis.expand(
            padInput(
              x as unknown as tf.Tensor4D,
              [
                [PADDING, PADDING],
                [PADDING, PADDING],
              ],
              'zeros',
            ),
          ) as tf.Tensor4D,
          w as unknown as tf.Tensor4D,
          opts,
        );
      const delta = tf.tidy(() => tf.max(tf.abs(tf.sub(now(), full()))).dataSync()[0] as number);
      for (const phase of ['forward', 'forward+backward'] as const) {
        const run = (f: () => tf.Tensor) =>
          timedWall(
            phase === 'forward'
              ? () =>
                  tf.tidy(() => {
                    f().dataSync();
                  })
              : () =>
                  tf.tidy(() => {
                    const { grads } = tf.variableGrads(() => tf.mean(tf.square(f())) as tf.Scalar, [x, w]);
                    for (const g of Object.values(grads)) g.dataSync();
                  }),
          );
        const [t, before, after] = await measureInterleavedAsync([() => torch.time('kacn', phase), run(full), run(now)], reps);
        const ratio = (ours: number) => (t!.median / ours).toFixed(2);
        console.log(
          `(${s.id}) ${phase}: torch ${formatSpread(t!)}; full basis ${formatSpread(before!)}; ` +
            `P_0 folded ${formatSpread(after!)}; torch÷ours ${ratio(before!.median)} → ${ratio(after!.median)}; ` +
            `max |Δ| ${delta.toExponential(1)}`,
        );
      }
      x.dispose();
      layer.dispose();
    }
    console.log(`load ${loadAverage()}`);
  } finally {
    torch.close();
  }
}

void main();
