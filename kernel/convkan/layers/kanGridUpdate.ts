// efficient-kan's update_grid on the host: new knots per feature from the data, then a
// least-squares refit of the spline coefficients on the samples so the spline part is kept.
import { adaptiveKnots } from '../bases/knots';
import { bsplineMatrix } from '../bases/bsplineValues';
import { lstsqBatched } from '../linalg/householderLstsq';

export interface GridRefitInput {
  /** [M, F] samples, F = G·inDim features */
  samples: Float32Array;
  rows: number;
  groups: number;
  outPerGroup: number;
  inDim: number;
  gridSize: number;
  splineOrder: number;
  /** [F, nKnots] */
  knots: Float32Array;
  /** [G, Og, inDim, nBases]: the coefficients whose curves must be reproduced */
  coefficients: Float32Array;
  margin: number;
  gridEps: number;
}

export interface GridRefit {
  knots: Float32Array; // [F, nKnots]
  spline: Float32Array; // [G, Og, inDim, nBases]
}

/**
 * efficient-kan fits lstsq(A_new, S_old·Cᵀ) per feature; we fit the nBases×nBases transfer
 * matrix T = lstsq(A_new, S_old) once and apply it to every output's coefficients (T·c). The
 * minimum-norm solution is linear in the right-hand side, so this is the same answer without
 * the (M, F, out) tensor — memory stays O(M·nBases) per feature.
 */
export function refitForNewGrid(inp: GridRefitInput): GridRefit {
  const { rows: M, groups: G, outPerGroup: Og, inDim, gridSize, splineOrder: order } = inp;
  const F = G * inDim;
  const nk = gridSize + 2 * order + 1;
  const nb = gridSize + order;
  const knots = new Float32Array(F * nk);
  const spline = new Float32Array(G * Og * inDim * nb);
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
    const g = Math.floor(f / inDim);
    const i = f % inDim;
    for (let o = 0; o < Og; o++) {
      const at = ((g * Og + o) * inDim + i) * nb;
      for (let j = 0; j < nb; j++) {
        let s = 0;
        for (let l = 0; l < nb; l++) s += T[j * nb + l] * inp.coefficients[at + l];
        spline[at + j] = s;
      }
    }
  }
  return { knots, spline };
}
