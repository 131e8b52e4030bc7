// Convolution index arithmetic shared by the patches figure and its hover linking. Coordinates
// are in the padded image; rows of the patch matrix follow torch.nn.functional.unfold
// (channel, kernel row, kernel column), columns are output positions oh·W_out + ow.
import type { PatchesPayload } from '../../kernel/payloads/patches';

export interface OutputPos {
  oy: number;
  ox: number;
}

/** Padded-image pixels (y, x) read by output position (oy, ox), in kernel order (i, j). */
export function receptiveField(p: PatchesPayload, pos: OutputPos): Array<{ i: number; j: number; y: number; x: number }> {
  const [kH, kW] = p.config.kernelSize;
  const [sH, sW] = p.config.stride;
  const [dH, dW] = p.config.dilation;
  const taps = [];
  for (let i = 0; i < kH; i++) for (let j = 0; j < kW; j++) taps.push({ i, j, y: pos.oy * sH + i * dH, x: pos.ox * sW + j * dW });
  return taps;
}

export const columnOf = (p: PatchesPayload, pos: OutputPos): number => pos.oy * p.output.width + pos.ox;

export const positionOfColumn = (p: PatchesPayload, col: number): OutputPos => ({
  oy: Math.floor(col / p.output.width),
  ox: col % p.output.width,
});

export const rowOf = (p: PatchesPayload, channel: number, i: number, j: number): number =>
  (channel * p.config.kernelSize[0] + i) * p.config.kernelSize[1] + j;

/** The output position whose window is centred closest to padded pixel (y, x). */
export function positionNearPixel(p: PatchesPayload, y: number, x: number): OutputPos {
  const [kH, kW] = p.config.kernelSize;
  const [sH, sW] = p.config.stride;
  const [dH, dW] = p.config.dilation;
  const clamp = (v: number, hi: number) => Math.max(0, Math.min(hi, v));
  return {
    oy: clamp(Math.round((y - (dH * (kH - 1)) / 2) / sH), p.output.height - 1),
    ox: clamp(Math.round((x - (dW * (kW - 1)) / 2) / sW), p.output.width - 1),
  };
}

/** Value of channel `c` of an HWC image at (y, x). */
export const pixel = (img: PatchesPayload['padded'], y: number, x: number, c: number): number =>
  img.data[(y * img.width + x) * img.channels + c];

/** Whether padded pixel (y, x) lies in the padded border rather than the original image. */
export function isPadding(p: PatchesPayload, y: number, x: number): boolean {
  const [[top], [left]] = p.config.padding;
  return y < top || y >= top + p.image.height || x < left || x >= left + p.image.width;
}

/**
 * Cross-checks the payload: the interior of `padded` must equal `image`, and every patch-matrix
 * entry must equal the padded pixel it was unfolded from. Returns the first mismatch, if any, so
 * the view can flag a producer bug instead of silently drawing wrong links.
 */
export function firstInconsistency(p: PatchesPayload): string | undefined {
  const [[top], [left]] = p.config.padding;
  const tol = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(a), Math.abs(b));
  for (let y = 0; y < p.image.height; y++) {
    for (let x = 0; x < p.image.width; x++) {
      for (let c = 0; c < p.image.channels; c++) {
        const a = pixel(p.image, y, x, c);
        const b = pixel(p.padded, y + top, x + left, c);
        if (!tol(a, b)) return `padded[${y + top}, ${x + left}, ${c}] = ${b}, but image[${y}, ${x}, ${c}] = ${a}`;
      }
    }
  }
  const { cols } = p.patches;
  for (let col = 0; col < cols; col++) {
    const pos = positionOfColumn(p, col);
    for (const t of receptiveField(p, pos)) {
      for (let c = 0; c < p.padded.channels; c++) {
        const row = rowOf(p, c, t.i, t.j);
        const got = p.patches.data[row * cols + col];
        const want = pixel(p.padded, t.y, t.x, c);
        if (!tol(got, want)) return `patches[${row}, ${col}] = ${got}, but it unfolds padded[${t.y}, ${t.x}, ${c}] = ${want}`;
      }
    }
  }
  return undefined;
}
