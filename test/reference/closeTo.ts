// |a − b| ≤ atol + rtol·|b| elementwise (b the reference), with a message that says where and by how much.
export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: expected ${expected.length} values, but got ${actual.length}`);
  let worst = -1;
  let worstExcess = 0;
  let bad = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    const excess = Math.abs(a - b) - (atol + rtol * Math.abs(b));
    if (!(excess <= 0)) {
      bad++;
      if (worst < 0 || !(excess <= worstExcess)) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (bad > 0) {
    const a = actual[worst];
    const b = expected[worst];
    throw new Error(
      `${what}: ${bad} of ${expected.length} values outside atol ${atol} + rtol ${rtol}·|ref|; worst at flat index ${worst}: ` +
        `got ${a}, reference ${b} (|Δ| = ${Math.abs(a - b)})`,
    );
  }
}
