// node --import tsx kernel/cli/tunedNode.ts kernel/convkan/bench/benchFilterGrad.ts [--threads=N] [--reps=N]
// The conv2d filter gradient on wasm three ways, round-robin in one run: the tfjs-op form (a forward
// XNNPACK convolution over transposed tensors, ops/conv2dGrads.ts), the wasm SIMD kernel
// (ops/conv2dFilterGradWasm.ts) on the main thread alone, and the kernel with its taps split over the
// wasm threads (ops/wasm/wasmThreadPool.ts; the same as the main thread alone at --threads=1). The filter
// gradient alone on ConvKAN2D's basis convolution, then forward+backward (gradients w.r.t. input and
// weights) of conv2d, ConvKAN2D (B-spline) and KACN (Chebyshev degree 3), on shapes (a)–(d), batch 32,
// wall clock; prints medians with p10/p90, the speed-ups, max |Δ| between the tfjs-op form's and the
// kernel's gradients, and whether the threaded kernel's gradients equal the main-thread ones bit for bit.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/initBackend';
import { ConvKAN2D } from '../layers/convKan2d';
import { withWasmFilterGrad } from '../ops/conv2dFilterGradWasm';
import { withSerialParallelFor } from '../ops/wasm/wasmThreadPool';
import { conv2dFilterGrad } from '../ops/conv2dGrads';
import { groupedConv2d } from '../ops/groupedConv2d';
import { BasisConvKAN2D } from '../variants/basisConvKan2d';
import { formatSpread, measureInterleavedAsync, timedWall } from './measure';
import { loadAverage } from './runMeta';
import { describeShape, GRID_SIZE, KERNEL, LAYER_SHAPES, PADDING, SPLINE_ORDER } from './layerShapes';
import { positiveIntFlag } from './positiveIntFlag';

const flag = (name: string, fallback: number) => positiveIntFlag('benchFilterGrad', name, fallback);

interface Candidate {
  name: string;
  /** The candidate's gradients (filter gradient alone: one tensor), not disposed. */
  gradients: () => tf.Tensor[];
  dispose: () => void;
}

/** Forward+backward of mean(y²) w.r.t. every trainable. */
function trainingStep(forward: () => tf.Tensor, trainables: tf.Variable[]): () => tf.Tensor[] {
  return () => {
    const { grads } = tf.variableGrads(() => tf.mean(tf.square(forward())) as tf.Scalar, trainables);
    return trainables.map((v) => grads[v.name]!);
  };
}

function gradients(c: Candidate): Float32Array[] {
  return tf.tidy(() => c.gradients().map((g) => g.dataSync() as Float32Array));
}

function maxRelDelta(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((ga, k) => {
    const gb = b[k]!;
    let scale = 0;
    for (let i = 0; i < gb.length; i++) scale = Math.max(scale, Math.abs(gb[i]!));
    for (let i = 0; i < ga.length; i++) worst = Math.max(worst, Math.abs(ga[i]! - gb[i]!) / (scale || 1));
  });
  return worst;
}

function sameBitsAll(a: Float32Array[], b: Float32Array[]): boolean {
  return a.every((ga, k) => {
    const gb = b[k]!;
    return (
      ga.length === gb.length &&
      Buffer.compare(Buffer.from(ga.buffer, ga.byteOffset, ga.byteLength), Buffer.from(gb.buffer, gb.byteOffset, gb.byteLength)) === 0
    );
  });
}

