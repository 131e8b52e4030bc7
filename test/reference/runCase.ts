// Runs one reference case against our layers: builds the layer from `config`, loads the torch
// parameters, and compares outputs and gradients (loss = Σ output·upstream) within tolerance.
import * as tf from '@tensorflow/tfjs';
import { ConvKAN2D, type ConvKAN2DArgs, type DataFormat, type ForwardPath } from '../../kernel/convkan/layers/convKan2d';
import { KANLinear } from '../../kernel/convkan/layers/kanLinear';
import { loadTorchParameters, toTorchLayout, type TorchParameterName } from '../../kernel/convkan/io/torchParameters';
import { sparseBsplineConvCalls, withSparseBsplineConv } from '../../kernel/convkan/ops/sparseBsplineConv2d';
import { evenlySpacedRows } from '../../kernel/convkan/ops/bsplineMath';
import { assertAllClose } from './closeTo';
import { tensorOf, type ReferenceCase } from './referenceCases';

export interface ConvVariant {
  forwardPath: ForwardPath;
  dataFormat: DataFormat;
  /** On wasm, 'expanded' runs the sparse B-spline kernel (ops/sparseBsplineConv2d.ts) unless this is false. */
  sparse?: boolean;
}

const t = (c: ReferenceCase, name: string) => {
  const j = tensorOf(c, name);
  return tf.tensor(j.data, j.shape, 'float32');
};

function requireValue<T>(c: ReferenceCase, key: string, check: (v: unknown) => boolean, expected: string): T {
  const v = c.config[key];
  if (!check(v)) throw new Error(`${c.name}: config.${key} must be ${expected}, but got ${JSON.stringify(v)}`);
  return v as T;
}

const isPair = (v: unknown) => Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n));
const isInt = (v: unknown) => Number.isInteger(v);

function checkSilu(c: ReferenceCase): void {
  const act = c.config.base_activation ?? 'silu';
  if (act !== 'silu')
    throw new Error(`${c.name}: config.base_activation must be 'silu' (the only one implemented), but got ${JSON.stringify(act)}`);
}

export function convLayerArgs(c: ReferenceCase, variant: ConvVariant): ConvKAN2DArgs {
  checkSilu(c);
  const padding = requireValue<number[] | string>(
    c,
    'padding',
    (v) => isPair(v) || v === 'same' || v === 'valid' || isInt(v),
    "[pH, pW], 'same' or 'valid'",
  );
  return {
    inChannels: requireValue<number>(c, 'in_channels', isInt, 'an integer'),
    filters: requireValue<number>(c, 'out_channels', isInt, 'an integer'),
    kernelSize: requireValue<[number, number]>(c, 'kernel_size', (v) => isPair(v) || isInt(v), '[kH, kW]'),
    strides: requireValue<[number, number]>(c, 'stride', (v) => isPair(v) || isInt(v), '[sH, sW]'),
    padding: padding as ConvKAN2DArgs['padding'],
    dilation: requireValue<[number, number]>(c, 'dilation', (v) => isPair(v) || isInt(v), '[dH, dW]'),
    groups: requireValue<number>(c, 'groups', isInt, 'an integer'),
    paddingMode: requireValue(c, 'padding_mode', (v) => typeof v === 'string', 'a string'),
    gridSize: requireValue<number>(c, 'grid_size', isInt, 'an integer'),
    splineOrder: requireValue<number>(c, 'spline_order', isInt, 'an integer'),
    gridRange: requireValue<[number, number]>(c, 'grid_range', (v) => Array.isArray(v) && v.length === 2, '[lo, hi]'),
    enableStandaloneScaleSpline: (c.config.enable_standalone_scale_spline ?? true) as boolean,
    forwardPath: variant.forwardPath,
    dataFormat: variant.dataFormat,
    seed: 0,
  };
}

/** A convkan2d case: output and the four gradients; on wasm's expanded path, checks which kernel ran. */
export function runConvCase(c: ReferenceCase, variant: ConvVariant): void {
  const sparse = variant.sparse ?? true;
  const callsBefore = sparseBsplineConvCalls();
  withSparseBsplineConv(sparse, () => runConvCaseOnce(c, variant));
  const ran = sparseBsplineConvCalls() - callsBefore;
  const expected = sparse && variant.forwardPath === 'expanded' && tf.getBackend() === 'wasm' && sparseKernelCovers(c);
  if (expected !== ran > 0)
    throw new Error(`${c.name}: the sparse B-spline kernel ran ${ran} times, but it should ${expected ? '' : 'not '}have run`);
}

/** Whether the case is the sparse kernel's: cubic splines on evenly spaced knots (tap 0's; the expanded path needs all taps equal). */
function sparseKernelCovers(c: ReferenceCase): boolean {
  const grid = tensorOf(c, 'grid'); // torch layout [Cin·kH·kW, K] or [Cin, K]
  const perFeature = grid.shape[grid.shape.length - 1]!;
  const data = Float32Array.from(grid.data);
  return c.config.spline_order === 3 && evenlySpacedRows(data, data.length / perFeature, perFeature).every(Boolean);
}

