// Which input patches make each filter fire: the activations payload (top-k receptive fields per
// filter with image index and location, and the activation maps of the first images), an SVG
// with one row per filter (its patches, then the first image's map with the top positions
// outlined) and a text table of the top activations.
import { autoScale } from '../colormap';
import { float32Compact, float32CompactAll } from '../compactNumbers';
import { gridToPng, rgbToPng } from '../heatmap';
import { ACTIVATIONS_LIMITS, ACTIVATIONS_VERSION, MIME_ACTIVATIONS, type ActivationPatch, type ActivationsPayload } from '../../payloads';
import { MIME_TEXT, MimeBundle } from '../mimeTypes';
import { checkBeforeSending } from './checkBeforeSending';
import { el, finiteExtent, label, pictureEntries, rasterImage, svgDocument, text } from '../svg';

/** What the library's filterActivations returns: the payload without its version. */
export type FilterActivationSamples = Omit<ActivationsPayload, 'version'>;

export function activationsPayload(s: FilterActivationSamples): { payload: ActivationsPayload; notes: string[] } {
  const notes: string[] = [];
  const perImage = s.filters.length * s.output.height * s.output.width;
  let mapImages = s.mapImages;
  if (perImage * mapImages.length > ACTIVATIONS_LIMITS.sentMapValues) {
    const keep = Math.floor(ACTIVATIONS_LIMITS.sentMapValues / perImage);
    notes.push(
      `activation maps kept for ${keep} of ${mapImages.length} images to stay ` +
        `within ${ACTIVATIONS_LIMITS.sentMapValues.toLocaleString('en-US')} values`,
    );
    mapImages = mapImages.slice(0, keep);
  }
  const c = float32CompactAll;
  const payload: ActivationsPayload = {
    version: ACTIVATIONS_VERSION,
    ...s,
    mapImages,
    filters: s.filters.map((f) => ({
      filter: f.filter,
      max: float32Compact(f.max),
      mean: float32Compact(f.mean),
      top: f.top.map((t) => ({ ...t, value: float32Compact(t.value), data: c(t.data) })),
      maps: f.maps.slice(0, mapImages.length).map((m) => c(m)),
    })),
  };
  return { payload, notes };
}

const RED = '#e15759';
const CELL = 40;
const GAP = 6;
const MAP_PX = 120;

/** A patch as PNG: RGB when it holds 3 channels in [0, 1] or [0, 255], else its first channel on the filter's shared scale. */
function patchPng(p: ActivationsPayload, t: ActivationPatch, lo: number, hi: number): string {
  const { height, width } = p.field;
  const ch = p.patchChannels.length;
  if (ch === 3 && lo >= 0 && hi <= 255) return rgbToPng(t.data, height, width, 3, hi > 1, CELL).base64;
  const first = Array.from({ length: height * width }, (_, i) => t.data[i * ch]);
  return gridToPng({ height, width, data: first }, autoScale(lo, hi), CELL).base64;
}

