// Wav-KAN's mother wavelets, translated over a fixed grid: three families sharing one shape
// ψ((x − c_j)/h), c_j the gridSize centres over the range and h their spacing.
import * as tf from '@tensorflow/tfjs';
import { defineFamily, gridSampleRange } from './basisFamily';
import { checkIntAtLeast } from './basisSettings';
import { centres, scaledOffsets, MIN_CENTRES } from './gridCentres';
import { waveletBasisFused } from '../ops/elementwiseBasis';

export const WAVELET_BASES = ['mexicanHat', 'morlet', 'dog'] as const;
export type WaveletName = (typeof WAVELET_BASES)[number];

/** Mexican hat (Ricker) normalized to unit L2 norm: 2/(√3·π^¼)·(1 − t²)·e^{−t²/2}. */
export const MEXICAN_HAT_SCALE = 2 / (Math.sqrt(3) * Math.PI ** 0.25);
/** Morlet's centre frequency ω₀ (as in Wav-KAN). */
export const MORLET_OMEGA = 5;

/** ψ((x − c_j)/h) as a composite of tfjs ops (any backend). */
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

function waveletFamily<const W extends WaveletName, const S extends string>(wavelet: W, classStem: S) {
  return defineFamily({
    name: wavelet,
    classStem,
    settings: ['gridSize', 'gridRange'],
    check: (o, given, context) => checkIntAtLeast(o, given, 'gridSize', MIN_CENTRES, context),
    size: (o) => o.gridSize,
    expand:
      ({ gridSize, gridRange }) =>
      (x) => {
        // the fused kernel (cpu, wasm) where it exists, else the composite of tfjs ops
        const { c, h } = centres(gridSize, gridRange);
        return waveletBasisFused(x, wavelet, c, h) ?? waveletBasis(x, wavelet, gridSize, gridRange);
      },
    evaluate:
      ({ gridSize, gridRange }) =>
      (x) =>
        waveletValues(x, wavelet, gridSize, gridRange),
    sampleRange: gridSampleRange,
  });
}

export const mexicanHat = waveletFamily('mexicanHat', 'WavKANMexicanHat');
export const morlet = waveletFamily('morlet', 'WavKANMorlet');
export const dog = waveletFamily('dog', 'WavKANDoG');
