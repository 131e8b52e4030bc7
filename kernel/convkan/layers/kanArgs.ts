// Arguments shared by KANLinear and ConvKAN2D: the spline basis, initial scales and checks.
// Defaults are efficient-kan's; each is validated once, in the constructor.
import { ConvKanArgumentError, show } from '../conv/argumentError';

export interface KanBasisArgs {
  /** Intervals of the initial grid (default 5). */
  gridSize?: number;
  /** B-spline order, ≥ 1 (default 3: cubic). */
  splineOrder?: number;
  /** Range covered by the initial grid, lo < hi (default [-1, 1]). */
  gridRange?: [number, number];
  /** Blend of uniform vs adaptive knots in updateGrid (default 0.02). */
  gridEps?: number;
  /** Noise of the initial spline coefficients (default 0.1). */
  scaleNoise?: number;
  /** Kaiming gain factor of the base weight (default 1). */
  scaleBase?: number;
  /** Kaiming gain factor of the spline scaler (default 1). */
  scaleSpline?: number;
  /** Separate trainable spline_scaler per edge (default true). */
  enableStandaloneScaleSpline?: boolean;
  /** Check every input for NaN/Infinity and throw naming the layer (default false; costs a download). */
  checkFinite?: boolean;
  /** Seed of the initialization; the same seed gives the same weights. */
  seed?: number;
  /**
   * Adds efficient-kan's regularization_loss(activation, entropy) on spline_weight to the model's
   * training loss (model.fit includes it like any weight regularizer). Default: none.
   */
  regularization?: { activation: number; entropy: number } | null;
}

/** The names of KanBasisArgs, for the argument-name check. */
export const KAN_BASIS_ARG_NAMES = [
  'gridSize',
  'splineOrder',
  'gridRange',
  'gridEps',
  'scaleNoise',
  'scaleBase',
  'scaleSpline',
  'enableStandaloneScaleSpline',
  'checkFinite',
  'seed',
  'regularization',
] as const satisfies readonly (keyof KanBasisArgs)[];

/** The learned weights of ConvKAN2D and KANLinear, as named by their per-weight arguments (baseInitializer, …). */
export const KAN_WEIGHT_KEYS = ['base', 'spline', 'scaler'] as const;
export type KanWeightKey = (typeof KAN_WEIGHT_KEYS)[number];

export type ResolvedKanBasisArgs = Required<Omit<KanBasisArgs, 'seed' | 'regularization'>> & {
  seed?: number;
  regularization: { activation: number; entropy: number } | null;
};

export function resolveKanBasisArgs(args: KanBasisArgs, context: string): ResolvedKanBasisArgs {
  const gridSize = positiveInt(args.gridSize ?? 5, context, 'gridSize');
  const splineOrder = args.splineOrder ?? 3;
  if (!Number.isInteger(splineOrder) || splineOrder < 1)
    throw new ConvKanArgumentError(context, 'splineOrder', 'an integer ≥ 1', show(args.splineOrder));
  const gridRange = args.gridRange ?? [-1, 1];
  const rangeOk = Array.isArray(gridRange) && gridRange.length === 2 && gridRange.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!rangeOk) throw new ConvKanArgumentError(context, 'gridRange', '[lo, hi] of finite numbers', show(args.gridRange));
  if (!(gridRange[0] < gridRange[1])) throw new ConvKanArgumentError(context, 'gridRange', '[lo, hi] with lo < hi', show(gridRange));
  const num = (v: number | undefined, fallback: number, name: string, min = 0) => {
    const x = v ?? fallback;
    if (typeof x !== 'number' || !Number.isFinite(x) || x < min)
      throw new ConvKanArgumentError(context, name, `a finite number ≥ ${min}`, show(v));
    return x;
  };
  const gridEps = num(args.gridEps, 0.02, 'gridEps');
  if (gridEps > 1) throw new ConvKanArgumentError(context, 'gridEps', 'a number in [0, 1]', show(gridEps));
  if (args.seed != null && !Number.isFinite(args.seed)) throw new ConvKanArgumentError(context, 'seed', 'a finite number', show(args.seed));
  const reg = args.regularization ?? null;
  if (
    reg != null &&
    !(typeof reg === 'object' && [reg.activation, reg.entropy].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0))
  ) {
    throw new ConvKanArgumentError(
      context,
      'regularization',
      '{ activation, entropy } of finite numbers ≥ 0, or null',
      show(args.regularization),
    );
  }
  return {
    gridSize,
    splineOrder,
    gridRange: [gridRange[0], gridRange[1]],
    gridEps,
    scaleNoise: num(args.scaleNoise, 0.1, 'scaleNoise'),
    scaleBase: num(args.scaleBase, 1, 'scaleBase'),
    scaleSpline: num(args.scaleSpline, 1, 'scaleSpline'),
    enableStandaloneScaleSpline: args.enableStandaloneScaleSpline ?? true,
    checkFinite: args.checkFinite ?? false,
    seed: args.seed ?? undefined,
    regularization: reg == null ? null : { activation: reg.activation, entropy: reg.entropy },
  };
}

export function positiveInt(value: unknown, context: string, argument: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new ConvKanArgumentError(context, argument, 'a positive integer', show(value));
  return value;
}

/** Throws when x holds NaN or ±Infinity (only when the user asked for checks: it reads the data back). */
export function assertFinite(values: ArrayLike<number>, shape: number[], context: string): void {
  let count = 0;
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (count > 0) {
    throw new ConvKanArgumentError(
      context,
      'input',
      `finite everywhere (checkFinite is on)`,
      `${count} non-finite value(s) in shape [${shape}], the first ${values[first]} at flat index ${first}`,
    );
  }
}
