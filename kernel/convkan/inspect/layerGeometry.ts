// The convolution geometry a layer really uses, asked of the layer: our 2-D layers (ConvKAN2D,
// the basis families, the bottleneck layer, GroupedConv2D) carry their resolved `geometry`;
// tfjs' own convolutions are read from their config with TensorFlow's rules ('same' pads
// depend on the input size when the stride is > 1). The views draw from this, so they cannot
// drift from what the layer computes.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, show } from '../conv/argumentError';
import {
  checkPaddingMode,
  geometryFor,
  resolvePadding,
  samePadding,
  toPair,
  type ConvGeometry,
  type Pair,
  type SidePadding,
} from '../conv/convGeometry';

export interface LayerGeometry {
  geometry: ConvGeometry;
  groups: number;
  /** The layer takes NCHW inputs (its images are CHW). */
  channelsFirst: boolean;
}

/** tfjs layers whose 2-D sliding window we can describe (transposed convolutions are not one). */
const TF_CONV_2D = ['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D'];

interface HasGeometry {
  geometry: ConvGeometry;
  groups?: unknown;
  dataFormat?: unknown;
}

function isGeometry(g: unknown): g is ConvGeometry {
  const pair = (p: unknown) => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isInteger(n));
  if (typeof g !== 'object' || g === null) return false;
  const o = g as Record<string, unknown>;
  return (
    pair(o.kernelSize) &&
    pair(o.strides) &&
    pair(o.dilation) &&
    Array.isArray(o.padding) &&
    (o.padding as unknown[]).every(pair) &&
    typeof o.paddingMode === 'string'
  );
}

function hasGeometry(layer: unknown): layer is HasGeometry {
  return isGeometry((layer as { geometry?: unknown }).geometry);
}

function describe(layer: tf.layers.Layer): string {
  return `${layer.getClassName()} '${layer.name}'`;
}

/** Whether layerGeometry can describe this layer (a 2-D convolution of ours or of tfjs). */
export function isConvLayer(layer: unknown): boolean {
  if (!(layer instanceof tf.layers.Layer)) return false;
  return (
    (hasGeometry(layer) && layer.geometry.kernelSize.length === 2 && !/1D$/.test(layer.getClassName())) ||
    TF_CONV_2D.includes(layer.getClassName())
  );
}

/** The kernel size alone (needs no input size). */
export function layerKernelSize(layer: tf.layers.Layer): Pair {
  if (hasGeometry(layer)) return [...layer.geometry.kernelSize] as Pair;
  return toPair((layer.getConfig() as { kernelSize?: number | number[] }).kernelSize, NaN, describe(layer), 'kernelSize');
}

/** Whether the layer takes NCHW inputs (its `dataFormat` field or config says 'channelsFirst'). */
export function layerChannelsFirst(layer: tf.layers.Layer): boolean {
  return ((layer as { dataFormat?: unknown }).dataFormat ?? (layer.getConfig() as { dataFormat?: unknown }).dataFormat) === 'channelsFirst';
}

/**
 * The geometry of `layer` for an input of height × width (per-side padding resolved, as the layer
 * pads that input; `channels` is the input's, for depthwise groups). Throws a ConvKanArgumentError naming the layer when it is not a 2-D
 * convolution.
 */
export function layerGeometry(layer: tf.layers.Layer, height: number, width: number, channels = 1): LayerGeometry {
  const context = describe(layer);
  if (!isConvLayer(layer)) {
    throw new ConvKanArgumentError(
      context,
      'layer',
      `a 2-D convolution (a ConvKAN layer, GroupedConv2D or tf ${TF_CONV_2D.join('/')})`,
      layer.getClassName(),
    );
  }
  const cfg = layer.getConfig() as Record<string, unknown>;
  const channelsFirst = layerChannelsFirst(layer);
  if (hasGeometry(layer)) {
    // 'same' with a stride > 1 pads by the input size (TensorFlow's rule), as the layer does.
    const g = geometryFor(layer.geometry, height, width);
    const groups = typeof layer.groups === 'number' ? layer.groups : 1;
    return {
      geometry: {
        kernelSize: [...g.kernelSize] as Pair,
        strides: [...g.strides] as Pair,
        dilation: [...g.dilation] as Pair,
        padding: [[...g.padding[0]], [...g.padding[1]]] as SidePadding,
        paddingMode: g.paddingMode,
      },
      groups,
      channelsFirst,
    };
  }
  const kernelSize = toPair(cfg.kernelSize as number[], NaN, context, 'kernelSize');
  const strides = toPair(cfg.strides as number[], 1, context, 'strides');
  const dilation = toPair(cfg.dilationRate as number[], 1, context, 'dilationRate');
  if (cfg.padding !== 'same' && cfg.padding !== 'valid')
    throw new ConvKanArgumentError(context, 'padding', "'same' or 'valid'", show(cfg.padding));
  const padding =
    cfg.padding === 'same'
      ? tfSamePadding([height, width], kernelSize, strides, dilation)
      : resolvePadding('valid', kernelSize, strides, dilation, context);
  // Depthwise (and separable, in its first step) convolutions filter each input channel on its own.
  const groups = layer.getClassName() === 'Conv2D' ? 1 : channels;
  return { geometry: { kernelSize, strides, dilation, padding, paddingMode: checkPaddingMode('zeros', context) }, groups, channelsFirst };
}

/** TensorFlow's 'same' per-side padding for an input of `size` (conv/convGeometry's rule, both axes). */
export function tfSamePadding(size: Pair, kernelSize: Pair, strides: Pair, dilation: Pair): SidePadding {
  return [samePadding(size[0], kernelSize[0], strides[0], dilation[0]), samePadding(size[1], kernelSize[1], strides[1], dilation[1])];
}
