// efficient-kan's update_grid on the host: new knots per feature from the data, then a
// least-squares refit of the spline coefficients on the samples so the spline part is kept.
import { adaptiveKnots } from '../bases/knots';
import { bsplineMatrix } from '../bases/bsplineValues';
import { lstsqBatched } from '../linalg/householderLstsq';
import * as tf from '@tensorflow/tfjs';
import type { KanDims } from './weightLayout';
import { scaledSpline, type KanTensors } from './kanMath';
import type { GridRefitMode } from './kanLinear';

export interface GridRefitInput {
  /** [M, F] samples, F = kH·kW·Cin features ordered (kernel row, kernel column, channel) */
  samples: Float32Array;
  rows: number;
  dims: KanDims;
  gridSize: number;
  splineOrder: number;
  /** [F, nKnots] (our grid layout flattened) */
  knots: Float32Array;
  /** [kH, kW, Cg, nBases, Cout]: the coefficients whose curves must be reproduced */
  coefficients: Float32Array;
  margin: number;
  gridEps: number;
}

export interface GridRefit {
  knots: Float32Array; // [F, nKnots]
  spline: Float32Array; // [kH, kW, Cg, nBases, Cout]
}

/**
 * efficient-kan fits lstsq(A_new, S_old·Cᵀ) per feature; we fit the nBases×nBases transfer
 * matrix T = lstsq(A_new, S_old) once and apply it to every output's coefficients (T·c). The
 * minimum-norm solution is linear in the right-hand side, so this is the same answer without
 * the (M, F, out) tensor — memory stays O(M·nBases) per feature.
 */
export function refitForNewGrid(inp: GridRefitInput): GridRefit {
  const { rows: M, gridSize, splineOrder: order } = inp;
  const { groups, outPerGroup: og, inPerGroup: cg, kh, kw } = inp.dims;
  const cin = groups * cg;
  const cout = groups * og;
  const F = kh * kw * cin;
  const nk = gridSize + 2 * order + 1;
  const nb = gridSize + order;
  const knots = new Float32Array(F * nk);
  const spline = new Float32Array(inp.coefficients.length);
  const column = new Float64Array(M);
  for (let f = 0; f < F; f++) {
    for (let m = 0; m < M; m++) column[m] = inp.samples[m * F + f];
    const oldBases = bsplineMatrix(column, inp.knots, f * nk, nk, order); // [M, nb]
    const sorted = Float64Array.from(column).sort();
    // Knots are stored in float32 like the layer's grid; fit against exactly those.
    const newKnots = Float32Array.from(adaptiveKnots(sorted, gridSize, order, inp.margin, inp.gridEps));
    knots.set(newKnots, f * nk);
    const newBases = bsplineMatrix(column, newKnots, 0, nk, order); // [M, nb]
    const { solution: T } = lstsqBatched(newBases, oldBases, 1, M, nb, nb); // [nb, nb]
    const tap = Math.floor(f / cin);
    const c = f % cin;
    const g = Math.floor(c / cg);
    const row = (tap * cg + (c % cg)) * nb * cout; // start of this feature's [nb, Cout] block
    for (let co = g * og; co < (g + 1) * og; co++) {
      for (let j = 0; j < nb; j++) {
        let s = 0;
        for (let l = 0; l < nb; l++) s += T[j * nb + l] * inp.coefficients[row + l * cout + co];
        spline[row + j * cout + co] = s;
      }
    }
  }
  return { knots, spline };
}

/** What a layer hands over for a grid update: its weights, basis settings and the two variables written. */
export interface GridUpdateTarget {
  dims: KanDims;
  basis: { gridSize: number; splineOrder: number; gridEps: number };
  tensors: KanTensors;
  grid: tf.LayerVariable;
  splineWeight: tf.LayerVariable;
}

/**
 * The shared tail of ConvKAN2D/KANLinear.updateGrid: refit on the [rows, F] samples and write the
 * new knots and spline weights. 'preserve' fits the unscaled curves (the layer's function is
 * kept); 'efficient-kan' fits the scaled ones, as efficient-kan does.
 */
export function updateLayerGrid(target: GridUpdateTarget, samples: Float32Array, rows: number, refit: GridRefitMode, margin: number): void {
  const { tensors: w } = target;
  const coefficients = refit === 'preserve' ? w.spline : scaledSpline(w);
  const result = refitForNewGrid({
    samples,
    rows,
    dims: target.dims,
    gridSize: target.basis.gridSize,
    splineOrder: target.basis.splineOrder,
    knots: w.knots.dataSync() as Float32Array,
    coefficients: coefficients.dataSync() as Float32Array,
    margin,
    gridEps: target.basis.gridEps,
  });
  target.grid.write(tf.tensor(result.knots, target.grid.shape as number[]));
  target.splineWeight.write(tf.tensor(result.spline, target.splineWeight.shape as number[]));
}
