// application/vnd.convkan.patches+json: how a layer cuts an image into patches (the image, the
// padded image and the unfolded patch matrix). Every size must agree with the convolution
// arithmetic, so the renderer's hover linking can trust the indices.
import * as v from './check';
import { convOutputSize, dilatedSpan, padding2D, PADDING_MODES, type Padding2D, type PaddingMode } from './convGeometry';

export const MIME_PATCHES = 'application/vnd.convkan.patches+json';
export const PATCHES_VERSION = 1;

/** Sizes the kernel sends and the renderer draws. */
export const PATCHES_LIMITS = {
  /** Pixels of the padded image per channel (e.g. 512×512). */
  pixels: 512 * 512,
  channels: 64,
  /** Cells of the unfolded patch matrix (rows·cols) a payload may hold. */
  patchCells: 500_000,
  /** The kernel crops images (top-left) so that its patch matrix keeps at most this many cells… */
  sentPatchCells: 250_000,
  /** …and at most this many pixels per side. */
  sentSide: 64,
} as const;

export interface PatchesPayload {
  version: typeof PATCHES_VERSION;
  layerName?: string;
  config: {
    kernelSize: [number, number];
    stride: [number, number];
    dilation: [number, number];
    /** [[top, bottom], [left, right]] */
    padding: Padding2D;
    paddingMode: PaddingMode;
    /** Channel groups of the layer when > 1: each filter sees only its group's C/groups channels (rows). */
    groups?: number;
  };
  /** The input image (one sample), HWC row-major. */
  image: { height: number; width: number; channels: number; data: number[] };
  /** The same image after padding with the layer's mode, HWC row-major. */
  padded: { height: number; width: number; channels: number; data: number[] };
  output: { height: number; width: number };
  /**
   * The unfolded patch matrix, as torch.nn.functional.unfold lays it out: rows = C·kH·kW
   * (channel, then kernel row, then kernel column), cols = output positions (oh·W_out + ow).
   * Row-major data of length rows·cols.
   */
  patches: { rows: number; cols: number; data: number[] };
}

export function parsePatches(value: unknown): PatchesPayload {
  return v.parseAs(MIME_PATCHES, value, patchesFields);
}

function image(value: unknown, path: string) {
  const o = v.object(value, path);
  const height = v.int(o.height, `${path}.height`, 1);
  const width = v.int(o.width, `${path}.width`, 1);
  const channels = v.int(o.channels, `${path}.channels`, 1);
  if (channels > PATCHES_LIMITS.channels)
    throw v.tooLarge(`The channel count of ${path}`, channels, PATCHES_LIMITS.channels, 'Pass an input with fewer channels.');
  if (height * width > PATCHES_LIMITS.pixels) {
    throw v.tooLarge(
      `The size of ${path} (${height}×${width} pixels)`,
      height * width,
      PATCHES_LIMITS.pixels,
      'Crop or downsample the input before showing its patches.',
    );
  }
  const data = v.numbers(o.data, `${path}.data`, height * width * channels);
  return { height, width, channels, data };
}

function patchesFields(p: v.Json): PatchesPayload {
  v.version(p, PATCHES_VERSION);
  const c = v.object(p.config, 'config');
  const kernelSize = v.pair(c.kernelSize, 'config.kernelSize', 1);
  const stride = v.pair(c.stride, 'config.stride', 1);
  const dilation = v.pair(c.dilation, 'config.dilation', 1);
  const padding = padding2D(c.padding, 'config.padding');
  const paddingMode = v.oneOf(c.paddingMode, 'config.paddingMode', PADDING_MODES);
  const groups = c.groups === undefined ? undefined : v.int(c.groups, 'config.groups', 1);

  const img = image(p.image, 'image');
  const padded = image(p.padded, 'padded');
  const [[top, bottom], [left, right]] = padding;
  v.derived('padded.height', padded.height, img.height + top + bottom, `image.height ${img.height} + padding ${top} + ${bottom}`);
  v.derived('padded.width', padded.width, img.width + left + right, `image.width ${img.width} + padding ${left} + ${right}`);
  v.derived('padded.channels', padded.channels, img.channels, 'image.channels');
  if (groups !== undefined && img.channels % groups !== 0)
    throw v.malformed(`config.groups: expected a divisor of image.channels ${img.channels}, got ${groups}`);

  const o = v.object(p.output, 'output');
  const output = { height: v.int(o.height, 'output.height', 1), width: v.int(o.width, 'output.width', 1) };
  const spanH = dilatedSpan(kernelSize[0], dilation[0]);
  const spanW = dilatedSpan(kernelSize[1], dilation[1]);
  if (spanH > padded.height || spanW > padded.width) {
    throw v.malformed(`config: the dilated kernel (${spanH}×${spanW}) does not fit the padded image (${padded.height}×${padded.width})`);
  }
  v.derived(
    'output.height',
    output.height,
    convOutputSize(padded.height, spanH, stride[0]),
    `⌊(${padded.height} − ${spanH}) / ${stride[0]}⌋ + 1`,
  );
  v.derived(
    'output.width',
    output.width,
    convOutputSize(padded.width, spanW, stride[1]),
    `⌊(${padded.width} − ${spanW}) / ${stride[1]}⌋ + 1`,
  );

  const m = v.object(p.patches, 'patches');
  const rows = v.int(m.rows, 'patches.rows', 1);
  const cols = v.int(m.cols, 'patches.cols', 1);
  v.derived(
    'patches.rows',
    rows,
    img.channels * kernelSize[0] * kernelSize[1],
    `channels ${img.channels} × kernel ${kernelSize[0]}×${kernelSize[1]}`,
  );
  v.derived('patches.cols', cols, output.height * output.width, `output ${output.height}×${output.width}`);
  if (rows * cols > PATCHES_LIMITS.patchCells) {
    throw v.tooLarge(
      `The patch matrix (${rows}×${cols})`,
      rows * cols,
      PATCHES_LIMITS.patchCells,
      'Use a smaller input image (e.g. crop to 64×64) or fewer channels.',
    );
  }
  const data = v.numbers(m.data, 'patches.data', rows * cols);

  return {
    version: PATCHES_VERSION,
    ...(p.layerName !== undefined ? { layerName: v.string(p.layerName, 'layerName') } : {}),
    config: { kernelSize, stride, dilation, padding, paddingMode, ...(groups !== undefined ? { groups } : {}) },
    image: img,
    padded,
    output,
    patches: { rows, cols, data },
  };
}
