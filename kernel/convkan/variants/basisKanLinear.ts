// KANLinear with any basis family: y = SiLU(x)·W_b + Σ_k φ_k(x)·W_k over the last axis, the
// counterpart of the ConvKAN layers for flattened features (and efficient-kan's KANLinear form).
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, layerContext, show } from '../conv/argumentError';
import { makeBasis, type Basis } from './basis';
import type { BasisName } from './basisOptions';
import { silu } from './basisConv';
import { BASIS_KAN_LINEAR } from './classNames';
import { basisConfig, basisOptionsOf, baseInitializer, basisInitializer, positiveInt, oneInput, oneShape, type BasisArgs, defaultName } from './layerArgs';

export interface BasisKANLinearArgs extends BasisArgs {
  basis: BasisName;
  /** Output features. */
  units: number;
  /** Add the SiLU base branch (default true). */
  useBase?: boolean;
  seed?: number;
  name?: string;
  inputShape?: tf.Shape;
  batchInputShape?: tf.Shape;
  trainable?: boolean;
  dtype?: tf.DataType;
}

/** [..., F] · W, flattening the leading axes for one matMul. */
function lastAxisMatMul(x: tf.Tensor, w: tf.Tensor2D): tf.Tensor {
  const lead = x.shape.slice(0, -1);
  const y = tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]]) as tf.Tensor2D, w); // [prod(lead), units]
  return tf.reshape(y, [...lead, w.shape[1]]);
}

export class BasisKANLinear extends tf.layers.Layer {
  static className = BASIS_KAN_LINEAR;
  readonly units: number;
  readonly basis: Basis;
  readonly useBase: boolean;
  private readonly seed?: number;
  private basisKernel: tf.LayerVariable | null = null;
  private baseKernel: tf.LayerVariable | null = null;

  constructor(args: BasisKANLinearArgs) {
    super({ ...args, name: defaultName(new.target, args.name) });
    const ctx = layerContext(this.getClassName(), this.name);
    this.units = positiveInt(args.units, ctx, 'units');
    this.basis = makeBasis(basisOptionsOf(args), ctx);
    this.useBase = args.useBase ?? true;
    this.seed = args.seed;
  }

  private get context(): string {
    return layerContext(this.getClassName(), this.name);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    const f = shape[shape.length - 1];
    if (shape.length < 2 || f == null) throw new ConvKanArgumentError(this.context, 'input', 'rank ≥ 2 with a known last axis [..., features]', show(shape));
    this.basisKernel = this.addWeight('basisKernel', [f * this.basis.size, this.units], 'float32', basisInitializer(this.seed));
    if (this.useBase) this.baseKernel = this.addWeight('baseKernel', [f, this.units], 'float32', baseInitializer(this.seed));
    this.inputSpec = [{ minNDim: 2, axes: { [-1]: f } }];
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape);
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = oneInput(inputs, this.context);
      const y = lastAxisMatMul(this.basis.expand(x), this.basisKernel!.read() as tf.Tensor2D);
      return this.baseKernel ? tf.add(y, lastAxisMatMul(silu(x), this.baseKernel.read() as tf.Tensor2D)) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, useBase: this.useBase, ...basisConfig(this.basis.options) };
  }
}
tf.serialization.registerClass(BasisKANLinear);
