// Element-wise closeness of two float arrays for the kernel tests: |a − b| ≤ atol + rtol·|b|, NaN
// equal to NaN, and an error naming the first index that is not.
import assert from 'node:assert/strict';

export function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string, atol: number, rtol = 0): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) {
    const a = got[i] as number;
    const b = want[i] as number;
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) assert.fail(`${what}[${i}]: got ${a}, want ${b}`);
  }
}
