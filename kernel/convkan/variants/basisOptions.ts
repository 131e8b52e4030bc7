// The basis families of the ConvKAN variants and their settings, validated once. Every family
// turns one input value into `size` numbers φ_0(x) … φ_{size−1}(x); a layer learns one weight per
// (input, basis function, output), so φ is a learned linear combination of these.
import { ConvKanArgumentError, show } from '../conv/argumentError';

export const BASIS_NAMES = [
  'bspline', 'rbf', 'chebyshev', 'legendre', 'gram', 'jacobi', 'bernstein', 'mexicanHat', 'morlet', 'dog', 'reluKan',
] as const;
export type BasisName = (typeof BASIS_NAMES)[number];

export const POLYNOMIAL_BASES = ['chebyshev', 'legendre', 'gram', 'jacobi', 'bernstein'] as const;
export const WAVELET_BASES = ['mexicanHat', 'morlet', 'dog'] as const;
export type WaveletName = (typeof WAVELET_BASES)[number];

/** Settings of a basis; each family reads only the ones it needs (see docs/bases.md). */
export interface BasisOptions {
  basis: BasisName;
  /** Polynomial degree d (chebyshev, legendre, gram, jacobi, bernstein): d + 1 functions. Default 3. */
  degree?: number;
  /** Grid intervals or centres (bspline, rbf, wavelets, reluKan). Default 5 (rbf: 8, as FastKAN). */
  gridSize?: number;
  /** [lo, hi] covered by the grid. Default [-1, 1] (rbf: [-2, 2], as FastKAN). */
  gridRange?: [number, number];
  /** Spline order (bspline) or ReLU-KAN order k. Default 3. */
  splineOrder?: number;
  /** Jacobi α and β (> −1). Default 1, 1 (as torch-conv-kan's KAJN). */
  alpha?: number;
  beta?: number;
  /** Number of equally spaced points the Gram polynomials are orthogonal on (> degree). Default degree + 1. */
  gramPoints?: number;
}

export type ResolvedBasisOptions = Required<BasisOptions>;

const DEFAULT_GRID: Record<string, { gridSize: number; gridRange: [number, number] }> = {
  rbf: { gridSize: 8, gridRange: [-2, 2] },
};

export function resolveBasisOptions(o: BasisOptions, context: string): ResolvedBasisOptions {
  if (!BASIS_NAMES.includes(o.basis)) throw new ConvKanArgumentError(context, 'basis', `one of ${BASIS_NAMES.map((b) => `'${b}'`).join(', ')}`, show(o.basis));
  const grid = DEFAULT_GRID[o.basis] ?? { gridSize: 5, gridRange: [-1, 1] as [number, number] };
  const degree = o.degree ?? 3;
  const r: ResolvedBasisOptions = {
    basis: o.basis,
    degree,
    gridSize: o.gridSize ?? grid.gridSize,
    gridRange: o.gridRange ? [o.gridRange[0], o.gridRange[1]] : [grid.gridRange[0], grid.gridRange[1]],
    splineOrder: o.splineOrder ?? 3,
    alpha: o.alpha ?? 1,
    beta: o.beta ?? 1,
    gramPoints: o.gramPoints ?? degree + 1,
  };
  const int = (v: number, min: number) => Number.isInteger(v) && v >= min;
  if (!int(r.degree, 0)) throw new ConvKanArgumentError(context, 'degree', 'a non-negative integer', show(o.degree));
  // the grid families need two centres (rbf, wavelets: spacing = range / (gridSize − 1)) or one interval
  const minGrid = o.basis === 'bspline' || o.basis === 'reluKan' ? 1 : 2;
  if (!int(r.gridSize, minGrid)) throw new ConvKanArgumentError(context, 'gridSize', `an integer ≥ ${minGrid}`, show(o.gridSize));
  if (!(r.gridRange.length === 2 && Number.isFinite(r.gridRange[0]) && Number.isFinite(r.gridRange[1]) && r.gridRange[0] < r.gridRange[1])) {
    throw new ConvKanArgumentError(context, 'gridRange', '[lo, hi] with lo < hi', show(o.gridRange));
  }
  if (!int(r.splineOrder, 0)) throw new ConvKanArgumentError(context, 'splineOrder', 'a non-negative integer', show(o.splineOrder));
  if (!(r.alpha > -1) || !(r.beta > -1)) throw new ConvKanArgumentError(context, 'alpha and beta', 'greater than −1 (Jacobi weights must be integrable)', show([o.alpha, o.beta]));
  if (!int(r.gramPoints, r.degree + 1)) throw new ConvKanArgumentError(context, 'gramPoints', `an integer > degree (${r.degree})`, show(o.gramPoints));
  return r;
}

/** The settings that matter for a family, for getConfig and display. */
export function basisConfigEntries(r: ResolvedBasisOptions): Partial<ResolvedBasisOptions> {
  switch (r.basis) {
    case 'chebyshev':
    case 'legendre':
    case 'bernstein':
      return { degree: r.degree };
    case 'gram':
      return { degree: r.degree, gramPoints: r.gramPoints };
    case 'jacobi':
      return { degree: r.degree, alpha: r.alpha, beta: r.beta };
    case 'bspline':
    case 'reluKan':
      return { gridSize: r.gridSize, gridRange: r.gridRange, splineOrder: r.splineOrder };
    default:
      return { gridSize: r.gridSize, gridRange: r.gridRange };
  }
}
