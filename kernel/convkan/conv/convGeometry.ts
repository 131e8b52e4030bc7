// Conv2d geometry: kernel/stride/dilation pairs, per-side padding and the output size, as
// torch.nn.Conv2d defines them, plus tf.layers.conv2d's 'same' with any stride (its padding then
// depends on the input size, so it is resolved per call by geometryFor).
import { ConvKanArgumentError, show } from './argumentError';

export type Pair = [number, number];
/** [[top, bottom], [left, right]] */
export type SidePadding = [[number, number], [number, number]];
export type PaddingArg = number | Pair | SidePadding | 'same' | 'valid';
export const PADDING_MODES = ['zeros', 'reflect', 'replicate', 'circular'] as const;
export type PaddingMode = (typeof PADDING_MODES)[number];

export interface ConvGeometry {
  kernelSize: Pair;
  strides: Pair;
  dilation: Pair;
  /** Per-side padding; for 'same' with a stride > 1 the stride-1 amounts, see geometryFor. */
  padding: SidePadding;
  paddingMode: PaddingMode;
  /** padding was 'same': with strides > 1 the padding depends on the input size (tf's rule). */
  same?: boolean;
}

/** number | [h, w] → [h, w] of positive integers (or ≥ min). */
export function toPair(value: number | number[] | undefined, fallback: number, context: string, argument: string, min = 1): Pair {
  const v = value ?? fallback;
  const pair = typeof v === 'number' ? [v, v] : v;
  const ok = Array.isArray(pair) && pair.length === 2 && pair.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= min);
  if (!ok) {
    const what = min === 0 ? 'non-negative integers' : 'positive integers';
    throw new ConvKanArgumentError(context, argument, `a number or [h, w] of ${what}`, show(value));
  }
  return [pair[0], pair[1]] as Pair;
}

export function checkPaddingMode(mode: unknown, context: string): PaddingMode {
  const m = mode ?? 'zeros';
  if (!PADDING_MODES.includes(m as PaddingMode)) {
    throw new ConvKanArgumentError(context, 'paddingMode', `one of ${PADDING_MODES.map((p) => `'${p}'`).join(', ')}`, show(mode));
  }
  return m as PaddingMode;
}

/**
 * Resolves the padding argument to per-side amounts. 'same' splits dilation·(k−1) with the smaller
 * half on top/left (PyTorch's split; for stride 1 also tf's). With a stride > 1, 'same' follows
 * tf.layers.conv2d (output ceil(in / stride)); the amounts then depend on the input, see geometryFor.
 */
export function resolvePadding(
  padding: PaddingArg | undefined,
  kernelSize: Pair,
  strides: Pair,
  dilation: Pair,
  context: string,
): SidePadding {
  const p = padding ?? 'valid';
  if (p === 'valid')
    return [
      [0, 0],
      [0, 0],
    ];
  if (p === 'same') {
    const side = (i: 0 | 1): [number, number] => {
      const total = dilation[i] * (kernelSize[i] - 1);
      const before = Math.floor(total / 2);
      return [before, total - before];
    };
    return [side(0), side(1)];
  }
  const isNat = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (isNat(p))
    return [
      [p as number, p as number],
      [p as number, p as number],
    ];
  if (Array.isArray(p) && p.length === 2) {
    if (isNat(p[0]) && isNat(p[1]))
      return [
        [p[0] as number, p[0] as number],
        [p[1] as number, p[1] as number],
      ];
    const sides = p as unknown[];
    if (sides.every((s) => Array.isArray(s) && s.length === 2 && s.every(isNat))) {
      const [[t, b], [l, r]] = p as SidePadding;
      return [
        [t, b],
        [l, r],
      ];
    }
  }
  throw new ConvKanArgumentError(
    context,
    'padding',
    "'same', 'valid', a non-negative integer, [h, w] or [[top, bottom], [left, right]]",
    show(padding),
  );
}

