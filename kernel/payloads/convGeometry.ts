// The convolution settings that the patches and activations payloads both carry, and the
// arithmetic that ties their sizes together.
import * as v from './check';

/** The library's padding modes (it cannot be imported here; test/unit/payloads.test.ts keeps the two lists equal). */
export const PADDING_MODES = ['zeros', 'reflect', 'replicate', 'circular'] as const;
export type PaddingMode = (typeof PADDING_MODES)[number];

/** [[top, bottom], [left, right]] */
export type Padding2D = [[number, number], [number, number]];

export function padding2D(value: unknown, path: string): Padding2D {
  const sides = v.array(value, path, 2);
  return [v.pair(sides[0], `${path}[0]`), v.pair(sides[1], `${path}[1]`)];
}

/** Rows (or columns) one output position reads: dilation·(k − 1) + 1. */
export const dilatedSpan = (kernel: number, dilation: number): number => dilation * (kernel - 1) + 1;

/** Output size of a 'valid' convolution over an already padded size. */
export const convOutputSize = (paddedSize: number, span: number, stride: number): number => Math.floor((paddedSize - span) / stride) + 1;
