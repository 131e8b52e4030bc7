// A plain Conv2d layer (PyTorch semantics: numeric or 'same'/'valid' padding, the four padding
// modes, dilation, groups, bias) on ops/groupedConv2d, whose gradient runs on every backend.
// tf.layers.conv2d cannot train on the wasm backend (no Conv2DBackpropFilter kernel there), so
// the baselines and hybrids use this layer: KAN and plain layers then run on the same backend.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, layerContext, show } from '../conv/argumentError';
import {
  resolveConvGeometry,
  geometryFor,
  outputSpatial,
  checkSpatialFits,
  type ConvGeometry,
  type ConvGeometryArgs,
  type PaddingArg,
} from '../conv/convGeometry';
import { padInput } from '../conv/padInput';
import { groupedConv2d } from '../ops/groupedConv2d';
import { GROUPED_CONV_2D } from './classNames';

export interface GroupedConv2DArgs extends ConvGeometryArgs<2> {
  filters: number;
  groups?: number;
  /** Default true. */
  useBias?: boolean;
  /** 'linear' (default) or 'relu'. */
  activation?: 'linear' | 'relu';
  seed?: number;
  name?: string;
  inputShape?: tf.Shape;
}

export class GroupedConv2D extends tf.layers.Layer {
  static className = GROUPED_CONV_2D;
  readonly filters: number;
  readonly groups: number;
  readonly geometry: ConvGeometry;
  readonly useBias: boolean;
  readonly activation: 'linear' | 'relu';
  private readonly paddingArg: PaddingArg;
  private readonly seed?: number;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: GroupedConv2DArgs) {
    super(args);
    const ctx = layerContext(GROUPED_CONV_2D, args.name);
    const int = (v: unknown, what: string) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ConvKanArgumentError(ctx, what, 'a positive integer', show(v));
      return v;
    };
    this.filters = int(args.filters, 'filters');
    this.groups = int(args.groups ?? 1, 'groups');
    if (this.filters % this.groups !== 0)
      throw new ConvKanArgumentError(ctx, 'filters', `divisible by groups (${this.groups})`, String(this.filters));
    this.paddingArg = args.padding ?? 'valid';
    this.geometry = resolveConvGeometry(args, ctx);
    this.useBias = args.useBias ?? true;
    const act = args.activation ?? 'linear';
    if (act !== 'linear' && act !== 'relu') throw new ConvKanArgumentError(ctx, 'activation', "'linear' or 'relu'", show(args.activation));
    this.activation = act;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const cin = shape[3];
    if (shape.length !== 4 || cin == null || cin % this.groups !== 0) {
      throw new ConvKanArgumentError(
        layerContext(GROUPED_CONV_2D, this.name),
        'input',
        `rank 4 with channels divisible by groups (${this.groups})`,
        show(shape),
      );
    }
    const [kH, kW] = this.geometry.kernelSize;
    // PyTorch's Conv2d default: U(±1/√fanIn) for weights and bias
    const fanIn = kH * kW * (cin / this.groups);
    this.kernel = this.addWeight(
      'kernel',
      [kH, kW, cin / this.groups, this.filters],
      'float32',
      tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed: this.seed }),
    );
    if (this.useBias)
      this.bias = this.addWeight(
        'bias',
        [this.filters],
        'float32',
        tf.initializers.randomUniform({ minval: -1 / Math.sqrt(fanIn), maxval: 1 / Math.sqrt(fanIn), seed: this.seed }),
      );
    this.inputSpec = [{ ndim: 4, axes: { [-1]: cin } }];
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [ho, wo] = outputSpatial(h, w, this.geometry);
    return [n, ho, wo, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      checkSpatialFits(x.shape[1], x.shape[2], this.geometry, layerContext(GROUPED_CONV_2D, this.name));
      const g = geometryFor(this.geometry, x.shape[1], x.shape[2]);
      let y: tf.Tensor = groupedConv2d(padInput(x, g.padding, g.paddingMode), this.kernel!.read() as tf.Tensor4D, {
        strides: g.strides,
        dilations: g.dilation,
        groups: this.groups,
      });
      if (this.bias) y = tf.add(y, this.bias.read());
      return this.activation === 'relu' ? tf.relu(y) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.geometry.kernelSize,
      strides: this.geometry.strides,
      padding: this.paddingArg as tf.serialization.ConfigDictValue,
      dilation: this.geometry.dilation,
      groups: this.groups,
      paddingMode: this.geometry.paddingMode,
      useBias: this.useBias,
      activation: this.activation,
    };
  }
}
tf.serialization.registerClass(GroupedConv2D);