export function activationsSvg(p: ActivationsPayload): string {
  const left = 10;
  const top = 46;
  const shown = p.filters.slice(0, ACTIVATIONS_LIMITS.svgFilters);
  const rowH = Math.max(CELL, p.mapImages.length ? MAP_PX : 0) + 28;
  const L = p.layer;
  const body: string[] = [
    text(left, 16, `Top ${p.k} input patches per filter of ${L.className} "${L.name}"`, { 'font-weight': '600' }),
    text(
      left,
      31,
      `${p.images.count} images ${p.images.height}×${p.images.width}×${p.images.channels} ` +
        `→ ${p.output.height}×${p.output.width}×${L.filters}; field ${p.field.height}×${p.field.width}, ` +
        `kernel ${L.kernelSize.join('×')}, stride ${L.stride.join('×')}, dilation ${L.dilation.join('×')} (${L.paddingMode})`,
      { fill: '#555' },
    ),
  ];
  let width = 560;
  shown.forEach((f, r) => {
    const y0 = top + r * rowH;
    body.push(text(left, y0 + 10, `filter ${f.filter}: max ${label(f.max)}, mean ${label(f.mean)}`, { fill: '#333' }));
    const [lo, hi] = finiteExtent(f.top.flatMap((t) => t.data)) ?? [0, 1];
    f.top.forEach((t, i) => {
      const x = left + i * (CELL + GAP);
      body.push(
        rasterImage(x, y0 + 16, CELL, CELL, patchPng(p, t, lo, hi)),
        el('rect', { x, y: y0 + 16, width: CELL, height: CELL, fill: 'none', stroke: '#888', 'stroke-width': 0.5 }),
      );
    });
    let right = left + f.top.length * (CELL + GAP);
    if (f.maps.length) {
      const mx = right + 20;
      const map = f.maps[0];
      const [a, b] = finiteExtent(map) ?? [0, 1];
      const png = gridToPng({ height: p.output.height, width: p.output.width, data: map }, autoScale(a, b), MAP_PX);
      const mw = p.output.width * png.factor;
      const mh = p.output.height * png.factor;
      body.push(text(mx, y0 + 10, `map of image ${p.mapImages[0]}`, { fill: '#555' }), rasterImage(mx, y0 + 16, mw, mh, png.base64));
      for (const t of f.top.filter((q) => q.image === p.mapImages[0])) {
        body.push(
          el('rect', {
            x: mx + t.ox * png.factor,
            y: y0 + 16 + t.oy * png.factor,
            width: png.factor,
            height: png.factor,
            fill: 'none',
            stroke: RED,
            'stroke-width': 1.2,
          }),
        );
      }
      right = mx + mw;
    }
    width = Math.max(width, right + 10);
  });
  const height = top + shown.length * rowH + 10;
  body.push(
    text(left, height - 4, 'patches: largest activation first (one colour scale per filter); red squares: top positions in the map', {
      fill: '#555',
    }),
  );
  return svgDocument(width, height + 6, `Filter activations of ${L.name}`, body);
}

export function activationsText(p: ActivationsPayload, notes: string[]): string {
  const L = p.layer;
  const lines = [
    `Filter activations of ${L.className} "${L.name}": ` +
      `top ${p.k} of ${p.images.count}·${p.output.height}·${p.output.width} positions per filter`,
    `images ${p.images.height}×${p.images.width}×${p.images.channels} → ` +
      `output ${p.output.height}×${p.output.width}×${L.filters}; ` +
      `receptive field ${p.field.height}×${p.field.width} (kernel ${L.kernelSize.join('×')}, stride ${L.stride.join('×')}, ` +
      `dilation ${L.dilation.join('×')}, ` +
      `padding ${L.padding.map((s) => s.join('/')).join(', ')}, ${L.paddingMode}${L.groups > 1 ? `, groups ${L.groups}` : ''})`,
  ];
  for (const f of p.filters) {
    const tops = f.top.slice(0, 5).map((t) => `${label(t.value)} @ image ${t.image} (${t.oy}, ${t.ox})`);
    lines.push(`filter ${f.filter} (max ${label(f.max)}, mean ${label(f.mean)}): ${tops.join('; ')}${f.top.length > 5 ? '; …' : ''}`);
  }
  if (p.filters.length > ACTIVATIONS_LIMITS.svgFilters)
    notes = [...notes, `the picture shows the first ${ACTIVATIONS_LIMITS.svgFilters} of ${p.filters.length} filters`];
  if (p.patchChannels.length < p.images.channels)
    notes = [...notes, `patches hold the first ${p.patchChannels.length} of ${p.images.channels} input channels`];
  for (const n of notes) lines.push(`Note: ${n}.`);
  return lines.join('\n');
}

export function activationsBundle(s: FilterActivationSamples): MimeBundle {
  const { payload, notes } = activationsPayload(s);
  return {
    data: {
      [MIME_ACTIVATIONS]: checkBeforeSending(MIME_ACTIVATIONS, payload),
      ...pictureEntries(activationsSvg(payload), `Filter activations of ${payload.layer.name}`),
      [MIME_TEXT]: activationsText(payload, notes),
    },
    metadata: {},
  };
}
