// The basis convolution of the recurrence families (Chebyshev, Legendre, Gram, Jacobi) without
// their constant function: P_0 ≡ 1 at every pixel of the padded input (whatever the padding
// mode), so its share of conv(φ(xp), W) is the same for every output pixel, Σ_{ky,kx,c} W[ky, kx,
// c·K, o], a per-channel constant. Convolving P_1 … P_d only saves 1/K of the convolution's
// work, forward and backward (a quarter at degree 3), and the gradients stay exact.
import * as tf from '@tensorflow/tfjs';
import { groupedConv2d, type GroupedConv2dOptions } from './groupedConv2d';
import type { RecurrenceCoefficients } from './polynomialMath';
import { hasPolynomialTail, polynomialTail } from './polynomialTail';

/** A basis as constantFirstConv2d sees it: its family's recurrence exists when P_0 ≡ 1 (bases/<family>.ts). */
export interface RecurrenceBasis<O extends { degree: number }> {
  family: { recurrence?(o: O): RecurrenceCoefficients };
  options: O;
}

/** The recurrence of a family whose P_0 ≡ 1 and degree ≥ 1, null for every other basis (or a backend without the kernel). */
export function constantFirstRecurrence<O extends { degree: number }>(basis: RecurrenceBasis<O>): RecurrenceCoefficients | null {
  if (!basis.family.recurrence || basis.options.degree < 1 || !hasPolynomialTail()) return null;
  return basis.family.recurrence(basis.options);
}

/**
 * xp: [N, Hp, Wp, C] (already padded), filter: [kH, kW, (C/G)·K, Cout] with channel c·K + k the
 * weight of P_k(tanh x_c), K = d + 1 → [N, H', W', Cout], equal to groupedConv2d(P_0…P_d(xp), filter, opts).
 */
export function constantFirstConv2d(
  xp: tf.Tensor4D,
  coeffs: RecurrenceCoefficients,
  filter: tf.Tensor4D,
  opts: GroupedConv2dOptions,
): tf.Tensor4D {
  const d = coeffs.length / 3;
  const K = d + 1;
  const [kH, kW, cgK, cout] = filter.shape;
  const [n, hp, wp, c] = xp.shape;
  if (cgK * opts.groups !== c * K) {
    throw new Error(
      `Error in constantFirstConv2d: filter in-channels × groups must be C·K = ${c}·${K} = ${c * K}, ` +
        `but got ${cgK}·${opts.groups} = ${cgK * opts.groups}.`,
    );
  }
  if (opts.padding)
    throw new Error(
      'Error in constantFirstConv2d: the input must be padded already (P_0 of a padded zero is 1), but got padding inside the convolution.',
    );
  return tf.tidy(() => {
    // [kH, kW, Cg, K, Cout] read as rows (ky, kx, c) and columns k·Cout + o, so that both parts are 2-D slices
    const rows = tf.reshape(filter, [(kH * kW * cgK) / K, K * cout]);
    const constant = tf.sum(tf.slice(rows, [0, 0], [-1, cout]), 0); // [Cout]: Σ over taps and channels of P_0's weights
    const tailFilter = tf.reshape(tf.slice(rows, [0, cout], [-1, d * cout]), [kH, kW, (cgK / K) * d, cout]) as tf.Tensor4D;
    const tail = tf.reshape(polynomialTail(xp, coeffs), [n, hp, wp, c * d]) as tf.Tensor4D; // channel c·d + k − 1: P_k, k ≥ 1
    return tf.add(groupedConv2d(tail, tailFilter, opts), constant) as tf.Tensor4D;
  });
}
