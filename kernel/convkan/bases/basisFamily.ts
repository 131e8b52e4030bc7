// What a basis family is: one descriptor per family (bases/<family>.ts) holds its math, defaults,
// the settings it reads (its config) and its own checks; bases/registry.ts lists them, and the
// option resolver, the layers, the family layer classes and the inspection derive everything else.
import type * as tf from '@tensorflow/tfjs';
import type { BasisSetting, ResolvedBasisOptions, BasisOptions } from './basisSettings';
import type { RecurrenceCoefficients } from '../ops/polynomialMath';

export interface BasisFamily<N extends string = string, S extends string | undefined = string | undefined> {
  /** The `basis` value that selects it (and is saved in configs). */
  readonly name: N;
  /**
   * torch-conv-kan's family name, the stem of its layer classes (`${stem}Conv2D`, `${stem}Conv1D`,
   * `${stem}Linear`); undefined: only the generic Basis* layers.
   */
  readonly classStem: S;
  /** The settings it reads: exactly these go into getConfig and the inspection header. */
  readonly settings: readonly BasisSetting[];
  /** Its defaults where they differ from the shared ones (bases/basisSettings.ts). */
  readonly defaults?: Partial<Omit<ResolvedBasisOptions, 'basis'>>;
  /** Checks beyond the shared per-setting ones; throws ConvKanArgumentError(context, setting, expected, actual). */
  check?(o: ResolvedBasisOptions, given: BasisOptions, context: string): void;
  /** Number of functions per input value (K). */
  size(o: ResolvedBasisOptions): number;
  /** Tensor form: x [M] → [M, K], differentiable w.r.t. x. */
  expand(o: ResolvedBasisOptions): (x: tf.Tensor) => tf.Tensor;
  /** Float64 host form φ_0(x) … φ_{K−1}(x), with the same input map as `expand` (references and plots). */
  evaluate(o: ResolvedBasisOptions): (x: number) => number[];
  /** The x range its edge functions are sampled over when the caller gives none. */
  sampleRange(o: ResolvedBasisOptions): [number, number];
  /**
   * Its three-term recurrence, for families whose first function is P_0 ≡ 1: the convolution then
   * skips P_0's share, a constant per output channel (ops/constantFirstConv.ts).
   */
  recurrence?(o: ResolvedBasisOptions): RecurrenceCoefficients;
  /**
   * Tensors its torch-conv-kan layer holds besides the convolutions whose values follow from the
   * options (FastKAN's `rbf.grid`): a torch state dict gets them on saving and must match them on loading.
   */
  torchBuffers?(o: ResolvedBasisOptions): TorchBuffer[];
}

/** One tensor a family's torch layer keeps that the options fix. */
export interface TorchBuffer {
  /** Its key under the layer's prefix, e.g. "rbf.grid". */
  key: string;
  /** What it holds, for errors ("centres": "… must equal the layer's centres …"). */
  holds: string;
  values: Float32Array;
}

/** Keeps the literal name and class stem in the type, so the registry can derive BasisName. */
export function defineFamily<const N extends string, const S extends string | undefined>(family: BasisFamily<N, S>): BasisFamily<N, S> {
  return family;
}

/** Polynomials of tanh(x): tanh saturates beyond ±3, so that is where their functions are worth plotting. */
export const tanhSampleRange = (): [number, number] => [-3, 3];

/** Grid families: the grid range widened by 10 % per side, to show the tails. */
export function gridSampleRange(o: ResolvedBasisOptions): [number, number] {
  const [lo, hi] = o.gridRange;
  const pad = 0.1 * (hi - lo);
  return [lo - pad, hi + pad];
}
