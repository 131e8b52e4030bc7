// Validates a patches payload (PatchesPayload in kernel/display/mimeTypes.ts): every size must
// agree with the convolution arithmetic, so the hover linking can trust the indices.
import type { PaddingMode, PatchesPayload } from '../../kernel/display/mimeTypes';
import { malformed, tooLarge } from '../shared/payloadError';
import * as v from '../shared/validate';

export const PATCH_LIMITS = {
  /** Pixels of the padded image per channel (e.g. 512×512). */
  pixels: 512 * 512,
  channels: 64,
  /** Cells of the unfolded patch matrix (rows·cols). */
  patchCells: 500_000,
};

export const PADDING_MODES: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

function image(value: unknown, path: string) {
  const o = v.object(value, path);
  const height = v.int(o.height, `${path}.height`, 1);
  const width = v.int(o.width, `${path}.width`, 1);
  const channels = v.int(o.channels, `${path}.channels`, 1);
  if (channels > PATCH_LIMITS.channels) throw tooLarge(`The channel count of ${path}`, channels, PATCH_LIMITS.channels, 'Pass an input with fewer channels.');
  if (height * width > PATCH_LIMITS.pixels) throw tooLarge(`The size of ${path} (${height}×${width} pixels)`, height * width, PATCH_LIMITS.pixels, 'Crop or downsample the input before showing its patches.');
  const data = v.numbers(o.data, `${path}.data`, height * width * channels);
  return { height, width, channels, data };
}

export function parsePatches(json: unknown): PatchesPayload {
  const p = v.object(json, 'payload');
  v.version(p);
  const c = v.object(p.config, 'config');
  const kernelSize = v.pair(c.kernelSize, 'config.kernelSize', 1);
  const stride = v.pair(c.stride, 'config.stride', 1);
  const dilation = v.pair(c.dilation, 'config.dilation', 1);
  const padArr = v.array(c.padding, 'config.padding', 2);
  const padding: [[number, number], [number, number]] = [v.pair(padArr[0], 'config.padding[0]'), v.pair(padArr[1], 'config.padding[1]')];
  const paddingMode = v.oneOf(c.paddingMode, 'config.paddingMode', PADDING_MODES);

  const img = image(p.image, 'image');
  const padded = image(p.padded, 'padded');
  const [[top, bottom], [left, right]] = padding;
  const expect = (path: string, actual: number, expected: number, why: string) => {
    if (actual !== expected) throw malformed(`${path}: expected ${expected} (${why}), got ${actual}`);
  };
  expect('padded.height', padded.height, img.height + top + bottom, `image.height ${img.height} + padding ${top} + ${bottom}`);
  expect('padded.width', padded.width, img.width + left + right, `image.width ${img.width} + padding ${left} + ${right}`);
  expect('padded.channels', padded.channels, img.channels, 'image.channels');

  const o = v.object(p.output, 'output');
  const output = { height: v.int(o.height, 'output.height', 1), width: v.int(o.width, 'output.width', 1) };
  const spanH = dilation[0] * (kernelSize[0] - 1) + 1;
  const spanW = dilation[1] * (kernelSize[1] - 1) + 1;
  if (spanH > padded.height || spanW > padded.width) {
    throw malformed(`config: the dilated kernel (${spanH}×${spanW}) does not fit the padded image (${padded.height}×${padded.width})`);
  }
  expect('output.height', output.height, Math.floor((padded.height - spanH) / stride[0]) + 1, `⌊(${padded.height} − ${spanH}) / ${stride[0]}⌋ + 1`);
  expect('output.width', output.width, Math.floor((padded.width - spanW) / stride[1]) + 1, `⌊(${padded.width} − ${spanW}) / ${stride[1]}⌋ + 1`);

  const m = v.object(p.patches, 'patches');
  const rows = v.int(m.rows, 'patches.rows', 1);
  const cols = v.int(m.cols, 'patches.cols', 1);
  expect('patches.rows', rows, img.channels * kernelSize[0] * kernelSize[1], `channels ${img.channels} × kernel ${kernelSize[0]}×${kernelSize[1]}`);
  expect('patches.cols', cols, output.height * output.width, `output ${output.height}×${output.width}`);
  if (rows * cols > PATCH_LIMITS.patchCells) {
    throw tooLarge(`The patch matrix (${rows}×${cols})`, rows * cols, PATCH_LIMITS.patchCells, 'Use a smaller input image (e.g. crop to 64×64) or fewer channels.');
  }
  const data = v.numbers(m.data, 'patches.data', rows * cols);

  return {
    version: 1,
    ...(p.layerName !== undefined ? { layerName: v.string(p.layerName, 'layerName') } : {}),
    config: { kernelSize, stride, dilation, padding, paddingMode },
    image: img,
    padded,
    output,
    patches: { rows, cols, data },
  };
}
