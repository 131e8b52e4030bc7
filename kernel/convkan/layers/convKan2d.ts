// ConvKAN2D: a convolution whose every (output, input, kernel tap) edge is a learnable KAN
// function, in efficient-kan's parametrization with groups (the `convkan` package's math), with
// weights in tfjs' conv-kernel layout (weightLayout.ts; loadTorchParameters converts):
//   base_weight [kH, kW, Cin/G, Cout], spline_weight [kH, kW, Cin/G, gridSize + order, Cout],
//   spline_scaler [kH, kW, Cin/G, Cout], grid [kH, kW, Cin, gridSize + 2·order + 1] (not trainable).
// Two exact forward paths (STYLE.md §1):
//   'expanded': expand each pixel into silu(x) and B_0(x) … B_{K−1}(x) per channel, one grouped
//               'valid' conv with base and spline weights interleaved as its filter — needs every
//               kernel tap of a channel on the same knots (true at init; padding expands too: B(0) ≠ 0);
//   'unfold':   pad, extract patches, bases per feature, matmul — any knots (after updateGrid).
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, show } from '../conv/argumentError';
import { type ConvGeometry, type DataFormat, type SidePadding } from '../conv/convGeometry';
import { extractPatches, extractPatchesHost } from '../conv/extractPatches';
import { padInput } from '../conv/padInput';
import { basisCount, knotCount, uniformKnots } from '../bases/knots';
import { groupedConv2d } from '../ops/groupedConv2d';
import { bsplineBasis } from '../ops/bsplineBasis';
import { sparseBsplineConv2d, sparseBsplineConvApplies } from '../ops/sparseBsplineConv2d';
import { basisBorderImage } from '../ops/basisBorder';
import { CONV_KAN_2D_CLASS_NAME } from './classNames';
import {
  assertFinite,
  positiveInt,
  resolveKanBasisArgs,
  KAN_BASIS_ARG_NAMES,
  KAN_WEIGHT_KEYS,
  type KanBasisArgs,
  type KanWeightKey,
  type ResolvedKanBasisArgs,
} from './kanArgs';
import { outputArgNames, resolveOutputArgs, sumRegularizers, weightSpec, type ResolvedOutputArgs, type WeightArgs } from './outputArgs';
import { updateLayerGrid } from './kanGridUpdate';
import { ourShapes, type KanDims } from './weightLayout';
import { initialKanValues } from './kanInit';
import { kanLinearForward, kanRegularizationLoss, kanSplineRegularizer, type KanTensors } from './kanMath';
import { checkMargin } from './layerInputs';
import { KANConv, checkedArgs, convArgNames, type KANConvArgs } from './kanConvBase';
import type { EdgeFunctionsOptions } from './kanLayer';
import { sampleEdgeFunctions, type EdgeFunctionSamples } from '../inspect/edgeFunctions';
import type { UpdateGridOptions } from './kanLinear';

export type { DataFormat };
export const FORWARD_PATHS = ['auto', 'expanded', 'unfold'] as const;
export type ForwardPath = (typeof FORWARD_PATHS)[number];
const NO_PADDING: SidePadding = [
  [0, 0],
  [0, 0],
];

export interface ConvKAN2DArgs extends KANConvArgs<2>, KanBasisArgs, WeightArgs<KanWeightKey> {
  /** Input channels; inferred from the input shape at build when omitted. */
  inChannels?: number;
  /** 'auto' (default): 'expanded' while every kernel tap of a channel shares its knots, else 'unfold'. */
  forwardPath?: ForwardPath;
}

/** Every argument name ConvKAN2D accepts (aliases aside). */
export const CONV_KAN_2D_ARG_NAMES = convArgNames('inChannels', 'forwardPath', ...KAN_BASIS_ARG_NAMES, ...outputArgNames(KAN_WEIGHT_KEYS));

