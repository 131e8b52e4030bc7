// The settings a basis family can read, their shared defaults and their shared checks. A family
// lists the ones it reads (its config) and may override defaults or add checks (bases/<family>.ts).
import { ConvKanArgumentError, show } from '../conv/argumentError';
import type { BasisName } from './registry';

/** Settings of a basis; each family reads only the ones it lists (see docs/bases.md). */
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
export type BasisSetting = Exclude<keyof BasisOptions, 'basis'>;

/** Every setting, in config order; the layers accept exactly these as arguments besides `basis`. */
export const BASIS_SETTINGS: readonly BasisSetting[] = ['degree', 'gridSize', 'gridRange', 'splineOrder', 'alpha', 'beta', 'gramPoints'];

/** Shared defaults (a family's `defaults` win); gramPoints defaults to degree + 1. */
export function sharedDefaults(degree: number): Omit<ResolvedBasisOptions, 'basis'> {
  return { degree, gridSize: 5, gridRange: [-1, 1], splineOrder: 3, alpha: 1, beta: 1, gramPoints: degree + 1 };
}

export const isIntAtLeast = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min;

/** An integer setting with a lower bound, checked with the message every family uses. */
export function checkIntAtLeast(
  o: ResolvedBasisOptions,
  given: BasisOptions,
  setting: BasisSetting,
  min: number,
  context: string,
  expected = `an integer ≥ ${min}`,
): void {
  if (!isIntAtLeast(o[setting], min)) throw new ConvKanArgumentError(context, setting, expected, show(given[setting]));
}

/** The checks every setting gets whatever the family, so a typo never passes silently. */
export function checkSharedSettings(o: ResolvedBasisOptions, given: BasisOptions, context: string): void {
  checkIntAtLeast(o, given, 'degree', 0, context, 'a non-negative integer');
  checkIntAtLeast(o, given, 'gridSize', 1, context);
  const r = o.gridRange;
  if (!(Array.isArray(r) && r.length === 2 && Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] < r[1])) {
    throw new ConvKanArgumentError(context, 'gridRange', '[lo, hi] with lo < hi', show(given.gridRange));
  }
  checkIntAtLeast(o, given, 'splineOrder', 0, context, 'a non-negative integer');
  for (const s of ['alpha', 'beta'] as const) {
    if (!Number.isFinite(o[s])) throw new ConvKanArgumentError(context, s, 'a finite number', show(given[s]));
  }
  checkIntAtLeast(o, given, 'gramPoints', 1, context);
}
