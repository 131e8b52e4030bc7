// PyTorch parameters (efficient-kan KANLinear, `convkan` ConvKAN with grouped weights) in and out
// of our layers. Torch layout: base [G, Og, inDim], spline [G, Og, inDim, K], scaler [G, Og, inDim],
// grid [G, inDim, nKnots] (KANLinear: [out, in], [out, in, K], [out, in], [in, nKnots]); ours is
// tfjs' HWIO conv-kernel layout (layers/weightLayout.ts). Images are NCHW there, NHWC here.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, show } from '../conv/argumentError';
import { ConvKAN2D } from '../layers/convKan2d';
import { KANLinear } from '../layers/kanLinear';
import { edgeWeightsFromTorch, edgeWeightsToTorch, gridFromTorch, gridToTorch, type KanDims } from '../layers/weightLayout';

/** A tensor as a JSON file stores it: row-major data with its shape. */
export interface PlainTensor {
  shape: number[];
  data: number[] | Float32Array;
}

export const TORCH_PARAMETER_NAMES = ['grid', 'base_weight', 'spline_weight', 'spline_scaler'] as const;
export type TorchParameterName = (typeof TORCH_PARAMETER_NAMES)[number];

export interface TorchKanParameters {
  grid: tf.Tensor | PlainTensor;
  base_weight: tf.Tensor | PlainTensor;
  spline_weight: tf.Tensor | PlainTensor;
  /** Required when the layer has enableStandaloneScaleSpline (the default). */
  spline_scaler?: tf.Tensor | PlainTensor;
}

/** The torch shape of each parameter of a built layer. */
export function torchShapes(layer: ConvKAN2D | KANLinear): Record<TorchParameterName, number[]> {
  assertBsplineKanLayer(layer, 'torchShapes');
  const d = layer.dims;
  const { gridSize, splineOrder } = layer.basis;
  const nb = gridSize + splineOrder;
  const nk = gridSize + 2 * splineOrder + 1;
  if (layer instanceof KANLinear) {
    return {
      grid: [d.inPerGroup, nk],
      base_weight: [d.outPerGroup, d.inPerGroup],
      spline_weight: [d.outPerGroup, d.inPerGroup, nb],
      spline_scaler: [d.outPerGroup, d.inPerGroup],
    };
  }
  const inDim = d.inPerGroup * d.kh * d.kw;
  return {
    grid: [d.groups, inDim, nk],
    base_weight: [d.groups, d.outPerGroup, inDim],
    spline_weight: [d.groups, d.outPerGroup, inDim, nb],
    spline_scaler: [d.groups, d.outPerGroup, inDim],
  };
}

/**
 * These functions speak efficient-kan's four parameters, which only the B-spline layers have; any
 * other layer (a basis family, a plain tfjs layer) is refused by name instead of failing on a
 * missing property. loadTorchStateDict / saveTorchStateDict handle those.
 */
function assertBsplineKanLayer(layer: unknown, fn: string): asserts layer is ConvKAN2D | KANLinear {
  if (layer instanceof ConvKAN2D || layer instanceof KANLinear) return;
  const l = layer as { getClassName?: () => string; name?: string } | null;
  const what = typeof l?.getClassName === 'function' ? `${l.getClassName()} '${l.name}'` : show(layer);
  throw new ConvKanArgumentError(
    `Error in ${fn}`,
    'layer',
    'a ConvKAN2D or KANLinear (for other layers use loadTorchStateDict / saveTorchStateDict)',
    what,
  );
}

/** Converts one parameter (or its gradient) from our layout to torch's. */
export function toTorchLayout(layer: ConvKAN2D | KANLinear, name: TorchParameterName, ours: ArrayLike<number>): PlainTensor {
  assertBsplineKanLayer(layer, 'toTorchLayout');
  return {
    shape: torchShapes(layer)[name],
    data: convertKanParameter(layer.dims, layer.basis.gridSize + layer.basis.splineOrder, name, ours, 'toTorch'),
  };
}

