// The layer shapes of the layer benchmark (kernel 3, padding 1, grid 5, order 3), and tiny
// stand-ins with the same structure for the test that runs the benchmark end to end.
export interface LayerShape {
  id: string;
  inChannels: number;
  outChannels: number;
  size: number; // H = W
  groups: number;
}

export const LAYER_SHAPES: LayerShape[] = [
  { id: 'a', inChannels: 3, outChannels: 32, size: 32, groups: 1 },
  { id: 'b', inChannels: 32, outChannels: 64, size: 16, groups: 1 },
  { id: 'c', inChannels: 64, outChannels: 128, size: 8, groups: 1 },
  { id: 'd', inChannels: 64, outChannels: 64, size: 16, groups: 8 },
];

export const TINY_SHAPES: LayerShape[] = [
  { id: 'a', inChannels: 3, outChannels: 4, size: 6, groups: 1 },
  { id: 'b', inChannels: 4, outChannels: 8, size: 5, groups: 1 },
  { id: 'c', inChannels: 8, outChannels: 8, size: 4, groups: 1 },
  { id: 'd', inChannels: 8, outChannels: 8, size: 5, groups: 4 },
];

export const KERNEL = 3;
export const PADDING = 1;
export const GRID_SIZE = 5;
export const SPLINE_ORDER = 3;
/** Degree of the Chebyshev (KACN) layer timed against torch-conv-kan's. */
export const CHEBYSHEV_DEGREE = 3;

export function describeShape(s: LayerShape): string {
  return `${s.inChannels}→${s.outChannels} @${s.size}×${s.size}${s.groups > 1 ? ` g${s.groups}` : ''}`;
}

export function selectShapes(ids: string[] | 'all', tiny: boolean): LayerShape[] {
  const pool = tiny ? TINY_SHAPES : LAYER_SHAPES;
  if (ids === 'all') return pool;
  return ids.map((id) => {
    const s = pool.find((p) => p.id === id);
    if (!s)
      throw new Error(`benchLayers: --shapes must name shapes from ${pool.map((p) => p.id).join(', ')}, but got ${JSON.stringify(id)}.`);
    return s;
  });
}
