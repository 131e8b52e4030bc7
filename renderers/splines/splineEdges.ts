// Per-edge facts the splines figure draws, from the payload alone (no DOM, so node tests import
// them): the edge's knots, where its B-spline acts, and what its importance number measures.
import type { SplinesPayload } from '../../kernel/payloads/splines';

/** Knots of one edge: per (input, kernel position) when given so, else per input, else shared. */
export function knotsFor(payload: SplinesPayload, inC: number, ky: number, kx: number): number[] {
  const own = payload.knotsPerInput?.filter((k) => k.in === inC);
  const exact = own?.find((k) => k.ky === ky && k.kx === kx) ?? own?.find((k) => k.ky === undefined && k.kx === undefined);
  return exact?.knots ?? payload.knots ?? [];
}

/** Short name of what `importance` measures, for labels. */
export function importanceLabel(payload: SplinesPayload): string {
  return payload.importanceFrom === 'inputs' ? 'scale' : 'L1';
}

/**
 * Where this edge's B-spline acts: its interior knots [t_order, t_(n−1−order)] (they move with
 * updateGrid, per input and kernel position), else the layer's grid range.
 */
export function gridEndsFor(payload: SplinesPayload, inC: number, ky: number, kx: number): [number, number] {
  const knots = knotsFor(payload, inC, ky, kx);
  const order = payload.layer.splineOrder;
  if (order !== undefined && knots.length > 2 * order + 1) return [knots[order], knots[knots.length - 1 - order]];
  return payload.layer.gridRange;
}