export class ConvKAN2D extends KANConv<2> {
  static className = CONV_KAN_2D_CLASS_NAME;
  readonly forwardPath: ForwardPath;
  readonly basis: ResolvedKanBasisArgs;
  /** useBias, activation and the weights' initializers/regularizers/constraints. */
  readonly outputArgs: ResolvedOutputArgs<KanWeightKey>;
  baseWeight: tf.LayerVariable | null = null;
  splineWeight: tf.LayerVariable | null = null;
  splineScaler: tf.LayerVariable | null = null;
  grid: tf.LayerVariable | null = null;
  /** Cache of the shared-knots check, keyed by the grid's current data (any write replaces it). */
  private sharedKnotsFor: { dataId: object; shared: boolean } | null = null;

  constructor(given: ConvKAN2DArgs) {
    const args = checkedArgs(new.target, given, CONV_KAN_2D_ARG_NAMES);
    super(2, args);
    const context = this.context();
    if (args.inChannels != null) {
      const c = positiveInt(args.inChannels, context, 'inChannels');
      if (c % this.groups !== 0) throw new ConvKanArgumentError(context, 'inChannels', `divisible by groups (${this.groups})`, String(c));
      this.inChannels = c;
    }
    const fp = args.forwardPath ?? 'auto';
    if (!FORWARD_PATHS.includes(fp))
      throw new ConvKanArgumentError(context, 'forwardPath', "'auto', 'expanded' or 'unfold'", show(args.forwardPath));
    this.forwardPath = fp;
    this.basis = resolveKanBasisArgs(args, context);
    this.outputArgs = resolveOutputArgs(args, KAN_WEIGHT_KEYS, context);
  }

  /** Group and kernel sizes of the weights (after build). */
  get dims(): KanDims {
    const [kh, kw] = this.geometry.kernelSize;
    return { groups: this.groups, outPerGroup: this.filters / this.groups, inPerGroup: (this.inChannels as number) / this.groups, kh, kw };
  }

