// Colour maps for heatmaps: viridis for one-signed data, a blue-white-red diverging map centred
// on zero for signed data (weights, patches), as matplotlib users expect.

type Rgb = [number, number, number];

// Stops sampled from matplotlib's viridis and RdBu_r at even spacing.
const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [180, 222, 44],
  [253, 231, 37],
];
const DIVERGING: Rgb[] = [
  [5, 48, 97],
  [33, 102, 172],
  [67, 147, 195],
  [146, 197, 222],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [244, 165, 130],
  [214, 96, 77],
  [178, 24, 43],
  [103, 0, 31],
];

export type ColormapName = 'viridis' | 'diverging';

function interpolate(stops: Rgb[], t: number): Rgb {
  const u = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const f = u - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** Colour of t ∈ [0, 1] in the named map. */
export function colorAt(map: ColormapName, t: number): Rgb {
  return interpolate(map === 'viridis' ? VIRIDIS : DIVERGING, t);
}

export function rgbHex([r, g, b]: Rgb): string {
  return '#' + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
}

/** The value range a heatmap uses: symmetric around 0 for the diverging map. */
export interface ColorScale {
  map: ColormapName;
  lo: number;
  hi: number;
}

/** Picks viridis for one-signed data and the diverging map (symmetric range) for signed data. */
export function autoScale(lo: number, hi: number): ColorScale {
  if (lo < 0 && hi > 0) {
    const m = Math.max(-lo, hi);
    return { map: 'diverging', lo: -m, hi: m };
  }
  return { map: 'viridis', lo, hi };
}

const NAN_GREY: Rgb = [190, 190, 190];

/** Row-major values → RGBA pixels in the scale; non-finite values are grey. */
export function valuesToRgba(values: ArrayLike<number>, scale: ColorScale): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const span = scale.hi - scale.lo;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const c = Number.isFinite(v) ? colorAt(scale.map, span > 0 ? (v - scale.lo) / span : 0.5) : NAN_GREY;
    out[i * 4] = c[0];
    out[i * 4 + 1] = c[1];
    out[i * 4 + 2] = c[2];
    out[i * 4 + 3] = 255;
  }
  return out;
}
