// How a layer cuts an image into patches: the payload (image, padded image, unfolded patch
// matrix in torch.nn.functional.unfold's layout), an SVG with the padded image, the padding
// border, the receptive fields of the first and last output positions and the patch matrix with
// their columns marked, and a text summary.
import { autoScale } from '../colormap';
import { float32CompactAll } from '../compactNumbers';
import { colorBar, gridToPng, gridToPngScaled, rgbToPng } from '../heatmap';
import { MIME_PATCHES, PATCHES_LIMITS, PATCHES_VERSION, type PatchesPayload } from '../../payloads';
import { MIME_TEXT, MimeBundle } from '../mimeTypes';
import { checkBeforeSending } from './checkBeforeSending';
import { el, finiteExtent, label, pictureEntries, rasterImage, svgDocument, text } from '../svg';

/** What the library's unfoldPatches returns: the payload without version and layer name. */
export type UnfoldedPatches = Omit<PatchesPayload, 'version' | 'layerName'>;

/** The largest square crop side that keeps C·kH·kW·side² within the limit. */
export function patchCropSide(channels: number, kernelSize: [number, number]): number {
  const perPixel = channels * kernelSize[0] * kernelSize[1];
  return Math.max(1, Math.min(PATCHES_LIMITS.sentSide, Math.floor(Math.sqrt(PATCHES_LIMITS.sentPatchCells / perPixel))));
}

export function patchesPayload(u: UnfoldedPatches, layerName?: string): PatchesPayload {
  const c = float32CompactAll;
  return {
    version: PATCHES_VERSION,
    ...(layerName ? { layerName } : {}),
    config: u.config,
    image: { ...u.image, data: c(u.image.data) },
    padded: { ...u.padded, data: c(u.padded.data) },
    output: u.output,
    patches: { ...u.patches, data: c(u.patches.data) },
  };
}

const RED = '#e15759';
const BLUE = '#4e79a7';

/** The taps of output position (oy, ox) in padded-image coordinates. */
export function receptiveField(p: PatchesPayload, oy: number, ox: number): Array<[number, number]> {
  const { kernelSize, stride, dilation } = p.config;
  const taps: Array<[number, number]> = [];
  for (let ky = 0; ky < kernelSize[0]; ky++) {
    for (let kx = 0; kx < kernelSize[1]; kx++) taps.push([oy * stride[0] + ky * dilation[0], ox * stride[1] + kx * dilation[1]]);
  }
  return taps;
}

/** The picture of the padded image: RGB for 3/4 channels in [0, 1] or [0, 255], else channel 0 as a heatmap. */
function paddedRaster(p: PatchesPayload): { base64: string; factor: number; note: string } {
  const { height, width, channels, data } = p.padded;
  const [lo, hi] = finiteExtent(data) ?? [0, 0];
  if ((channels === 3 || channels === 4) && lo >= 0 && hi <= 255) {
    const range255 = hi > 1;
    return { ...rgbToPng(data, height, width, channels, range255, 220), note: 'RGB' };
  }
  const ch0 = new Float32Array(height * width);
  for (let i = 0; i < ch0.length; i++) ch0[i] = data[i * channels];
  const s = autoScale(lo, hi);
  return { ...gridToPng({ height, width, data: ch0 }, s, 220), note: channels > 1 ? `channel 0 of ${channels}` : '' };
}