/** Output size of a 'valid' convolution over an already padded extent. */
export function convOutSize(paddedSize: number, kernel: number, stride: number, dilation: number): number {
  return Math.floor((paddedSize - dilation * (kernel - 1) - 1) / stride) + 1;
}

/**
 * tf's 'same' padding of one axis: total max((ceil(in/s) − 1)·s + d·(k − 1) + 1 − in, 0), the extra
 * on the bottom/right (tf.nn.conv2d's rule; with stride 1 the same split as PyTorch's).
 */
export function samePadding(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + dilation * (kernel - 1) + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The geometry for an input of [H, W]: resolves 'same' with strides > 1 (others are returned as they are). */
export function geometryFor(g: ConvGeometry, height: number, width: number): ConvGeometry {
  if (!g.same || (g.strides[0] === 1 && g.strides[1] === 1)) return g;
  return {
    ...g,
    padding: [
      samePadding(height, g.kernelSize[0], g.strides[0], g.dilation[0]),
      samePadding(width, g.kernelSize[1], g.strides[1], g.dilation[1]),
    ],
  };
}

/** [H_out, W_out] for an unpadded input of [H, W] (nulls pass through for symbolic shapes). */
export function outputSpatial(height: number | null, width: number | null, g: ConvGeometry): [number | null, number | null] {
  if (g.same) return [height == null ? null : Math.ceil(height / g.strides[0]), width == null ? null : Math.ceil(width / g.strides[1])];
  const hp = height == null ? null : height + g.padding[0][0] + g.padding[0][1];
  const wp = width == null ? null : width + g.padding[1][0] + g.padding[1][1];
  return [
    hp == null ? null : convOutSize(hp, g.kernelSize[0], g.strides[0], g.dilation[0]),
    wp == null ? null : convOutSize(wp, g.kernelSize[1], g.strides[1], g.dilation[1]),
  ];
}

/**
 * Throws when an input of [H, W] cannot be padded in this mode or leaves no output position.
 * reflect needs pad < size (the edge is not repeated), circular needs pad ≤ size (PyTorch's rules).
 */
export function checkSpatialFits(height: number, width: number, geometry: ConvGeometry, context: string): void {
  const g = geometryFor(geometry, height, width);
  const dims: Array<[string, number, [number, number]]> = [
    ['height', height, g.padding[0]],
    ['width', width, g.padding[1]],
  ];
  for (const [name, size, [a, b]] of dims) {
    const maxPad = Math.max(a, b);
    if (g.paddingMode === 'reflect' && maxPad >= size) {
      throw new ConvKanArgumentError(
        context,
        `input ${name}`,
        `greater than the padding ${maxPad} for paddingMode 'reflect'`,
        String(size),
      );
    }
    if (g.paddingMode === 'circular' && maxPad > size) {
      throw new ConvKanArgumentError(context, `input ${name}`, `at least the padding ${maxPad} for paddingMode 'circular'`, String(size));
    }
  }
  const [ho, wo] = outputSpatial(height, width, g);
  if ((ho as number) < 1 || (wo as number) < 1) {
    const need = g.kernelSize.map((k, i) => g.dilation[i] * (k - 1) + 1);
    throw new ConvKanArgumentError(
      context,
      'input [height, width]',
      `at least the dilated kernel extent [${need}] after padding`,
      `[${height}, ${width}] (output would be [${ho}, ${wo}])`,
    );
  }
}

export type ConvRank = 1 | 2;
/** One number per spatial axis: [length] (1-D) or [height, width] (2-D). */
export type SpatialTuple<R extends ConvRank> = R extends 1 ? [number] : Pair;
/** 1-D: p or [left, right], 'same', 'valid' or 'causal'; 2-D: see PaddingArg. */
export type ConvPaddingArg<R extends ConvRank> = R extends 1 ? number | Pair | 'same' | 'valid' | 'causal' : PaddingArg;

/**
 * The convolution geometry arguments, as tf.layers.conv1d/conv2d and torch.nn.Conv1d/Conv2d take
 * them (after aliases are folded, see layers/argNames.ts): the one spelling every convolution of
 * the library (the KAN layers' KANConvArgs, GroupedConv2D, unfoldPatches) extends.
 */
export interface ConvGeometryArgs<R extends ConvRank = 2> {
  /** No default: a convolution must say how large its kernel is. */
  kernelSize: number | SpatialTuple<R>;
  strides?: number | SpatialTuple<R>;
  /** Default 'valid'. */
  padding?: ConvPaddingArg<R>;
  dilation?: number | SpatialTuple<R>;
  /** How padding fills the border: 'zeros' (default), 'reflect', 'replicate' or 'circular' (torch.nn.Conv2d's padding_mode). */
  paddingMode?: PaddingMode;
}

/**
 * Checks and resolves the geometry arguments once, in a layer's constructor; padding defaults to
 * 'valid'. rank 1 (Conv1d) is the 2-D geometry of a 1 × L image: numbers are the length axis,
 * padding p or [left, right], and 'causal' (tf.layers.conv1d) pads d·(k − 1) on the left.
 */
export function resolveConvGeometry(args: ConvGeometryArgs<ConvRank>, context: string, rank: ConvRank = 2): ConvGeometry {
  const paddingMode = checkPaddingMode(args.paddingMode, context);
  if (rank === 2) {
    const kernelSize = toPair(args.kernelSize as number | number[], NaN, context, 'kernelSize');
    const strides = toPair(args.strides, 1, context, 'strides');
    const dilation = toPair(args.dilation, 1, context, 'dilation');
    if (args.padding === 'causal')
      throw new ConvKanArgumentError(
        context,
        'padding',
        "'same', 'valid', a non-negative integer, [h, w] or [[top, bottom], [left, right]] ('causal' is for 1-D layers)",
        show(args.padding),
      );
    return {
      kernelSize,
      strides,
      dilation,
      padding: resolvePadding(args.padding, kernelSize, strides, dilation, context),
      paddingMode,
      same: args.padding === 'same',
    };
  }
  const one = (v: unknown, name: string) => {
    const n = Array.isArray(v) && v.length === 1 ? v[0] : (v ?? (name === 'kernelSize' ? undefined : 1));
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
      throw new ConvKanArgumentError(context, name, 'a positive integer (or [n])', show(v));
    return n;
  };
  const k = one(args.kernelSize, 'kernelSize');
  const s = one(args.strides, 'strides');
  const d = one(args.dilation, 'dilation');
  const p = args.padding ?? 'valid';
  const isNat = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  let p2: PaddingArg; // as a 1 × L image: no padding along the height axis
  if (p === 'causal')
    p2 = [
      [0, 0],
      [d * (k - 1), 0],
    ];
  else if (p === 'same' || p === 'valid') p2 = p;
  else if (isNat(p))
    p2 = [
      [0, 0],
      [p as number, p as number],
    ];
  else if (Array.isArray(p) && p.length === 2 && p.every(isNat))
    p2 = [
      [0, 0],
      [p[0] as number, p[1] as number],
    ];
  else
    throw new ConvKanArgumentError(
      context,
      'padding',
      "'same', 'valid', 'causal', a non-negative integer or [left, right]",
      show(args.padding),
    );
  return {
    kernelSize: [1, k],
    strides: [1, s],
    dilation: [1, d],
    padding: resolvePadding(p2, [1, k], [1, s], [1, d], context),
    paddingMode,
    same: p === 'same',
  };
}

export const DATA_FORMATS = ['channelsLast', 'channelsFirst'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/** 'channelsLast' (NHWC / NLC, default) or 'channelsFirst' (NCHW / NCL, PyTorch's layout). */
export function checkDataFormat(value: unknown, context: string): DataFormat {
  const df = value ?? 'channelsLast';
  if (!DATA_FORMATS.includes(df as DataFormat))
    throw new ConvKanArgumentError(context, 'dataFormat', "'channelsLast' or 'channelsFirst'", show(value));
  return df as DataFormat;
}
