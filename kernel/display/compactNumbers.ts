// Payload numbers come from float32 tensors but arrive as doubles (0.05700000002980232).
// Nine significant digits identify every float32 exactly, so writing them that way keeps every
// value (Math.fround gives back the same float32) and halves the JSON.

export function float32Compact(v: number): number {
  return Number.isFinite(v) ? Number(Math.fround(v).toPrecision(9)) : v;
}

export function float32CompactAll(values: ArrayLike<number>): number[] {
  return Array.from(values, float32Compact);
}
