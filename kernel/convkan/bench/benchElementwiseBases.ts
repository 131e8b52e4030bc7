// node --import tsx kernel/cli/tunedNode.ts kernel/convkan/bench/benchElementwiseBases.ts [--threads=N] [--reps=N]
//   [--bases=rbf,reluKan,…] [--shapes=a,b,…]
// The fused rbf, reluKan, bernstein and wavelet bases (ops/elementwiseBasis.ts) against their
// composite of tfjs ops (withCompositeBases), round-robin in one run on the wasm backend with N
// threads: BasisConvKAN2D (each family's default settings) forward and forward+backward
// (gradients w.r.t. input and weights) on the shapes of bench:layers, batch 32, and the basis
// alone (expand of the padded input). Wall clock; prints medians, p10/p90, composite ÷ fused, and
// the load average before and after.
import * as tf from '@tensorflow/tfjs';
import { BACKEND_ENV } from '../backend/backendChoices';
import { initBackend, WASM_THREADS_ENV } from '../backend/initBackend';
import { withCompositeBases } from '../ops/elementwiseBasis';
import { BasisConvKAN2D } from '../variants/basisConvKan2d';
import type { BasisName } from '../bases/registry';
import { formatSpread, measureInterleaved } from './measure';
import { loadAverage } from './runMeta';
import { KERNEL, LAYER_SHAPES, PADDING } from './layerShapes';
import { positiveIntFlag } from './positiveIntFlag';

const FAMILIES: readonly BasisName[] = ['rbf', 'reluKan', 'bernstein', 'mexicanHat', 'morlet', 'dog'];

const flag = (name: string, fallback: number) => positiveIntFlag('benchElementwiseBases', name, fallback);

function list(name: string, all: readonly string[]): string[] {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (!arg) return [...all];
  const items = arg.slice(name.length + 3).split(',');
  const bad = items.find((i) => !all.includes(i));
  if (bad !== undefined)
    throw new Error(`benchElementwiseBases: --${name} must list names from ${all.join(', ')}, but got ${JSON.stringify(bad)}.`);
  return items;
}

async function main(): Promise<void> {
  const threads = flag('threads', 1);
  const reps = flag('reps', 5);
  const bases = list('bases', FAMILIES) as BasisName[];
  const shapes = list(
    'shapes',
    LAYER_SHAPES.map((s) => s.id),
  );
  const batch = 32;
  const info = await initBackend({ prefer: 'wasm', env: { ...process.env, [BACKEND_ENV]: 'wasm', [WASM_THREADS_ENV]: String(threads) } });
  console.log(`${info.label}: composite of tfjs ops vs fused kernel, ${reps} runs each, round-robin, wall clock; load ${loadAverage()}`);
  for (const basis of bases) {
    for (const s of LAYER_SHAPES.filter((l) => shapes.includes(l.id))) {
      const x = tf.variable(tf.randomNormal([batch, s.size, s.size, s.inChannels], 0, 0.7, 'float32', 1), true, 'elementwise_bench_x');
      const xp = tf.randomNormal([batch, s.size + 2 * PADDING, s.size + 2 * PADDING, s.inChannels], 0, 0.7, 'float32', 2);
      const layer = new BasisConvKAN2D({
        filters: s.outChannels,
        kernelSize: KERNEL,
        padding: PADDING,
        groups: s.groups,
        basis,
        seed: 5,
      });
      tf.dispose(layer.apply(tf.zeros([1, s.size, s.size, s.inChannels])) as tf.Tensor);
      const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
      const phases: Record<string, () => void> = {
        basis: () => tf.tidy(() => void layer.basis.expand(xp).dataSync()),
        forward: () => tf.tidy(() => void (layer.apply(x) as tf.Tensor).dataSync()),
        'forward+backward': () =>
          tf.tidy(() => {
            const { grads } = tf.variableGrads(() => tf.mean(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, vars);
            for (const g of Object.values(grads)) g.dataSync();
          }),
      };
      for (const [phase, run] of Object.entries(phases)) {
        const [composite, fused] = measureInterleaved([() => withCompositeBases(run), run], reps);
        console.log(
          `${basis} (${s.id}) ${phase}: composite ${formatSpread(composite!)}; fused ${formatSpread(fused!)}; ` +
            `composite÷fused ${(composite!.median / fused!.median).toFixed(2)}`,
        );
      }
      x.dispose();
      xp.dispose();
      layer.dispose();
    }
  }
  console.log(`load ${loadAverage()}`);
}

void main();