  protected override buildWeights(): void {
    const dims = this.dims;
    const { gridSize, splineOrder } = this.basis;
    const nk = knotCount(gridSize, splineOrder);
    const shapes = ourShapes(dims, basisCount(gridSize, splineOrder), nk);
    const init = initialKanValues({ ...this.basis, ...dims });
    const zeros = tf.initializers.zeros();
    const w = this.outputArgs.weights;
    this.baseWeight = this.addWeight('base_weight', shapes.base, 'float32', ...weightSpec(w.base, zeros));
    const [splineInit, splineReg, , splineConstraint] = weightSpec(w.spline, zeros);
    this.splineWeight = this.addWeight(
      'spline_weight',
      shapes.spline,
      'float32',
      splineInit,
      sumRegularizers(this.splineRegularizer(), splineReg),
      true,
      splineConstraint,
    );
    if (this.basis.enableStandaloneScaleSpline)
      this.splineScaler = this.addWeight('spline_scaler', shapes.scaler, 'float32', ...weightSpec(w.scaler, zeros));
    this.grid = this.addWeight('grid', shapes.grid, 'float32', zeros, undefined, false);
    if (this.outputArgs.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', ...weightSpec(this.outputArgs.bias, zeros));
    tf.tidy(() => {
      // efficient-kan's initialization, for each weight that has no initializer of the user's
      if (!w.base.initializer) this.baseWeight!.write(tf.tensor(init.base, shapes.base));
      if (!w.spline.initializer) this.splineWeight!.write(tf.tensor(init.spline, shapes.spline));
      if (this.splineScaler && init.scaler && !w.scaler.initializer) this.splineScaler.write(tf.tensor(init.scaler, shapes.scaler));
      const knots = Float32Array.from(uniformKnots(gridSize, splineOrder, this.basis.gridRange));
      this.grid!.write(tf.tile(tf.tensor4d(knots, [1, 1, 1, nk]), [dims.kh, dims.kw, this.inChannels as number, 1]));
    });
  }

  protected override checkInputValues(x: tf.Tensor): void {
    if (this.basis.checkFinite) assertFinite(x.dataSync(), x.shape, this.context());
  }

  /** NHWC in, NHWC out, on the path forwardPath (or auto-detection) picks. */
  protected override convolve(x: tf.Tensor4D, geometry: ConvGeometry): tf.Tensor4D {
    const { padding, paddingMode } = geometry;
    if (this.resolvedPath() === 'unfold') return this.unfoldForward(padInput(x, padding, paddingMode));
    // zero padding is done inside the convolution (see expandedForward); other modes pad x first
    return paddingMode === 'zeros' ? this.expandedForward(x, padding) : this.expandedForward(padInput(x, padding, paddingMode), NO_PADDING);
  }

  /** Which exact path a call takes now. */
  resolvedPath(): 'expanded' | 'unfold' {
    if (this.forwardPath === 'unfold') return 'unfold';
    const shared = this.knotsSharedAcrossKernel();
    if (this.forwardPath === 'expanded' && !shared) {
      throw new ConvKanArgumentError(
        this.context(),
        'forwardPath',
        "'auto' or 'unfold' once the kernel taps of a channel have different knots (after updateGrid)",
        "'expanded'",
      );
    }
    return shared ? 'expanded' : 'unfold';
  }

  /** True when all kH·kW taps of every input channel use the same knots. */
  knotsSharedAcrossKernel(): boolean {
    this.assertBuilt('forward');
    const grid = this.grid!.read();
    const dataId = (grid as unknown as { dataId: object }).dataId;
    if (this.sharedKnotsFor?.dataId === dataId) return this.sharedKnotsFor.shared;
    const taps = this.geometry.kernelSize[0] * this.geometry.kernelSize[1];
    const row = (this.inChannels as number) * (grid.shape[3] as number); // one tap's knots, all channels
    const v = grid.dataSync(); // [taps, Cin, nk] flattened
    let shared = true;
    for (let i = row; i < taps * row && shared; i++) if (v[i] !== v[i % row]) shared = false;
    this.sharedKnotsFor = { dataId, shared };
    return shared;
  }

  /**
   * x: [N, H, W, Cin] and its zero padding → per channel [silu(x), B_0(x) … B_{K−1}(x)] (one fused
   * kernel), then one grouped 'valid' convolution whose filter interleaves base and scaled spline
   * weights the same way. The filter is assembled at rank 3 ([taps·Cin/G, 1 + K, Cout]): on wasm,
   * rank-5 slices, concats and broadcasts (and so their gradients) are slow generic loops.
   * Zero padding: a padded pixel expands to the constant e0 = [silu(0), B(0)] ≠ 0, so
   * conv(expand(pad(x))) = conv(pad(expand(x)), zeros) + conv(border image of e0): the large
   * convolution pads inside (its input gradient and the basis then cover only x, not the border)
   * and the border term is one batch-1 convolution added to every sample.
   */
  private expandedForward(x: tf.Tensor4D, padding: SidePadding): tf.Tensor4D {
    const cin = x.shape[3];
    const { strides, dilation } = this.geometry;
    const w = this.kanTensors();
    const nk = w.knots.shape[3];
    // every tap shares tap (0, 0)'s knots
    const knots = tf.reshape(tf.slice(w.knots, [0, 0, 0, 0], [1, 1, cin, nk]), [cin, nk]) as tf.Tensor2D;
    const order = this.basis.splineOrder;
    const [kh, kw, cg, nb, cout] = w.spline.shape;
    const rows = kh * kw * cg;
    let spline = tf.reshape(w.spline, [rows, nb, cout]);
    if (w.scaler) spline = tf.mul(spline, tf.reshape(w.scaler, [rows, 1, cout]));
    const filter = tf.reshape(tf.concat([tf.reshape(w.base, [rows, 1, cout]), spline], 1), [kh, kw, cg * (nb + 1), cout]) as tf.Tensor4D;
    const opts = { strides, dilations: dilation, groups: this.groups };
    // wasm: 5 of the 9 filter rows per value (ops/sparseBsplineConv2d.ts)
    if (sparseBsplineConvApplies(knots, order)) return sparseBsplineConv2d(x, knots, filter, { ...opts, padding });
    const expanded = bsplineBasis(x, knots, order, { withSilu: true }) as tf.Tensor4D; // [N, H, W, Cin·(1+K)]
    const y = groupedConv2d(expanded, filter, { ...opts, padding });
    const [[t, b], [l, r]] = padding;
    if (t + b + l + r === 0) return y;
    const border = basisBorderImage(knots, order, [x.shape[1], x.shape[2]], padding);
    return tf.add(y, groupedConv2d(border, filter, opts)); // [N, Ho, Wo, Cout] + [1, Ho, Wo, Cout]
  }

  /** padded: [N, Hp, Wp, Cin] → patches [N·Ho·Wo, kH·kW·Cin] → per-feature bases → matmul per group. */
  private unfoldForward(padded: tf.Tensor4D): tf.Tensor4D {
    const { kernelSize, strides, dilation } = this.geometry;
    const patches = extractPatches(padded, kernelSize, strides, dilation, 'tapMajor'); // [N, Ho, Wo, kH·kW·Cin]
    const [n, ho, wo, f] = patches.shape;
    const y = kanLinearForward(
      tf.reshape(patches, [n * ho * wo, f]) as tf.Tensor2D,
      this.kanTensors(),
      this.basis.splineOrder,
      this.groups,
    ); // [M, Cout]
    return tf.reshape(y, [n, ho, wo, this.filters]) as tf.Tensor4D;
  }

  /** The weight regularizer of spline_weight when `regularization` was asked for. */
  private splineRegularizer(): ReturnType<typeof kanSplineRegularizer> | undefined {
    return this.basis.regularization ? kanSplineRegularizer(this.basis.regularization) : undefined;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { seed, ...basis } = this.basis;
    const { filters, ...conv } = this.convConfig();
    const config: tf.serialization.ConfigDict = {
      filters,
      inChannels: this.inChannels,
      ...conv,
      forwardPath: this.forwardPath,
      ...basis,
      ...this.outputArgs.config,
    };
    if (seed != null) config.seed = seed;
    return { ...super.getConfig(), ...config };
  }

  /** The weights as the shared KAN math sees them. */
  kanTensors(): KanTensors {
    this.assertBuilt('kanTensors');
    return {
      knots: this.grid!.read() as tf.Tensor4D,
      base: this.baseWeight!.read() as tf.Tensor4D,
      spline: this.splineWeight!.read() as tf.Tensor5D,
      scaler: this.splineScaler ? (this.splineScaler.read() as tf.Tensor4D) : null,
    };
  }

  /**
   * efficient-kan's update_grid on the unfolded patches of x (as `convkan` does): every
   * (channel, kernel row, kernel column) feature gets knots from its own samples, and its
   * spline weights are refitted by least squares. Afterwards the forward pass uses 'unfold'.
   */
  updateGrid(x: tf.Tensor, options: UpdateGridOptions | number = {}): void {
    const opts = typeof options === 'number' ? { margin: options } : options;
    this.assertBuilt('updateGrid');
    tf.tidy(() => {
      this.checkInputShape(x.shape);
      const nhwc = this.toImage(x);
      const { kernelSize, strides, dilation, padding, paddingMode } = this.geometryForImage(nhwc);
      const padded = padInput(nhwc, padding, paddingMode);
      const patches = extractPatchesHost(padded.dataSync(), padded.shape, kernelSize, strides, dilation); // [M, kH·kW·Cin] tap-major
      updateLayerGrid(
        { dims: this.dims, basis: this.basis, tensors: this.kanTensors(), grid: this.grid!, splineWeight: this.splineWeight! },
        patches.data,
        patches.rows,
        opts.refit ?? 'preserve',
        checkMargin(opts.margin, this.context()),
      );
    });
  }

  /** efficient-kan's regularization_loss over all groups' spline weights. */
  regularizationLoss(regActivation = 1, regEntropy = 1): tf.Scalar {
    this.assertBuilt('regularizationLoss');
    return kanRegularizationLoss(this.splineWeight!.read(), regActivation, regEntropy);
  }

  /** ConvKAN2D's φ per (output, input, kernel tap) edge, with its knots: see KANLayer.edgeFunctions. */
  edgeFunctions(opts: EdgeFunctionsOptions = {}): EdgeFunctionSamples {
    return sampleEdgeFunctions(this, opts);
  }
}
tf.serialization.registerClass(ConvKAN2D);

export function convKan2d(args: ConvKAN2DArgs): ConvKAN2D {
  return new ConvKAN2D(args);
}
