// efficient-kan's reset_parameters: kaiming-uniform base weight and spline scaler, spline
// weights fitted (least squares) to small noise at the grid knots. Seeded through tfjs' own
// seeded uniform generator, so a given seed gives the same layer on every backend.
import * as tf from '@tensorflow/tfjs';
import { basisCount, interiorKnots, uniformKnots } from '../bases/knots';
import { bsplineMatrix } from '../bases/bsplineValues';
import { lstsqBatched } from '../linalg/householderLstsq';
import { edgeWeightsFromTorch, type KanDims } from './weightLayout';

export interface KanInitOptions extends KanDims {
  gridSize: number;
  splineOrder: number;
  gridRange: [number, number];
  scaleNoise: number;
  scaleBase: number;
  scaleSpline: number;
  enableStandaloneScaleSpline: boolean;
  seed?: number;
}

/** In our layout (weightLayout.ts). */
export interface KanInitialValues {
  base: Float32Array; // [kH, kW, Cg, Cout]
  spline: Float32Array; // [kH, kW, Cg, nBases, Cout]
  scaler: Float32Array | null; // [kH, kW, Cg, Cout]
}

/** torch.nn.init.kaiming_uniform_(w, a): bound = sqrt(2 / (1 + a²)) · sqrt(3 / fanIn). */
export function kaimingUniformBound(a: number, fanIn: number): number {
  return Math.sqrt(2 / (1 + a * a)) * Math.sqrt(3 / fanIn);
}

export function initialKanValues(o: KanInitOptions): KanInitialValues {
  const { groups: G, outPerGroup: Og, gridSize, splineOrder: order } = o;
  const inDim = o.inPerGroup * o.kh * o.kw; // features per group, torch order (channel, row, column)
  const F = G * inDim;
  const nb = basisCount(gridSize, order);
  const seedAt = (k: number) => (o.seed == null ? undefined : o.seed + k);
  const uniform = (n: number, bound: number, k: number) => {
    const t = tf.randomUniform([n], -bound, bound, 'float32', seedAt(k));
    const v = t.dataSync() as Float32Array;
    t.dispose();
    return v;
  };
  const base = uniform(G * Og * inDim, kaimingUniformBound(Math.sqrt(5) * o.scaleBase, inDim), 0);
  // Noise (gridSize + 1, F, Og) in [−½, ½)·scaleNoise/gridSize at the interior knots.
  const noise = uniform((gridSize + 1) * F * Og, 0.5, 1).map((v) => (v * o.scaleNoise) / gridSize);
  // Every feature starts on the same knots, so one system with F·Og right-hand sides is enough.
  const knots = uniformKnots(gridSize, order, o.gridRange);
  const samples = interiorKnots(knots, order);
  const A = bsplineMatrix(samples, knots, 0, knots.length, order); // [gridSize+1, nb]
  const { solution } = lstsqBatched(A, noise, 1, gridSize + 1, nb, F * Og); // [nb, F·Og]
  const factor = o.enableStandaloneScaleSpline ? 1 : o.scaleSpline;
  const spline = new Float32Array(G * Og * inDim * nb); // torch layout [G, Og, inDim, nb] first
  for (let g = 0; g < G; g++)
    for (let og = 0; og < Og; og++)
      for (let i = 0; i < inDim; i++)
        for (let j = 0; j < nb; j++)
          spline[((g * Og + og) * inDim + i) * nb + j] = factor * solution[j * F * Og + (g * inDim + i) * Og + og];
  const scaler = o.enableStandaloneScaleSpline
    ? uniform(G * Og * inDim, kaimingUniformBound(Math.sqrt(5) * o.scaleSpline, inDim), 2)
    : null;
  return {
    base: edgeWeightsFromTorch(base, o),
    spline: edgeWeightsFromTorch(spline, o, nb),
    scaler: scaler ? edgeWeightsFromTorch(scaler, o) : null,
  };
}
