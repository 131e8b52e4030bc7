// A tf.Tensor as a cell result: PyTorch-style text, plus a heatmap (SVG with an embedded PNG) for
// matrices, HWC images and slices of higher-rank tensors.
import * as tf from '@tensorflow/tfjs';
import { heatmapSvg, rgbToPng } from './heatmap';
import { MIME_HTML, MIME_SVG, MIME_TEXT, MimeBundle } from './mimeTypes';
import { el, finiteExtent, rasterImage, svgAsHtmlImage, svgDocument, text, xmlEscape } from './svg';
import { formatTensor, ReprDtype } from './tensorRepr';

/** Heatmaps are drawn for grids up to this many cells per side (larger ones are strided). */
export const HEATMAP_MAX_SIDE = 256;

export function isTensor(value: unknown): value is tf.Tensor {
  return value instanceof tf.Tensor;
}

export function tensorText(t: tf.Tensor): string {
  const name = t instanceof tf.Variable ? 'variable' : 'tensor';
  if (t.isDisposed) return `${name}(<disposed>, shape=[${t.shape.join(', ')}], dtype=${t.dtype})`;
  const values = t.dataSync() as unknown as ArrayLike<number> | string[];
  return formatTensor({ shape: t.shape, dtype: t.dtype as ReprDtype, values }, { name });
}

export function tensorBundle(t: tf.Tensor): MimeBundle {
  const text = tensorText(t);
  const data: Record<string, unknown> = { [MIME_TEXT]: text };
  if (!t.isDisposed && (t.dtype === 'float32' || t.dtype === 'int32' || t.dtype === 'bool')) {
    const svg = tensorHeatmapSvg(t);
    if (svg) {
      data[MIME_SVG] = svg;
      // Front ends show one type per output: the HTML form shows the values and the picture together.
      // Side by side where there is room (the picture first: the text of a big matrix is long).
      const img = svgAsHtmlImage(svg, `heatmap of a tensor of shape [${t.shape.join(', ')}]`);
      data[MIME_HTML] =
        `<div class="convkan-tensor" style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start">${img}` +
        `<pre style="margin:0">${xmlEscape(text)}</pre></div>`;
    }
  }
  return { data, metadata: {} };
}

interface Slice {
  height: number;
  width: number;
  channels: number;
  data: Float32Array;
  caption: string;
}

/**
 * The 2-D picture of a tensor, or undefined when it has none (rank < 2, or a side of 1 only).
 * Rank 2: the matrix. Rank 3: an HWC image when C ∈ {1, 3, 4}, else channel 0 (said in the
 * caption). Rank ≥ 4: the first item of every leading dimension, then as rank 3.
 */
export function tensorSlice(t: tf.Tensor): Slice | undefined {
  if (t.rank < 2 || t.size === 0) return undefined;
  const values = t.dataSync() as unknown as ArrayLike<number>;
  const shape = t.shape as number[];
  const lead = shape.slice(0, Math.max(0, t.rank - 3));
  const [h, w, c]: number[] = t.rank === 2 ? [shape[0], shape[1], 1] : shape.slice(-3);
  // Rank ≥ 4: item 0 of each leading dimension is the first h·w·c values.
  const hw = t.rank === 2 ? [h, w] : [h, w, c];
  const leadNote = lead.length ? `[${lead.map(() => '0').join(', ')}] ` : '';
  if (h * w === 1 && t.rank === 2) return undefined;
  const image = t.rank >= 3 && (c === 1 || c === 3 || c === 4);
  const channels = image ? c : 1;
  const sy = Math.ceil(h / HEATMAP_MAX_SIDE);
  const sx = Math.ceil(w / HEATMAP_MAX_SIDE);
  const oh = Math.ceil(h / sy);
  const ow = Math.ceil(w / sx);
  const data = new Float32Array(oh * ow * channels);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      for (let k = 0; k < channels; k++) {
        data[(y * ow + x) * channels + k] = Number(values[(y * sy * w + x * sx) * (t.rank === 2 ? 1 : c) + k]);
      }
    }
  }
  const strided = sy > 1 || sx > 1 ? `, one cell in ${sy}×${sx} shown` : '';
  const what = t.rank === 2 ? 'matrix' : image ? (c === 1 ? 'HWC image, 1 channel' : `HWC image, ${c} channels`) : `channel 0 of ${c}`;
  return { height: oh, width: ow, channels, data, caption: `${leadNote}${what} [${hw.join('×')}]${strided}` };
}

function tensorHeatmapSvg(t: tf.Tensor): string | undefined {
  const s = tensorSlice(t);
  if (!s) return undefined;
  if (s.channels === 1) return heatmapSvg({ height: s.height, width: s.width, data: s.data }, s.caption);
  const [lo, hi] = finiteExtent(s.data) ?? [0, 0];
  const range255 = lo >= 0 && hi > 1 && hi <= 255;
  const { base64, factor } = rgbToPng(s.data, s.height, s.width, s.channels as 3 | 4, range255);
  const w = s.width * factor;
  const h = s.height * factor;
  return svgDocument(w + 16, h + 40, s.caption, [
    text(8, 15, s.caption, { 'font-weight': '600' }),
    rasterImage(8, 24, w, h, base64),
    el('rect', { x: 8, y: 24, width: w, height: h, fill: 'none', stroke: '#888', 'stroke-width': 0.5 }),
    text(8, h + 36, range255 ? 'values in [0, 255]' : 'values in [0, 1] (clipped)', { fill: '#555' }),
  ]);
}
