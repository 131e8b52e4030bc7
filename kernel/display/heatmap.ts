// Grids of numbers as pictures: a PNG raster (upscaled with nearest neighbour) and an SVG figure
// with that raster, a colour bar and its range — used for tensor heatmaps and the patches view.
import { autoScale, colorAt, ColorScale, rgbHex, valuesToRgba } from './colormap';
import { encodePng, upscale } from './png';
import { el, finiteExtent, label, rasterImage, svgDocument, text } from './svg';

/** Grid values, row-major; `channels` 3 or 4 means RGB(A) colours instead of a colour map. */
export interface Grid {
  height: number;
  width: number;
  data: ArrayLike<number>;
}

/** Encodes a grid as PNG, enlarged by an integer factor so the larger side is about `targetPx`. */
export function gridToPng(grid: Grid, colorScale: ColorScale, targetPx = 240): { base64: string; factor: number } {
  const factor = integerZoom(grid.width, grid.height, targetPx);
  return { base64: gridToPngScaled(grid, colorScale, factor, factor), factor };
}

/** Encodes a grid as PNG with separate integer zoom factors per axis (for wide matrices). */
export function gridToPngScaled(grid: Grid, colorScale: ColorScale, fx: number, fy: number): string {
  const rgba = upscale(valuesToRgba(grid.data, colorScale), grid.width, grid.height, fx, fy);
  return encodePng(rgba, grid.width * fx, grid.height * fy).toString('base64');
}

/** RGB(A) pixels in [0, 1] (or [0, 255] when `range255`) as PNG. */
export function rgbToPng(
  data: ArrayLike<number>,
  height: number,
  width: number,
  channels: 3 | 4,
  range255: boolean,
  targetPx = 240,
): { base64: string; factor: number } {
  const rgba = new Uint8Array(width * height * 4);
  const k = range255 ? 1 : 255;
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = clampByte(data[i * channels + c] * k);
    rgba[i * 4 + 3] = channels === 4 ? clampByte(data[i * channels + 3] * k) : 255;
  }
  const factor = integerZoom(width, height, targetPx);
  return { base64: encodePng(upscale(rgba, width, height, factor), width * factor, height * factor).toString('base64'), factor };
}

function clampByte(v: number): number {
  return Number.isFinite(v) ? Math.max(0, Math.min(255, Math.round(v))) : 0;
}

export function integerZoom(width: number, height: number, targetPx: number): number {
  return Math.max(1, Math.min(32, Math.floor(targetPx / Math.max(width, height))));
}

/** A vertical colour bar with its range written at both ends. */
export function colorBar(x: number, y: number, height: number, s: ColorScale): string {
  const stops: string[] = [];
  for (let i = 0; i <= 10; i++) {
    stops.push(el('stop', { offset: `${i * 10}%`, 'stop-color': rgbHex(colorAt(s.map, 1 - i / 10)) }));
  }
  const id = `cb-${s.map}`;
  return [
    el('defs', {}, el('linearGradient', { id, x1: 0, y1: 0, x2: 0, y2: 1 }, ...stops)),
    el('rect', { x, y, width: 10, height, fill: `url(#${id})`, stroke: '#888', 'stroke-width': 0.5 }),
    text(x + 14, y + 9, label(s.hi)),
    text(x + 14, y + height, label(s.lo)),
  ].join('');
}

/** A standalone heatmap figure: title, the raster with a frame, the colour bar and the grid size. */
export function heatmapSvg(grid: Grid, title: string, colorScale?: ColorScale): string {
  const extent = finiteExtent(Array.from(grid.data)) ?? [0, 0];
  const s = colorScale ?? autoScale(extent[0], extent[1]);
  const { base64, factor } = gridToPng(grid, s);
  const w = grid.width * factor;
  const h = grid.height * factor;
  const left = 8;
  const top = 24;
  const body = [
    text(left, 15, title, { 'font-weight': '600' }),
    rasterImage(left, top, w, h, base64),
    el('rect', { x: left, y: top, width: w, height: h, fill: 'none', stroke: '#888', 'stroke-width': 0.5 }),
    colorBar(left + w + 10, top, Math.max(h, 40), s),
    text(left, top + Math.max(h, 40) + 14, `${grid.height}×${grid.width}`, { fill: '#555' }),
  ];
  return svgDocument(left + w + 70, top + Math.max(h, 40) + 22, title, body);
}
