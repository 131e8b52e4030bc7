// The base of every KAN convolution (ConvKAN2D, the basis families' BasisConvKAN1D/2D, the
// bottleneck layer), as tfjs' BaseConv(rank) is of Conv1D and Conv2D: one argument interface
// (KANConvArgs), resolved and validated once, in the constructor, by resolveConvArgs; one check
// of every input shape (checkInputShape); and one call() that brings any input to NHWC (a 1-D
// signal is a 1 × L image), runs the subclass's convolve, adds the bias and applies the
// activation in the layer's own layout. The same bad argument or input therefore gets the same
// error from every layer.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, show } from '../conv/argumentError';
import {
  checkDataFormat,
  checkSpatialFits,
  geometryFor,
  outputSpatial,
  resolveConvGeometry,
  type ConvGeometry,
  type ConvGeometryArgs,
  type ConvPaddingArg,
  type ConvRank,
  type DataFormat,
  type Pair,
} from '../conv/convGeometry';
import { CONV_ARG_NAMES, TF_LAYER_ARG_NAMES, checkArgNames, type ConvAliasArgs, type LayerArgs } from './argNames';
import { positiveInt } from './kanArgs';
import { addBias, applyActivation, type OutputArgs, type ResolvedOutputArgs } from './outputArgs';
import { singleShape, singleTensor } from './layerInputs';
import { classNameOf, defaultName } from './layerNames';
import { KANLayer } from './kanLayer';

/** What every KAN convolution takes: tf's layer arguments, the Conv geometry, channels, layout, bias and activation. */
export interface KANConvArgs<R extends ConvRank> extends LayerArgs, ConvGeometryArgs<R>, OutputArgs, ConvAliasArgs {
  /** Output channels (alias: outChannels). */
  filters?: number;
  outChannels?: number;
  /** Channels are split into `groups` independent groups, as torch.nn.Conv2d(groups=…) (default 1). */
  groups?: number;
  /** 'channelsLast' (NHWC / NLC, default, as tf.layers) or 'channelsFirst' (NCHW / NCL, PyTorch's layout). */
  dataFormat?: DataFormat;
}

/** The argument names of KANConvArgs plus a layer's own (aliases aside), for the argument-name check. */
export function convArgNames(...own: readonly string[]): string[] {
  return [...TF_LAYER_ARG_NAMES, 'filters', ...CONV_ARG_NAMES, ...own];
}

/**
 * A layer's arguments with aliases folded into our names; an unknown name is refused naming the
 * layer class (new.target in a constructor, so a family reports its own name).
 */
export function checkedArgs<T extends { name?: string }>(cls: unknown, given: T, accepted: readonly string[]): T {
  return checkArgNames(classNameOf(cls), given.name, given, accepted);
}

export interface ResolvedConvArgs<R extends ConvRank> {
  filters: number;
  groups: number;
  geometry: ConvGeometry;
  dataFormat: DataFormat;
  /** The padding argument as given (getConfig writes it back; 'same' is resolved per input size). */
  paddingArg: ConvPaddingArg<R>;
}

/** The one resolver of KANConvArgs: every value checked, defaults filled in, errors naming the layer. */
export function resolveConvArgs<R extends ConvRank>(rank: R, args: KANConvArgs<R>, context: string): ResolvedConvArgs<R> {
  const filters = positiveInt(args.filters, context, 'filters');
  const groups = positiveInt(args.groups ?? 1, context, 'groups');
  if (filters % groups !== 0) throw new ConvKanArgumentError(context, 'filters', `divisible by groups (${groups})`, String(filters));
  const geometry = resolveConvGeometry(args as ConvGeometryArgs<ConvRank>, context, rank);
  const dataFormat = checkDataFormat(args.dataFormat, context);
  return { filters, groups, geometry, dataFormat, paddingArg: args.padding ?? ('valid' as ConvPaddingArg<R>) };
}

export abstract class KANConv<R extends ConvRank> extends KANLayer {
  readonly rank: R;
  readonly filters: number;
  readonly groups: number;
  readonly geometry: ConvGeometry;
  readonly dataFormat: DataFormat;
  readonly paddingArg: ConvPaddingArg<R>;
  /** Input channels: given (ConvKAN2D's inChannels) or taken from the input at build. */
  inChannels: number | null = null;
  /** useBias, activation and the weights' initializers/regularizers/constraints. */
  abstract readonly outputArgs: ResolvedOutputArgs<string>;

  /** args: already checked by checkedArgs (aliases folded). */
  protected constructor(rank: R, args: KANConvArgs<R>) {
    super({ ...args, name: defaultName(new.target, args.name) });
    this.rank = rank;
    const resolved = resolveConvArgs(rank, args, this.context());
    this.filters = resolved.filters;
    this.groups = resolved.groups;
    this.geometry = resolved.geometry;
    this.dataFormat = resolved.dataFormat;
    this.paddingArg = resolved.paddingArg;
  }

  /** The input layout, as messages name it. */
  layout(): string {
    const first = this.dataFormat === 'channelsFirst';
    if (this.rank === 1) return first ? '[batch, channels, length]' : '[batch, length, channels]';
    return first ? '[batch, channels, height, width]' : '[batch, height, width, channels]';
  }

  channelAxis(): number {
    return this.dataFormat === 'channelsFirst' ? 1 : this.rank + 1;
  }

