// Plain stacks of 3×3 convolutions like torch-conv-kan's baselines (SimpleConvKAN: 4 layers,
// EightSimpleConvKAN: 8), each layer a ConvKAN of any basis or a plain Conv2d, followed by batch
// normalization; then global average pooling, dropout and a linear (or KAN) classifier. Mixing
// kinds per layer gives the hybrids (plain convolutions early, KAN convolutions late, or any order).
import * as tf from '@tensorflow/tfjs';
import { convLayer, kanDenseLayer, checkConvKind, type ConvKind } from './kanLayers';
import type { BasisArgs } from '../variants/layerArgs';
import type { BasisName } from '../variants/basisOptions';
import { ConvKanArgumentError, show } from '../conv/argumentError';

export interface ConvStackOptions extends BasisArgs {
  /** One kind for every layer, or one per layer ('conv' = plain Conv2d + ReLU). */
  kinds: ConvKind | readonly ConvKind[];
  /** Output channels of each layer. */
  widths: readonly number[];
  /** Stride of each layer (default 1 for all). */
  strides?: readonly number[];
  /** [H, W, C] of the input images. */
  inputShape: [number, number, number];
  numClasses: number;
  /** Batch normalization after every layer (default true). */
  batchNorm?: boolean;
  /** Dropout before the classifier (default 0.25). */
  dropout?: number;
  /** Classifier: 'linear' (default) or a KAN layer of this basis. */
  head?: 'linear' | BasisName;
  name?: string;
  seed?: number;
}

export function convStack(o: ConvStackOptions): tf.Sequential {
  const ctx = o.name ?? 'convStack';
  const n = o.widths.length;
  if (n === 0) throw new ConvKanArgumentError(ctx, 'widths', 'at least one layer width', show(o.widths));
  const kinds = typeof o.kinds === 'string' ? new Array<ConvKind>(n).fill(o.kinds) : [...o.kinds];
  if (kinds.length !== n) throw new ConvKanArgumentError(ctx, 'kinds', `one kind per layer (${n})`, show(o.kinds));
  kinds.forEach((k) => checkConvKind(k, ctx));
  const strides = o.strides ?? new Array<number>(n).fill(1);
  if (strides.length !== n) throw new ConvKanArgumentError(ctx, 'strides', `one stride per layer (${n})`, show(o.strides));
  const { degree, gridSize, gridRange, splineOrder, alpha, beta, gramPoints } = o;
  const basisArgs: BasisArgs = { degree, gridSize, gridRange, splineOrder, alpha, beta, gramPoints };
  const model = tf.sequential({ name: o.name });
  model.add(tf.layers.inputLayer({ inputShape: o.inputShape, name: 'image' }));
  kinds.forEach((kind, i) => {
    const padding = 1; // torch's padding=1: keeps the size at stride 1, halves it at stride 2
    const seed = o.seed == null ? undefined : o.seed + i;
    model.add(
      convLayer(kind, { ...basisArgs, filters: o.widths[i], kernelSize: 3, strides: strides[i], padding, seed, name: `${kind}_${i + 1}` }),
    );
    // PyTorch's BatchNorm2d default (its momentum 0.1 is 0.9 here): tfjs' 0.99 barely moves the
    // moving statistics in short runs, and inference then normalizes with the wrong ones
    if (o.batchNorm ?? true) model.add(tf.layers.batchNormalization({ momentum: 0.9, name: `bn_${i + 1}` }));
    if (kind === 'conv') model.add(tf.layers.reLU({ name: `relu_${i + 1}` })); // KAN layers carry their own nonlinearity
  });
  model.add(tf.layers.globalAveragePooling2d({ name: 'pool' }));
  const dropout = o.dropout ?? 0.25;
  if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout }));
  const head = o.head ?? 'linear';
  if (head === 'linear') model.add(tf.layers.dense({ units: o.numClasses, activation: 'softmax', name: 'classifier' }));
  else {
    model.add(kanDenseLayer(head, { ...basisArgs, units: o.numClasses, name: 'classifier' }));
    model.add(tf.layers.softmax());
  }
  return model;
}

export interface SimpleStackOptions extends BasisArgs {
  /** Layer kind (default 'bspline'). */
  basis?: ConvKind;
  inputShape?: [number, number, number];
  numClasses?: number;
  /** Widths (default 4 layers: [32, 64, 128, 256]; 8 layers: [32, 32, 64, 64, 128, 128, 128, 256]). */
  widths?: readonly number[];
  head?: 'linear' | BasisName;
  batchNorm?: boolean;
  dropout?: number;
  seed?: number;
}

const FOUR = { widths: [32, 64, 128, 256], strides: [1, 2, 2, 1] };
const EIGHT = { widths: [32, 32, 64, 64, 128, 128, 128, 256], strides: [1, 2, 1, 2, 1, 2, 1, 1] };

function simple(depth: 4 | 8, o: SimpleStackOptions, kindsFor: (kind: ConvKind, n: number) => ConvKind[], name: string): tf.Sequential {
  const d = depth === 4 ? FOUR : EIGHT;
  const widths = o.widths ?? d.widths;
  if (widths.length !== depth) throw new ConvKanArgumentError(name, 'widths', `${depth} widths`, show(widths));
  const kind = o.basis ?? 'bspline';
  return convStack({
    ...o,
    kinds: kindsFor(kind, depth),
    widths,
    strides: d.strides,
    inputShape: o.inputShape ?? [32, 32, 3],
    numClasses: o.numClasses ?? 10,
    name,
  });
}

/** 4 layers of 3×3 ConvKAN (strides 1, 2, 2, 1), like torch-conv-kan's SimpleConvKAN. */
export function simpleConvKan4(o: SimpleStackOptions = {}): tf.Sequential {
  return simple(4, o, (k, n) => new Array<ConvKind>(n).fill(k), `SimpleConv4_${o.basis ?? 'bspline'}`);
}

/** 8 layers of 3×3 ConvKAN (strides 1, 2, 1, 2, 1, 2, 1, 1), like torch-conv-kan's EightSimpleConvKAN. */
export function simpleConvKan8(o: SimpleStackOptions = {}): tf.Sequential {
  return simple(8, o, (k, n) => new Array<ConvKind>(n).fill(k), `SimpleConv8_${o.basis ?? 'bspline'}`);
}

/** A hybrid: the first `convLayers` layers plain Conv2d (cheap feature extraction), the rest ConvKAN of `basis`. */
export function hybridConvKan(o: SimpleStackOptions & { depth?: 4 | 8; convLayers?: number } = {}): tf.Sequential {
  const depth = o.depth ?? 4;
  const convLayers = o.convLayers ?? depth / 2;
  if (!Number.isInteger(convLayers) || convLayers < 0 || convLayers > depth)
    throw new ConvKanArgumentError('hybridConvKan', 'convLayers', `an integer in [0, ${depth}]`, show(o.convLayers));
  const kind = o.basis ?? 'bspline';
  return simple(
    depth,
    o,
    (k, n) => Array.from({ length: n }, (_, i) => (i < convLayers ? 'conv' : k)),
    `Hybrid${depth}_${convLayers}conv_${kind}`,
  );
}
