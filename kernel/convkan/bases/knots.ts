// Knot vectors of efficient-kan's B-splines: gridSize intervals over gridRange, extended by
// `order` knots on each side so every point of the range has order + 1 non-zero bases.

/** Number of knots per input feature. */
export function knotCount(gridSize: number, order: number): number {
  return gridSize + 2 * order + 1;
}

/** Number of basis functions (spline coefficients) per input feature. */
export function basisCount(gridSize: number, order: number): number {
  return gridSize + order;
}

/** (i − order)·h + lo for i = 0 … gridSize + 2·order, h = (hi − lo) / gridSize (torch.arange form). */
export function uniformKnots(gridSize: number, order: number, gridRange: [number, number]): Float64Array {
  const [lo, hi] = gridRange;
  const h = (hi - lo) / gridSize;
  const knots = new Float64Array(knotCount(gridSize, order));
  for (let i = 0; i < knots.length; i++) knots[i] = (i - order) * h + lo;
  return knots;
}

/** The gridSize + 1 knots inside the range (efficient-kan's grid.T[order:-order]): sample points of the initial fit. */
export function interiorKnots(knots: ArrayLike<number>, order: number): Float64Array {
  return Float64Array.from(Array.prototype.slice.call(knots, order, knots.length - order) as number[]);
}

/**
 * efficient-kan's update_grid knots from one feature's sorted samples: the adaptive knots
 * (samples at evenly spaced ranks) blended with a uniform grid over [min − margin, max + margin]
 * by gridEps, then extended by `order` uniform steps on each side.
 */
export function adaptiveKnots(sorted: ArrayLike<number>, gridSize: number, order: number, margin: number, gridEps: number): Float64Array {
  const m = sorted.length;
  const first = sorted[0];
  const last = sorted[m - 1];
  const step = (last - first + 2 * margin) / gridSize;
  const knots = new Float64Array(knotCount(gridSize, order));
  for (let i = 0; i <= gridSize; i++) {
    const adaptive = sorted[integerLinspace(0, m - 1, gridSize + 1, i)];
    const uniform = i * step + first - margin;
    knots[order + i] = gridEps * uniform + (1 - gridEps) * adaptive;
  }
  for (let i = 1; i <= order; i++) {
    knots[order - i] = knots[order] - i * step;
    knots[order + gridSize + i] = knots[order + gridSize] + i * step;
  }
  return knots;
}

/**
 * torch.linspace(start, end, steps, dtype=int64)[i]: computed in floating point from whichever
 * end is nearer (as ATen does), then truncated toward zero.
 */
export function integerLinspace(start: number, end: number, steps: number, i: number): number {
  if (steps === 1) return Math.trunc(start);
  const step = (end - start) / (steps - 1);
  const halfway = Math.floor(steps / 2);
  const v = i < halfway ? start + step * i : end - step * (steps - i - 1);
  return Math.trunc(v);
}