function runConvCaseOnce(c: ReferenceCase, variant: ConvVariant): void {
  const layer = new ConvKAN2D(convLayerArgs(c, variant));
  const params = ['grid', 'base_weight', 'spline_weight', 'spline_scaler'] as const;
  loadTorchParameters(layer, Object.fromEntries(params.filter((p) => c.tensors[p]).map((p) => [p, tensorOf(c, p)])) as never);
  if (variant.forwardPath === 'expanded' && layer.resolvedPath() !== 'expanded')
    throw new Error(`${c.name}: expected the expanded path to apply to the reference grid`);
  const { rtol, atol } = c.tolerance;
  const toLayout = (nchw: tf.Tensor) => (variant.dataFormat === 'channelsLast' ? tf.transpose(nchw, [0, 2, 3, 1]) : nchw);
  const toTorch = (y: tf.Tensor) => (variant.dataFormat === 'channelsLast' ? tf.transpose(y, [0, 3, 1, 2]) : y);
  try {
    tf.tidy(() => {
      const x = tf.variable(toLayout(t(c, 'input')), true, undefined, 'float32');
      const upstream = t(c, 'upstream');
      const weights = [layer.baseWeight, layer.splineWeight, layer.splineScaler]
        .filter((w) => w != null)
        .map((w) => w!.read() as tf.Variable);
      let output: tf.Tensor | null = null;
      const { grads } = tf.variableGrads(() => {
        output = tf.keep(toTorch(layer.apply(x) as tf.Tensor)); // kept past variableGrads' scope; freed below
        return tf.sum(tf.mul(output, upstream)) as tf.Scalar;
      }, [x, ...weights]);
      assertAllClose(output!.dataSync(), tensorOf(c, 'output').data, rtol, atol, `${c.name} output`);
      assertAllClose(toTorch(grads[x.name]).dataSync(), tensorOf(c, 'grad_input').data, rtol, atol, `${c.name} grad_input`);
      const named: Array<[TorchParameterName, tf.LayerVariable | null]> = [
        ['base_weight', layer.baseWeight],
        ['spline_weight', layer.splineWeight],
        ['spline_scaler', layer.splineScaler],
      ];
      for (const [param, w] of named) {
        if (w == null) continue;
        const g = toTorchLayout(layer, param, grads[(w.read() as tf.Variable).name].dataSync()); // our layout → torch's
        assertAllClose(g.data, tensorOf(c, `grad_${param}`).data, rtol, atol, `${c.name} grad_${param}`);
      }
      x.dispose();
      output!.dispose();
    });
  } finally {
    for (const w of layer.weights) w.dispose();
  }
}

/** A kanlinear case: forward, input gradient, regularization loss, then update_grid and the refit layer. */
export function runLinearCase(c: ReferenceCase): void {
  checkSilu(c);
  const layer = new KANLinear({
    inFeatures: requireValue<number>(c, 'in_features', isInt, 'an integer'),
    units: requireValue<number>(c, 'out_features', isInt, 'an integer'),
    gridSize: requireValue<number>(c, 'grid_size', isInt, 'an integer'),
    splineOrder: requireValue<number>(c, 'spline_order', isInt, 'an integer'),
    gridRange: requireValue<[number, number]>(c, 'grid_range', (v) => Array.isArray(v) && v.length === 2, '[lo, hi]'),
    gridEps: (c.config.grid_eps ?? 0.02) as number,
    enableStandaloneScaleSpline: (c.config.enable_standalone_scale_spline ?? true) as boolean,
    seed: 0,
  });
  const { rtol, atol } = c.tolerance;
  const afterRtol = c.tolerance.after_rtol ?? rtol;
  const afterAtol = c.tolerance.after_atol ?? atol;
  try {
    const params: Record<string, unknown> = {
      grid: tensorOf(c, 'grid_before'),
      base_weight: tensorOf(c, 'base_weight'),
      spline_weight: tensorOf(c, 'spline_weight_before'),
    };
    if (c.tensors.spline_scaler) params.spline_scaler = tensorOf(c, 'spline_scaler');
    loadTorchParameters(layer, params as never);
    tf.tidy(() => {
      const x = t(c, 'x');
      const upstream = t(c, 'upstream');
      const output = layer.apply(x) as tf.Tensor;
      assertAllClose(output.dataSync(), tensorOf(c, 'output_before').data, rtol, atol, `${c.name} output_before`);
      const gx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, upstream)))(x);
      assertAllClose(gx.dataSync(), tensorOf(c, 'grad_x').data, rtol, atol, `${c.name} grad_x`);
      assertAllClose(
        layer.regularizationLoss(1, 1).dataSync(),
        tensorOf(c, 'regularization_loss').data,
        rtol,
        atol,
        `${c.name} regularization_loss`,
      );
      layer.updateGrid(x, { margin: (c.config.update_grid_margin ?? 0.01) as number, refit: 'efficient-kan' });
      assertAllClose(
        toTorchLayout(layer, 'grid', layer.grid!.read().dataSync()).data,
        tensorOf(c, 'grid_after').data,
        afterRtol,
        afterAtol,
        `${c.name} grid_after`,
      );
      assertAllClose(
        toTorchLayout(layer, 'spline_weight', layer.splineWeight!.read().dataSync()).data,
        tensorOf(c, 'spline_weight_after').data,
        afterRtol,
        afterAtol,
        `${c.name} spline_weight_after`,
      );
      assertAllClose(
        (layer.apply(x) as tf.Tensor).dataSync(),
        tensorOf(c, 'output_after').data,
        afterRtol,
        afterAtol,
        `${c.name} output_after`,
      );
    });
  } finally {
    for (const w of layer.weights) w.dispose();
  }
}