function candidates(s: (typeof LAYER_SHAPES)[number], batch: number): Candidate[] {
  const x = tf.variable(tf.randomNormal([batch, s.size, s.size, s.inChannels], 0, 0.7, 'float32', 1), true, `fg_bench_x_${s.id}`);
  const w = tf.variable(
    tf.randomNormal([KERNEL, KERNEL, s.inChannels / s.groups, s.outChannels], 0, 0.1, 'float32', 2),
    true,
    `fg_bench_w_${s.id}`,
  );
  const layerArgs = { filters: s.outChannels, kernelSize: KERNEL, padding: PADDING, groups: s.groups, seed: 5 };
  const fromLayer = (name: string, layer: ConvKAN2D | BasisConvKAN2D): Candidate => {
    layer.apply(tf.zeros([1, s.size, s.size, s.inChannels]));
    return {
      name,
      gradients: trainingStep(() => layer.apply(x) as tf.Tensor, [x, ...layer.trainableWeights.map((v) => v.read() as tf.Variable)]),
      dispose: () => layer.dispose(),
    };
  };
  const pad: [[number, number], [number, number]] = [
    [PADDING, PADDING],
    [PADDING, PADDING],
  ];
  // the filter gradient alone for ConvKAN2D's one convolution: 9·Cin basis channels ([SiLU, B_0 … B_7] per channel)
  const basisIn = 9 * s.inChannels;
  const bx = tf.randomNormal([batch, s.size, s.size, basisIn], 0, 0.5, 'float32', 3) as tf.Tensor4D;
  const bdy = tf.randomNormal([batch, s.size, s.size, s.outChannels], 0, 0.5, 'float32', 4) as tf.Tensor4D;
  const fShape: [number, number, number, number] = [KERNEL, KERNEL, basisIn / s.groups, s.outChannels / s.groups];
  return [
    {
      name: `filter gradient alone, ${basisIn}→${s.outChannels} channels`,
      gradients: () => {
        const xs = tf.split(bx, s.groups, 3) as tf.Tensor4D[];
        const dys = tf.split(bdy, s.groups, 3) as tf.Tensor4D[];
        return xs.map((xg, g) => conv2dFilterGrad(xg, dys[g]!, fShape, [1, 1], [1, 1], pad));
      },
      dispose: () => tf.dispose([bx, bdy]),
    },
    {
      name: 'conv2d',
      gradients: trainingStep(
        () =>
          groupedConv2d(x as unknown as tf.Tensor4D, w as unknown as tf.Tensor4D, {
            strides: [1, 1],
            dilations: [1, 1],
            groups: s.groups,
            padding: pad,
          }),
        [x, w],
      ),
      dispose: () => tf.dispose([x, w]),
    },
    fromLayer('ConvKAN2D', new ConvKAN2D({ ...layerArgs, inChannels: s.inChannels, gridSize: GRID_SIZE, splineOrder: SPLINE_ORDER })),
    fromLayer('KACN', new BasisConvKAN2D({ ...layerArgs, basis: 'chebyshev', degree: 3, useBase: false })),
  ];
}

async function main(): Promise<void> {
  const threads = flag('threads', 1);
  const reps = flag('reps', 10);
  const batch = 32;
  const info = await initBackend({
    prefer: 'wasm',
    env: { ...process.env, CONVKAN_BACKEND: 'wasm', CONVKAN_WASM_THREADS: String(threads) },
  });
  console.log(
    `${info.label}: forward+backward, tfjs-op filter gradient → wasm kernel (main thread) → wasm kernel (all threads), ` +
      `${reps} runs each, round-robin; load ${loadAverage()}`,
  );
  for (const s of LAYER_SHAPES) {
    const cs = candidates(s, batch);
    for (const c of cs) {
      const threaded = withWasmFilterGrad(true, () => gradients(c));
      const delta = maxRelDelta(
        threaded,
        withWasmFilterGrad(false, () => gradients(c)),
      );
      const sameBits = sameBitsAll(
        threaded,
        withSerialParallelFor(() => withWasmFilterGrad(true, () => gradients(c))),
      );
      const step = (on: boolean, mainOnly: boolean) =>
        timedWall(() => {
          const run = () =>
            withWasmFilterGrad(on, () =>
              tf.tidy(() => {
                for (const g of c.gradients()) g.dataSync();
              }),
            );
          if (mainOnly) withSerialParallelFor(run);
          else run();
        });
      const [before, main1, all] = await measureInterleavedAsync([step(false, false), step(true, true), step(true, false)], reps);
      console.log(
        `(${s.id}) ${describeShape(s)} ${c.name}: tfjs ops ${formatSpread(before!)}; wasm kernel, main thread ${formatSpread(main1!)}; ` +
          `wasm kernel, ${threads} thread${threads === 1 ? '' : 's'} ${formatSpread(all!)}; ` +
          `kernel (${threads} thread${threads === 1 ? '' : 's'}) ${(before!.median / all!.median).toFixed(2)}× faster than tfjs ops, ` +
          `${(main1!.median / all!.median).toFixed(2)}× faster than on the main thread; ` +
          `max |Δ| ${delta.toExponential(1)} of the largest gradient; threads = main thread bit for bit: ${sameBits ? 'yes' : 'NO'}`,
      );
    }
    for (const c of cs.reverse()) c.dispose();
  }
  console.log(`load ${loadAverage()}`);
}

void main();
