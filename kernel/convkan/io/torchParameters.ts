// Loads PyTorch parameters (efficient-kan KANLinear, `convkan` ConvKAN with grouped weights)
// into our layers. Our weights keep torch's axis order (see the layer files), so "conversion"
// is a shape check per tensor and a write; input/output tensors are NCHW there, NHWC here.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, show } from '../conv/argumentError';
import { ConvKAN2D } from '../layers/convKan2d';
import { KANLinear } from '../layers/kanLinear';

/** A tensor as a JSON file stores it: row-major data with its shape. */
export interface PlainTensor {
  shape: number[];
  data: number[] | Float32Array;
}

export interface TorchKanParameters {
  grid: tf.Tensor | PlainTensor;
  base_weight: tf.Tensor | PlainTensor;
  spline_weight: tf.Tensor | PlainTensor;
  /** Required when the layer has enableStandaloneScaleSpline (the default). */
  spline_scaler?: tf.Tensor | PlainTensor;
}

/**
 * Writes torch-layout parameters into a ConvKAN2D or KANLinear; builds the layer first when needed
 * (input channels/features read from the grid's shape). Throws, naming the tensor, on any shape mismatch.
 */
export function loadTorchParameters(layer: ConvKAN2D | KANLinear, params: TorchKanParameters): void {
  const context = layer.context();
  const shapeOf = (t: tf.Tensor | PlainTensor) => [...t.shape] as number[];
  const gridShape = shapeOf(params.grid);
  if (!layer.built) {
    if (layer instanceof ConvKAN2D) {
      const [kh, kw] = layer.geometry.kernelSize;
      const cin = gridShape.length === 3 ? (gridShape[0] * gridShape[1]) / (kh * kw) : NaN;
      if (!Number.isInteger(cin)) throw new ConvKanArgumentError(context, 'grid', `shape [groups, (Cin/groups)·${kh}·${kw}, knots]`, show(gridShape));
      layer.build(layer.channelAxis() === 3 ? [null, null, null, cin] : [null, cin, null, null]);
    } else {
      layer.build([null, gridShape[0]]);
    }
  }
  const targets: Array<[keyof TorchKanParameters, tf.LayerVariable | null]> = [
    ['grid', layer.grid],
    ['base_weight', layer.baseWeight],
    ['spline_weight', layer.splineWeight],
    ['spline_scaler', layer.splineScaler],
  ];
  const values = new Map<tf.LayerVariable, tf.Tensor>();
  tf.tidy(() => {
    for (const [name, variable] of targets) {
      const given = params[name];
      if (variable == null) {
        if (given != null) throw new ConvKanArgumentError(context, name, 'absent (the layer has enableStandaloneScaleSpline = false)', `a tensor of shape ${show(shapeOf(given))}`);
        continue;
      }
      if (given == null) throw new ConvKanArgumentError(context, name, `a tensor of shape ${show(variable.shape)}`, 'nothing');
      const want = variable.shape as number[];
      const got = shapeOf(given);
      if (want.length !== got.length || want.some((d, i) => d !== got[i])) throw new ConvKanArgumentError(context, name, `shape ${show(want)}`, `shape ${show(got)}`);
      values.set(variable, tf.keep(given instanceof tf.Tensor ? tf.cast(given, 'float32') : tf.tensor(given.data, got, 'float32')));
    }
  });
  // Write only after every check passed, so a bad call leaves the layer as it was.
  for (const [variable, value] of values) {
    variable.write(value);
    value.dispose();
  }
}