export function patchesSvg(p: PatchesPayload): string {
  const { padding } = p.config;
  const img = paddedRaster(p);
  const f = img.factor;
  const left = 10;
  const top = 58;
  const iw = p.padded.width * f;
  const ih = p.padded.height * f;
  const body: string[] = [
    text(
      left,
      16,
      `Patches of ${p.layerName ?? 'a layer'}: kernel ${p.config.kernelSize.join('×')}, stride ${p.config.stride.join('×')}, ` +
        `dilation ${p.config.dilation.join('×')}, padding ${padText(p)} (${p.config.paddingMode})`,
      { 'font-weight': '600' },
    ),
    text(
      left,
      31,
      `input ${p.image.height}×${p.image.width}×${p.image.channels} → padded ${p.padded.height}×${p.padded.width} → ` +
        `output ${p.output.height}×${p.output.width}${img.note ? `; image: ${img.note}` : ''}`,
      { fill: '#555' },
    ),
    rasterImage(left, top, iw, ih, img.base64),
    el('rect', { x: left, y: top, width: iw, height: ih, fill: 'none', stroke: '#888', 'stroke-width': 0.5 }),
  ];
  // The original image inside the padded one: everything outside it is padding.
  if (padding[0][0] + padding[0][1] + padding[1][0] + padding[1][1] > 0) {
    body.push(
      el('rect', {
        x: left + padding[1][0] * f,
        y: top + padding[0][0] * f,
        width: p.image.width * f,
        height: p.image.height * f,
        fill: 'none',
        stroke: '#222',
        'stroke-width': 1,
        'stroke-dasharray': '4 2',
      }),
    );
  }
  const last: [number, number] = [p.output.height - 1, p.output.width - 1];
  for (const [[oy, ox], color] of [
    [[0, 0], RED],
    [last, BLUE],
  ] as Array<[[number, number], string]>) {
    for (const [y, x] of receptiveField(p, oy, ox)) {
      body.push(
        el('rect', {
          x: left + x * f + 0.5,
          y: top + y * f + 0.5,
          width: Math.max(1, f - 1),
          height: Math.max(1, f - 1),
          fill: 'none',
          stroke: color,
          'stroke-width': 1.2,
        }),
      );
    }
  }
  // The patch matrix: rows = C·kH·kW, cols = output positions.
  const { rows, cols } = p.patches;
  const mx = left + iw + 30;
  const fx = Math.max(1, Math.min(12, Math.floor(480 / cols)));
  const fy = Math.max(1, Math.min(12, Math.floor(220 / rows)));
  const mw = Math.min(cols * fx, 480);
  const mh = Math.min(rows * fy, 220);
  const [lo, hi] = finiteExtent(p.patches.data) ?? [0, 0];
  const s = autoScale(lo, hi);
  body.push(
    text(mx, top - 6, `unfolded patch matrix ${rows}×${cols} (rows: channel, ky, kx; columns: output positions)`, { fill: '#333' }),
    rasterImage(mx, top, mw, mh, gridToPngScaled({ height: rows, width: cols, data: p.patches.data }, s, fx, fy)),
    el('rect', { x: mx, y: top, width: mw, height: mh, fill: 'none', stroke: '#888', 'stroke-width': 0.5 }),
    colorBar(mx + mw + 8, top, Math.max(mh, 40), s),
  );
  const colW = mw / cols;
  body.push(el('rect', { x: mx, y: top - 1, width: Math.max(1.5, colW), height: mh + 2, fill: 'none', stroke: RED, 'stroke-width': 1.2 }));
  body.push(
    el('rect', {
      x: mx + (cols - 1) * colW,
      y: top - 1,
      width: Math.max(1.5, colW),
      height: mh + 2,
      fill: 'none',
      stroke: BLUE,
      'stroke-width': 1.2,
    }),
  );
  const h = top + Math.max(ih, mh, 40) + 24;
  body.push(
    text(
      left,
      h - 8,
      `red: output (0, 0) = column 0; blue: output (${last.join(', ')}) = column ${cols - 1}; dashed: the image inside its padding`,
      { fill: '#555' },
    ),
  );
  return svgDocument(Math.max(mx + mw + 60, 560), h, `Patches of ${p.layerName ?? 'a layer'}`, body);
}

function padText(p: PatchesPayload): string {
  const [[t, b], [l, r]] = p.config.padding;
  return t === b && l === r && t === l ? String(t) : `top ${t} bottom ${b} left ${l} right ${r}`;
}

export function patchesText(p: PatchesPayload, notes: string[]): string {
  const c = p.config;
  const col0 = Array.from({ length: Math.min(p.patches.rows, 9) }, (_, r) => label(p.patches.data[r * p.patches.cols]));
  const lines = [
    `Patches of ${p.layerName ?? 'a layer'}: kernel ${c.kernelSize.join('×')}, stride ${c.stride.join('×')}, ` +
      `dilation ${c.dilation.join('×')}, padding ${padText(p)}, mode ${c.paddingMode}`,
    `image ${p.image.height}×${p.image.width}×${p.image.channels} → padded ${p.padded.height}×${p.padded.width} → ` +
      `output ${p.output.height}×${p.output.width}`,
    `patch matrix ${p.patches.rows}×${p.patches.cols} (rows = C·kH·kW in channel, ky, kx order; columns = output positions row by row)`,
    ...(c.groups
      ? [
          `groups ${c.groups}: each filter sees ${p.image.channels / c.groups} of the ${p.image.channels} ` +
            `channels, ${p.patches.rows / c.groups} rows of each column`,
        ]
      : []),
    `column 0 (output (0, 0)) starts [${col0.join(', ')}${p.patches.rows > 9 ? ', …' : ''}]`,
  ];
  for (const n of notes) lines.push(`Note: ${n}.`);
  return lines.join('\n');
}

export function patchesBundle(u: UnfoldedPatches, layerName?: string, notes: string[] = []): MimeBundle {
  const payload = patchesPayload(u, layerName);
  return {
    data: {
      [MIME_PATCHES]: checkBeforeSending(MIME_PATCHES, payload),
      ...pictureEntries(patchesSvg(payload), `Patches of ${payload.layerName ?? 'a layer'}`),
      [MIME_TEXT]: patchesText(payload, notes),
    },
    metadata: {},
  };
}
