// The CKAN family of "Convolutional Kolmogorov-Arnold Networks" (Bodner et al., 2024;
// AntonioTepsich/Convolutional-KANs, architectures_28x28/): KANC-MLP, KKAN, Conv & KAN and their
// CNN baselines, in the paper's Small and Medium sizes. Their KAN convolution applies the same
// n_convs 3×3 KAN kernels to every input channel (C → C·n_convs, no padding); we build it as
// ChannelsToBatch → ConvKAN2D(1 → n_convs) → BatchToChannels, so weights and parameter counts
// match. Outputs are class probabilities (softmax; the paper's log_softmax + NLL loss is
// softmax + categorical cross-entropy).
import * as tf from '@tensorflow/tfjs';
import { ChannelsToBatch, BatchToChannels } from './channelwise';
import { GroupedConv2D } from './groupedConv2dLayer';
import { convLayer, kanDenseLayer } from './kanLayers';
import type { BasisName } from '../variants/basisOptions';
import type { BasisArgs } from '../variants/layerArgs';
import { ConvKanArgumentError, show } from '../conv/argumentError';

export type ModelSize = 'small' | 'medium';
export const MODEL_SIZES: readonly ModelSize[] = ['small', 'medium'];

export interface CkanOptions extends BasisArgs {
  /** 'small' (default) or 'medium', as the paper's tables. */
  size?: ModelSize;
  /** Grid size of every KAN layer (default 10, the paper's best Fashion-MNIST setting). */
  gridSize?: number;
  /** Basis of the KAN layers (default 'bspline', the paper's). */
  basis?: BasisName;
  /** [H, W, C] (default [28, 28, 1]). */
  inputShape?: [number, number, number];
  numClasses?: number;
  /** KAN kernels per input channel (default 5). */
  nConvs?: number;
  seed?: number;
}

interface Resolved extends Required<Omit<CkanOptions, 'seed' | keyof BasisArgs>> {
  seed?: number;
  basisArgs: BasisArgs;
}

function resolve(o: CkanOptions, builder: string): Resolved {
  const size = o.size ?? 'small';
  if (!MODEL_SIZES.includes(size)) throw new ConvKanArgumentError(builder, 'size', "'small' or 'medium'", show(o.size));
  const { degree, gridRange, splineOrder, alpha, beta, gramPoints } = o;
  const gridSize = o.gridSize ?? 10;
  return {
    size,
    basis: o.basis ?? 'bspline',
    inputShape: o.inputShape ?? [28, 28, 1],
    numClasses: o.numClasses ?? 10,
    nConvs: o.nConvs ?? 5,
    seed: o.seed,
    basisArgs: { degree, gridRange, splineOrder, alpha, beta, gramPoints, gridSize },
  };
}

const title = (name: string, size: ModelSize) => `${name}_${size === 'small' ? 'Small' : 'Medium'}`;

/** One CKAN KAN convolution: the same nConvs 3×3 KAN kernels on each of `channels` channels, 'valid'. */
function sharedKanConv(model: tf.Sequential, r: Resolved, channels: number, index: number): number {
  model.add(new ChannelsToBatch({ name: `kan_conv${index}_split` }));
  model.add(
    convLayer(r.basis, {
      ...r.basisArgs,
      filters: r.nConvs,
      kernelSize: 3,
      padding: 'valid',
      seed: r.seed == null ? undefined : r.seed + index,
      name: `kan_conv${index}`,
    }),
  );
  model.add(new BatchToChannels({ channels, name: `kan_conv${index}_merge` }));
  return channels * r.nConvs;
}

function input(model: tf.Sequential, r: Resolved): void {
  model.add(tf.layers.inputLayer({ inputShape: r.inputShape, name: 'image' }));
}

/** KANC-MLP: two KAN convolutions, each followed by 2×2 max pooling, then an MLP (Small: 1 dense layer, Medium: 2). */
export function kancMlp(options: CkanOptions = {}): tf.Sequential {
  const r = resolve(options, 'kancMlp');
  const model = tf.sequential({ name: title('KANC_MLP', r.size) });
  input(model, r);
  let c = sharedKanConv(model, r, r.inputShape[2], 1);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  c = sharedKanConv(model, r, c, 2);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  // Medium: the reference stacks two linear layers with no activation between them; so do we
  if (r.size === 'medium') model.add(tf.layers.dense({ units: 256 }));
  model.add(tf.layers.dense({ units: r.numClasses, activation: 'softmax' }));
  return model;
}

/** KKAN: the two KAN convolutions of KANC-MLP, then KANLinear head(s) (Small: 1, Medium: 2) on grid range [0, 1]. */
export function kkan(options: CkanOptions = {}): tf.Sequential {
  const r = resolve(options, 'kkan');
  const model = tf.sequential({ name: title('KKAN', r.size) });
  input(model, r);
  let c = sharedKanConv(model, r, r.inputShape[2], 1);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  c = sharedKanConv(model, r, c, 2);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  kanHead(model, r, r.size === 'medium' ? [256] : []);
  return model;
}

/** Conv & KAN: two plain convolutions with ReLU and pooling, then a KANLinear head (Small: 5/5 channels, 'same'; Medium: 5/25, 'valid'). */
export function convAndKan(options: CkanOptions = {}): tf.Sequential {
  const r = resolve(options, 'convAndKan');
  const model = tf.sequential({ name: title('Conv_KAN', r.size) });
  input(model, r);
  plainConvs(model, r);
  kanHead(model, r, []);
  return model;
}

/**
 * The paper's CNN baselines: Small = conv 5 → pool → conv 5 → pool → dense; Medium = 'valid' conv 5 → conv 25 → dense 245 (ReLU) → dense.
 */
export function cnnBaseline(options: CkanOptions = {}): tf.Sequential {
  const r = resolve(options, 'cnnBaseline');
  const model = tf.sequential({ name: title('CNN', r.size) });
  input(model, r);
  plainConvs(model, r);
  if (r.size === 'medium') model.add(tf.layers.dense({ units: 245, activation: 'relu' }));
  model.add(tf.layers.dense({ units: r.numClasses, activation: 'softmax' }));
  return model;
}

function plainConvs(model: tf.Sequential, r: Resolved): void {
  const medium = r.size === 'medium';
  const padding = medium ? 0 : 1;
  const seed = (i: number) => (r.seed == null ? undefined : r.seed + 20 + i);
  model.add(new GroupedConv2D({ filters: 5, kernelSize: 3, padding, activation: 'relu', seed: seed(1), name: 'conv1' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(new GroupedConv2D({ filters: medium ? 25 : 5, kernelSize: 3, padding, activation: 'relu', seed: seed(2), name: 'conv2' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
}

/** KANLinear layers of the given hidden widths, then one to the classes, followed by softmax. */
function kanHead(model: tf.Sequential, r: Resolved, hidden: number[]): void {
  // the reference's KANLinear heads use grid_range [0, 1] (their inputs are pooled ReLU/KAN features)
  const args = { ...r.basisArgs, gridRange: r.basisArgs.gridRange ?? ([0, 1] as [number, number]) };
  [...hidden, r.numClasses].forEach((units, i) =>
    model.add(kanDenseLayer(r.basis, { ...args, units, seed: r.seed == null ? undefined : r.seed + 10 + i, name: `kan_dense${i + 1}` })),
  );
  model.add(tf.layers.softmax());
}