  /**
   * The one check of an input shape (build, call, computeOutputShape, inspection): rank, a known
   * channel count, the layer's own channel count once known, a multiple of groups. Returns the channels.
   */
  checkInputShape(shape: tf.Shape): number {
    const context = this.context();
    const layout = this.layout();
    const axis = this.channelAxis();
    if (shape.length !== this.rank + 2)
      throw new ConvKanArgumentError(context, 'input', `rank ${this.rank + 2} ${layout}`, `rank ${shape.length} (shape ${show(shape)})`);
    const c = shape[axis];
    if (c == null || c < 1)
      throw new ConvKanArgumentError(context, 'input', `a known channel count on axis ${axis} of ${layout}`, `shape ${show(shape)}`);
    if (this.inChannels != null && c !== this.inChannels) {
      throw new ConvKanArgumentError(
        context,
        'input channels',
        `${this.inChannels} (axis ${axis} of ${layout})`,
        `${c} (shape ${show(shape)})`,
      );
    }
    if (c % this.groups !== 0)
      throw new ConvKanArgumentError(
        context,
        'input channels',
        `a multiple of groups (${this.groups}) on axis ${axis} of ${layout}`,
        `${c} (shape ${show(shape)})`,
      );
    return c;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.inChannels = this.checkInputShape(singleShape(inputShape));
    this.buildWeights(this.inChannels);
    this.built = true;
  }

  /** Creates the weights for this many input channels (in the order saved models hold them). */
  protected abstract buildWeights(inChannels: number): void;

  /** x: NHWC (a 1-D signal as [N, 1, L, C]) with the geometry for its size → [N, H', W', filters], bias not added. */
  protected abstract convolve(x: tf.Tensor4D, geometry: ConvGeometry): tf.Tensor4D;

  /** Reads x's values when the layer was asked to (ConvKAN2D's checkFinite); nothing by default. */
  protected checkInputValues(_x: tf.Tensor): void {}

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs?: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const given = singleTensor(inputs, this.context());
      // int images in, float math out (the fused basis kernels read cast int data as it is)
      const x = given.dtype === 'float32' ? given : tf.cast(given, 'float32');
      this.checkInputShape(x.shape);
      this.checkInputValues(x);
      const image = this.toImage(x);
      const y = addBias(this.convolve(image, this.geometryForImage(image)), this.bias) as tf.Tensor4D;
      // the activation after the layout change, as tf.layers.conv2d applies it (softmax acts on the last axis)
      return applyActivation(this.fromImage(y), this.outputArgs.activation);
    });
  }

  /** An input in the layer's data format → NHWC; a 1-D signal [N, L, C] becomes the 1 × L image [N, 1, L, C]. */
  toImage(x: tf.Tensor): tf.Tensor4D {
    const first = this.dataFormat === 'channelsFirst';
    if (this.rank === 2) return (first ? tf.transpose(x, [0, 2, 3, 1]) : x) as tf.Tensor4D;
    const nlc = first ? tf.transpose(x, [0, 2, 1]) : x;
    const [n, l, c] = nlc.shape as [number, number, number];
    return tf.reshape(nlc, [n, 1, l, c]) as tf.Tensor4D;
  }

  /** NHWC → the layer's data format (inverse of toImage). */
  fromImage(y: tf.Tensor4D): tf.Tensor {
    const first = this.dataFormat === 'channelsFirst';
    if (this.rank === 2) return first ? tf.transpose(y, [0, 3, 1, 2]) : y;
    const nlc = tf.squeeze(y, [1]); // [N, L', C]
    return first ? tf.transpose(nlc, [0, 2, 1]) : nlc;
  }

  /** The geometry for this image's size ('same' with strides > 1 depends on it), once the image is known to fit. */
  geometryForImage(image: tf.Tensor4D): ConvGeometry {
    const [, h, w] = image.shape;
    checkSpatialFits(h, w, this.geometry, this.context());
    return geometryFor(this.geometry, h, w);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    this.checkInputShape(shape);
    const first = this.dataFormat === 'channelsFirst';
    const spatial = first ? shape.slice(2) : shape.slice(1, -1);
    const [h, w] = this.rank === 1 ? [1, spatial[0] ?? null] : [spatial[0] ?? null, spatial[1] ?? null];
    if (h != null && w != null) checkSpatialFits(h, w, this.geometry, this.context());
    const [ho, wo] = outputSpatial(h, w, this.geometry);
    const out = this.rank === 1 ? [wo] : [ho, wo];
    return first ? [shape[0] ?? null, this.filters, ...out] : [shape[0] ?? null, ...out, this.filters];
  }

  /** The KANConvArgs as getConfig writes them (a 1-D layer's sizes as numbers, as tf.layers.conv1d). */
  protected convConfig(): tf.serialization.ConfigDict {
    const g = this.geometry;
    const sizes = (p: Pair) => (this.rank === 1 ? p[1] : [...p]);
    const padding = typeof this.paddingArg === 'object' ? JSON.parse(JSON.stringify(this.paddingArg)) : this.paddingArg;
    return {
      filters: this.filters,
      kernelSize: sizes(g.kernelSize),
      strides: sizes(g.strides),
      padding: padding as tf.serialization.ConfigDictValue,
      dilation: sizes(g.dilation),
      groups: this.groups,
      paddingMode: g.paddingMode,
      dataFormat: this.dataFormat,
    };
  }
}
