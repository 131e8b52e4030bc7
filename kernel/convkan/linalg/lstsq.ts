// Tensor front end of the batched least-squares solver (no gradient: used for refits only).
import * as tf from '@tensorflow/tfjs';
import { lstsqBatched, type LstsqOptions } from './householderLstsq';

/**
 * a: [m, n] or [batch, m, n], b: [m, r] or [batch, m, r] → x: [n, r] or [batch, n, r] (float32),
 * the minimum-norm least-squares solution of a·x ≈ b (torch.linalg.lstsq semantics).
 */
export function lstsq<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T, opts: LstsqOptions = {}): T {
  if (a.rank !== 2 && a.rank !== 3) throw new Error(`Error in lstsq: a must be rank 2 or 3, but got rank ${a.rank} (shape [${a.shape}]).`);
  if (b.rank !== a.rank)
    throw new Error(`Error in lstsq: b must have the rank of a (${a.rank}), but got rank ${b.rank} (shape [${b.shape}]).`);
  const batched = a.rank === 3;
  const [batch, m, n] = batched ? (a.shape as number[]) : [1, ...(a.shape as number[])];
  const [bb, mb, r] = batched ? (b.shape as number[]) : [1, ...(b.shape as number[])];
  if (bb !== batch || mb !== m) {
    throw new Error(`Error in lstsq: b must be [${batched ? `${batch}, ` : ''}${m}, r] to match a [${a.shape}], but got [${b.shape}].`);
  }
  const { solution } = lstsqBatched(a.dataSync(), b.dataSync(), batch, m, n, r, opts);
  return tf.tensor(Float32Array.from(solution), batched ? [batch, n, r] : [n, r]) as T;
}
