// Conv2d geometry as PyTorch defines it: kernel/stride/dilation pairs, per-side padding
// (including 'same' with dilation and even kernels) and the output size.
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
  padding: SidePadding;
  paddingMode: PaddingMode;
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
 * Resolves the padding argument to per-side amounts. 'same' splits dilation·(k−1) as PyTorch does:
 * the smaller half on top/left. 'same' with a stride > 1 is refused, as torch.nn.Conv2d refuses it.
 */
export function resolvePadding(padding: PaddingArg | undefined, kernelSize: Pair, strides: Pair, dilation: Pair, context: string): SidePadding {
  const p = padding ?? 'valid';
  if (p === 'valid') return [[0, 0], [0, 0]];
  if (p === 'same') {
    if (strides[0] !== 1 || strides[1] !== 1) {
      throw new ConvKanArgumentError(context, 'strides', "1 when padding is 'same' (as in torch.nn.Conv2d)", show(strides));
    }
    const side = (i: 0 | 1): [number, number] => {
      const total = dilation[i] * (kernelSize[i] - 1);
      const before = Math.floor(total / 2);
      return [before, total - before];
    };
    return [side(0), side(1)];
  }
  const isNat = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (isNat(p)) return [[p as number, p as number], [p as number, p as number]];
  if (Array.isArray(p) && p.length === 2) {
    if (isNat(p[0]) && isNat(p[1])) return [[p[0] as number, p[0] as number], [p[1] as number, p[1] as number]];
    const sides = p as unknown[];
    if (sides.every((s) => Array.isArray(s) && s.length === 2 && s.every(isNat))) {
      const [[t, b], [l, r]] = p as SidePadding;
      return [[t, b], [l, r]];
    }
  }
  throw new ConvKanArgumentError(context, 'padding', "'same', 'valid', a non-negative integer, [h, w] or [[top, bottom], [left, right]]", show(padding));
}

/** Output size of a 'valid' convolution over an already padded extent. */
export function convOutSize(paddedSize: number, kernel: number, stride: number, dilation: number): number {
  return Math.floor((paddedSize - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** [H_out, W_out] for an unpadded input of [H, W] (nulls pass through for symbolic shapes). */
export function outputSpatial(height: number | null, width: number | null, g: ConvGeometry): [number | null, number | null] {
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
export function checkSpatialFits(height: number, width: number, g: ConvGeometry, context: string): void {
  const dims: Array<[string, number, [number, number]]> = [['height', height, g.padding[0]], ['width', width, g.padding[1]]];
  for (const [name, size, [a, b]] of dims) {
    const maxPad = Math.max(a, b);
    if (g.paddingMode === 'reflect' && maxPad >= size) {
      throw new ConvKanArgumentError(context, `input ${name}`, `greater than the padding ${maxPad} for paddingMode 'reflect'`, String(size));
    }
    if (g.paddingMode === 'circular' && maxPad > size) {
      throw new ConvKanArgumentError(context, `input ${name}`, `at least the padding ${maxPad} for paddingMode 'circular'`, String(size));
    }
  }
  const [ho, wo] = outputSpatial(height, width, g);
  if ((ho as number) < 1 || (wo as number) < 1) {
    const need = g.kernelSize.map((k, i) => g.dilation[i] * (k - 1) + 1);
    throw new ConvKanArgumentError(context, 'input [height, width]', `at least the dilated kernel extent [${need}] after padding`, `[${height}, ${width}] (output would be [${ho}, ${wo}])`);
  }
}
