// node --import tsx kernel/cli/tunedNode.ts kernel/convkan/bench/benchSparseConv.ts [--threads=N] [--reps=N]
// ConvKAN2D (B-spline, grid 5) on wasm two ways, round-robin in one run: the dense expanded path
// (basis [SiLU, B_0 … B_7] per channel, then XNNPACK's convolution) and the sparse kernel
// (ops/sparseBsplineConv2d.ts: 5 of the 9 filter rows per value). Forward at batch 32 and 1, and
// forward+backward (gradients w.r.t. input and weights) at batch 32, on shapes (a)–(d), wall clock;
// prints medians with p10/p90, the speed-up, and max |Δ| between the two ways' outputs.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/initBackend';
import { ConvKAN2D } from '../layers/convKan2d';
import { withSparseBsplineConv } from '../ops/sparseBsplineConv2d';
import { formatSpread, measureInterleavedAsync, timedWall } from './measure';
import { loadAverage } from './runMeta';
import { describeShape, GRID_SIZE, KERNEL, LAYER_SHAPES, PADDING, SPLINE_ORDER } from './layerShapes';
import { positiveIntFlag } from './positiveIntFlag';

const flag = (name: string, fallback: number) => positiveIntFlag('benchSparseConv', name, fallback);

function maxRelDelta(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / (scale || 1);
}

async function main(): Promise<void> {
  const threads = flag('threads', 1);
  const reps = flag('reps', 10);
  const info = await initBackend({
    prefer: 'wasm',
    env: { ...process.env, CONVKAN_BACKEND: 'wasm', CONVKAN_WASM_THREADS: String(threads) },
  });
  console.log(`${info.label}: ConvKAN2D dense → sparse kernel, ${reps} runs each, round-robin, wall clock; load ${loadAverage()}`);
  for (const s of LAYER_SHAPES) {
    const layer = new ConvKAN2D({
      filters: s.outChannels,
      kernelSize: KERNEL,
      padding: PADDING,
      groups: s.groups,
      inChannels: s.inChannels,
      gridSize: GRID_SIZE,
      splineOrder: SPLINE_ORDER,
      seed: 5,
    });
    for (const [batch, phase] of [
      [32, 'forward'],
      [1, 'forward'],
      [32, 'forward+backward'],
    ] as const) {
      const x = tf.variable(tf.randomNormal([batch, s.size, s.size, s.inChannels], 0, 0.7, 'float32', 1), true);
      layer.apply(x);
      const trainables = [x, ...layer.trainableWeights.map((v) => v.read() as tf.Variable)];
      const run = () =>
        tf.tidy(() => {
          if (phase === 'forward') return void (layer.apply(x) as tf.Tensor).dataSync();
          const { grads } = tf.variableGrads(() => tf.mean(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, trainables);
          for (const g of Object.values(grads)) g.dataSync();
        });
      const output = (on: boolean) =>
        withSparseBsplineConv(on, () => tf.tidy(() => (layer.apply(x) as tf.Tensor).dataSync() as Float32Array));
      const delta = maxRelDelta(output(true), output(false));
      const step = (on: boolean) => timedWall(() => withSparseBsplineConv(on, run));
      const [dense, sparse] = await measureInterleavedAsync([step(false), step(true)], reps);
      console.log(
        `(${s.id}) ${describeShape(s)} batch ${batch} ${phase}: dense ${formatSpread(dense!)}; sparse ${formatSpread(sparse!)}; ` +
          `${(dense!.median / sparse!.median).toFixed(2)}× faster; outputs differ by ≤ ${delta.toExponential(1)} of the largest`,
      );
      x.dispose();
    }
    layer.dispose();
  }
  console.log(`load ${loadAverage()}`);
}

void main();
