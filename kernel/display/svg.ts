import { MIME_HTML, MIME_SVG } from './mimeTypes';

// Small helpers for the SVG pictures drawn in the kernel (the fallbacks that saved notebooks show
// on GitHub and in nbconvert HTML). Strings only: no DOM in the kernel.

/** Escapes text for XML character data and attribute values. */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** A coordinate rounded to 0.1 px: keeps the SVG small without visible loss. */
export function px(v: number): string {
  const r = Math.round(v * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** A number for a label: short, fixed significant digits, no exponent for everyday values. */
export function label(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3)
    return v
      .toExponential(digits - 1)
      .replace(/\.?0+e/, 'e')
      .replace(/e\+?/, 'e');
  return String(Number(v.toPrecision(digits)));
}

export type Attrs = Record<string, string | number | undefined>;

function attrs(a: Attrs): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    out += ` ${k}="${xmlEscape(typeof v === 'number' ? px(v) : v)}"`;
  }
  return out;
}

/** One element; `children` are already-serialized SVG strings (or escaped text via `text()`). */
export function el(name: string, a: Attrs, ...children: string[]): string {
  return children.length ? `<${name}${attrs(a)}>${children.join('')}</${name}>` : `<${name}${attrs(a)}/>`;
}

export function text(x: number, y: number, content: string, a: Attrs = {}): string {
  return el('text', { x, y, ...a }, xmlEscape(content));
}

/** A polyline through (xs[i], ys[i]); non-finite points break the line into segments. */
export function polyline(xs: number[], ys: number[], a: Attrs): string {
  const segments: string[] = [];
  let current: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) current.push(`${px(xs[i])},${px(ys[i])}`);
    else if (current.length) {
      segments.push(current.join(' '));
      current = [];
    }
  }
  if (current.length) segments.push(current.join(' '));
  return segments.map((points) => el('polyline', { points, fill: 'none', ...a })).join('');
}

/** The root element. Light background so the picture reads the same in dark and light viewers. */
export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      'xmlns:xlink': 'http://www.w3.org/1999/xlink',
      width: Math.ceil(width),
      height: Math.ceil(height),
      viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
      'font-family': 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif',
      'font-size': 11,
    },
    el('title', {}, xmlEscape(title)),
    el('rect', { x: 0, y: 0, width: Math.ceil(width), height: Math.ceil(height), fill: '#ffffff' }),
    ...body,
  );
}

/** An embedded raster (a PNG data URI), drawn without smoothing so cells stay crisp. */
export function rasterImage(x: number, y: number, width: number, height: number, pngBase64: string): string {
  const href = `data:image/png;base64,${pngBase64}`;
  return el('image', {
    x,
    y,
    width,
    height,
    href,
    'xlink:href': href,
    preserveAspectRatio: 'none',
    style: 'image-rendering:pixelated;image-rendering:crisp-edges',
  });
}

/** Linear map from [d0, d1] onto [r0, r1]; a degenerate domain maps to the middle of the range. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (!(d1 > d0)) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Min and max over finite values, or undefined when there is none. */
export function finiteExtent(values: Iterable<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** Series colours (Tableau 10), shared by the curves and bars of every view. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/**
 * The picture as HTML: an <img> with the SVG as a data URI. Jupyter's HTML exports, JupyterLab
 * and GitHub sanitize inline SVG (nbconvert 6.5 strips every SVG child element, GitHub breaks
 * fills), but show an image data URI as drawn, embedded rasters included.
 */
export function svgAsHtmlImage(svg: string, alt: string): string {
  const size = /^<svg[^>]*?\swidth="(\d+)"[^>]*?\sheight="(\d+)"/.exec(svg);
  const dims = size ? ` width="${size[1]}" height="${size[2]}"` : '';
  return `<img src="data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}" alt="${xmlEscape(alt)}"${dims}/>`;
}

/** The bundle entries of a picture: the SVG itself and its HTML image form. */
export function pictureEntries(svg: string, alt: string): Record<string, string> {
  return { [MIME_SVG]: svg, [MIME_HTML]: svgAsHtmlImage(svg, alt) };
}
