// Bases made of one shape placed at grid points: Gaussian bumps (FastKAN), wavelets (Wav-KAN's
// mother wavelets, translated over a fixed grid), ReLU-KAN's squared ReLU bumps and fixed-grid
// B-splines. Each has a tensor form x: [..., F] → [..., F, K] and a float64 host form.
import * as tf from '@tensorflow/tfjs';
import { uniformKnots, basisCount } from '../bases/knots';
import { bsplineBasis } from '../ops/bsplineBasis';
import { bsplineValues } from '../bases/bsplineValues';
import type { WaveletName } from './basisOptions';

/** gridSize equally spaced centres over [lo, hi] and their spacing. */
export function centres(gridSize: number, [lo, hi]: [number, number]): { c: number[]; h: number } {
  const h = (hi - lo) / (gridSize - 1);
  return { c: Array.from({ length: gridSize }, (_, j) => lo + j * h), h };
}

/** (x − c_j) / h for every centre: [..., F] → [..., F, K]. */
function scaledOffsets(x: tf.Tensor, c: number[], h: number): tf.Tensor {
  return tf.tidy(() => tf.div(tf.sub(tf.expandDims(x, -1), tf.tensor1d(c)), h));
}

/** FastKAN: φ_j(x) = exp(−((x − c_j)/h)²). */
export function rbfBasis(x: tf.Tensor, gridSize: number, range: [number, number]): tf.Tensor {
  const { c, h } = centres(gridSize, range);
  return tf.tidy(() => tf.exp(tf.neg(tf.square(scaledOffsets(x, c, h)))));
}

export function rbfValues(x: number, gridSize: number, range: [number, number]): number[] {
  const { c, h } = centres(gridSize, range);
  return c.map((cj) => Math.exp(-(((x - cj) / h) ** 2)));
}

/** Mexican hat (Ricker) normalized to unit L2 norm: 2/(√3·π^¼)·(1 − t²)·e^{−t²/2}. */
export const MEXICAN_HAT_SCALE = 2 / (Math.sqrt(3) * Math.PI ** 0.25);
/** Morlet's centre frequency ω₀ (as in Wav-KAN). */
export const MORLET_OMEGA = 5;

/** ψ((x − c_j)/h) with c_j the gridSize centres over the range and h their spacing. */
export function waveletBasis(x: tf.Tensor, wavelet: WaveletName, gridSize: number, range: [number, number]): tf.Tensor {
  const { c, h } = centres(gridSize, range);
  return tf.tidy(() => {
    const t = scaledOffsets(x, c, h);
    const t2 = tf.square(t);
    const gauss = tf.exp(tf.mul(t2, -0.5));
    switch (wavelet) {
      case 'mexicanHat':
        return tf.mul(tf.mul(tf.sub(1, t2), gauss), MEXICAN_HAT_SCALE);
      case 'morlet':
        return tf.mul(tf.cos(tf.mul(t, MORLET_OMEGA)), gauss);
      case 'dog':
        return tf.neg(tf.mul(t, gauss)); // derivative of the Gaussian e^{−t²/2}
    }
  });
}

export function motherWavelet(wavelet: WaveletName, t: number): number {
  const g = Math.exp(-0.5 * t * t);
  switch (wavelet) {
    case 'mexicanHat':
      return MEXICAN_HAT_SCALE * (1 - t * t) * g;
    case 'morlet':
      return Math.cos(MORLET_OMEGA * t) * g;
    case 'dog':
      return -t * g;
  }
}

export function waveletValues(x: number, wavelet: WaveletName, gridSize: number, range: [number, number]): number[] {
  const { c, h } = centres(gridSize, range);
  return c.map((cj) => motherWavelet(wavelet, (x - cj) / h));
}

/**
 * ReLU-KAN (Qiu et al. 2024): R_i(x) = [ReLU(e_i − x)·ReLU(x − s_i)]²·16/(e_i − s_i)⁴ with
 * s_i = lo + (i − k)·h, e_i = s_i + (k + 1)·h, h = (hi − lo)/G, i = 0 … G + k − 1: bumps of
 * height 1 at the middle of their support (s_i, e_i).
 */
export function reluKanEdges(gridSize: number, order: number, [lo, hi]: [number, number]): { s: number[]; e: number[]; norm: number } {
  const h = (hi - lo) / gridSize;
  const s = Array.from({ length: gridSize + order }, (_, i) => lo + (i - order) * h);
  return { s, e: s.map((si) => si + (order + 1) * h), norm: 16 / ((order + 1) * h) ** 4 };
}

export function reluKanBasis(x: tf.Tensor, gridSize: number, order: number, range: [number, number]): tf.Tensor {
  const { s, e, norm } = reluKanEdges(gridSize, order, range);
  return tf.tidy(() => {
    const xe = tf.expandDims(x, -1);
    const r = tf.mul(tf.relu(tf.sub(tf.tensor1d(e), xe)), tf.relu(tf.sub(xe, tf.tensor1d(s))));
    return tf.mul(tf.square(r), norm);
  });
}

export function reluKanValues(x: number, gridSize: number, order: number, range: [number, number]): number[] {
  const { s, e, norm } = reluKanEdges(gridSize, order, range);
  return s.map((si, i) => (Math.max(0, e[i] - x) * Math.max(0, x - si)) ** 2 * norm);
}

/**
 * B-splines of efficient-kan on a fixed uniform grid (no grid updates; the adaptive layer is
 * ConvKAN2D), through ops/bsplineBasis (fused on cpu and wasm, with its gradient w.r.t. x).
 */
export function fixedBsplineBasis(x: tf.Tensor, gridSize: number, order: number, range: [number, number]): tf.Tensor {
  const K = basisCount(gridSize, order);
  return tf.tidy(() => {
    const row = uniformKnots(gridSize, order, range);
    const knots = tf.tensor2d(Float32Array.from(row), [1, row.length]); // one feature: every value shares the knots
    const b = bsplineBasis(tf.reshape(x, [x.size, 1]), knots, order); // [M, K]
    return tf.reshape(b, [...x.shape, K]);
  });
}

export function fixedBsplineValues(x: number, gridSize: number, order: number, range: [number, number]): number[] {
  const knots = uniformKnots(gridSize, order, range);
  const out = new Float64Array(basisCount(gridSize, order));
  bsplineValues(x, knots, 0, knots.length, order, out, 0);
  return Array.from(out);
}