/** One parameter between our layout and torch's, either way (dims and basis count of the layer). */
export function convertKanParameter(
  d: KanDims,
  nb: number,
  name: TorchParameterName,
  values: ArrayLike<number>,
  direction: 'toTorch' | 'fromTorch',
): Float32Array {
  const cin = d.groups * d.inPerGroup;
  if (name === 'grid') {
    const nk = values.length / (cin * d.kh * d.kw);
    return direction === 'toTorch' ? gridToTorch(values, cin, d.kh, d.kw, nk) : gridFromTorch(values, cin, d.kh, d.kw, nk);
  }
  const inner = name === 'spline_weight' ? nb : 1;
  return direction === 'toTorch' ? edgeWeightsToTorch(values, d, inner) : edgeWeightsFromTorch(values, d, inner);
}

/**
 * Writes torch-layout parameters into a ConvKAN2D or KANLinear; builds the layer first when needed
 * (input channels/features read from the grid's shape). Every shape is checked before anything is
 * written, so a refused call leaves the layer as it was.
 */
export function loadTorchParameters(layer: ConvKAN2D | KANLinear, params: TorchKanParameters): void {
  assertBsplineKanLayer(layer, 'loadTorchParameters');
  const context = layer.context();
  const shapeOf = (t: tf.Tensor | PlainTensor) => [...t.shape] as number[];
  if (!layer.built) buildFromGrid(layer, shapeOf(params.grid), context);
  const want = torchShapes(layer);
  const variables: Record<TorchParameterName, tf.LayerVariable | null> = {
    grid: layer.grid,
    base_weight: layer.baseWeight,
    spline_weight: layer.splineWeight,
    spline_scaler: layer.splineScaler,
  };
  const pending: Array<[tf.LayerVariable, Float32Array]> = [];
  for (const name of TORCH_PARAMETER_NAMES) {
    const given = params[name];
    const variable = variables[name];
    if (variable == null) {
      if (given != null)
        throw new ConvKanArgumentError(
          context,
          name,
          'absent (the layer has enableStandaloneScaleSpline = false)',
          `a tensor of shape ${show(shapeOf(given))}`,
        );
      continue;
    }
    if (given == null) throw new ConvKanArgumentError(context, name, `a tensor of torch shape ${show(want[name])}`, 'nothing');
    const got = shapeOf(given);
    if (got.length !== want[name].length || got.some((n, i) => n !== want[name][i]))
      throw new ConvKanArgumentError(context, name, `torch shape ${show(want[name])}`, `shape ${show(got)}`);
    const data = given instanceof tf.Tensor ? given.dataSync() : given.data;
    pending.push([variable, convertKanParameter(layer.dims, layer.basis.gridSize + layer.basis.splineOrder, name, data, 'fromTorch')]);
  }
  tf.tidy(() => {
    for (const [variable, values] of pending) variable.write(tf.tensor(values, variable.shape as number[]));
  });
}

function buildFromGrid(layer: ConvKAN2D | KANLinear, gridShape: number[], context: string): void {
  if (layer instanceof KANLinear) {
    if (gridShape.length !== 2) throw new ConvKanArgumentError(context, 'grid', 'torch shape [in_features, knots]', show(gridShape));
    layer.build([null, gridShape[0]]);
    return;
  }
  const [kh, kw] = layer.geometry.kernelSize;
  const cin = gridShape.length === 3 ? (gridShape[0] * gridShape[1]) / (kh * kw) : NaN;
  if (!Number.isInteger(cin))
    throw new ConvKanArgumentError(context, 'grid', `torch shape [groups, (Cin/groups)·${kh}·${kw}, knots]`, show(gridShape));
  layer.build(layer.channelAxis() === 3 ? [null, null, null, cin] : [null, cin, null, null]);
}
