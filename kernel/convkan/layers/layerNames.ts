// Readable default layer names ('conv_kan2d_1', 'kan_linear_1'): tfjs would derive
// 'conv_ka_n2d_ConvKAN2D1' from the class name.
const counters = new Map<string, number>();

export function defaultLayerName(prefix: string): string {
  const n = (counters.get(prefix) ?? 0) + 1;
  counters.set(prefix, n);
  return `${prefix}_${n}`;
}
