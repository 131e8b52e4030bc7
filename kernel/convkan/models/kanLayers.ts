// Picks the layer for a basis: 'bspline' is the adaptive-grid B-spline ConvKAN2D/KANLinear of
// efficient-kan (layers/), every other family the matching variant layer; 'conv' is a plain
// Conv2d (GroupedConv2D, trainable on every backend), for baselines and hybrids.
import * as tf from '@tensorflow/tfjs';
import { ConvKAN2D } from '../layers/convKan2d';
import { GroupedConv2D } from './groupedConv2dLayer';
import { KANLinear } from '../layers/kanLinear';
import { BasisConvKAN2D } from '../variants/basisConvKan2d';
import { BasisKANLinear } from '../variants/basisKanLinear';
import { BASIS_NAMES, type BasisName } from '../variants/basisOptions';
import type { BasisArgs } from '../variants/layerArgs';
import { ConvKanArgumentError, show } from '../conv/argumentError';
import type { ConvGeometryArgs } from '../conv/convGeometry';

export type ConvKind = BasisName | 'conv';

export interface KanConvSpec extends BasisArgs, ConvGeometryArgs<2> {
  filters: number;
  groups?: number;
  seed?: number;
  name?: string;
  inputShape?: tf.Shape;
}

export function checkConvKind(kind: unknown, context: string): ConvKind {
  if (kind === 'conv' || BASIS_NAMES.includes(kind as BasisName)) return kind as ConvKind;
  throw new ConvKanArgumentError(context, 'basis', `'conv' or one of ${BASIS_NAMES.map((b) => `'${b}'`).join(', ')}`, show(kind));
}

/** A convolution layer of the given kind with Conv2d semantics. */
export function convLayer(kind: ConvKind, spec: KanConvSpec): tf.layers.Layer {
  const { filters, kernelSize, strides, padding, dilation, groups, paddingMode, seed, name, inputShape } = spec;
  if (kind === 'bspline') {
    return new ConvKAN2D({
      filters,
      kernelSize,
      strides,
      padding,
      dilation,
      groups,
      paddingMode,
      seed,
      name,
      inputShape,
      gridSize: spec.gridSize,
      splineOrder: spec.splineOrder,
      gridRange: spec.gridRange,
    });
  }
  if (kind === 'conv')
    return new GroupedConv2D({ filters, kernelSize, strides, padding, dilation, groups, paddingMode, seed, name, inputShape });
  return new BasisConvKAN2D({ ...spec, basis: kind });
}

export interface KanDenseSpec extends BasisArgs {
  units: number;
  seed?: number;
  name?: string;
}

/** A KAN dense layer of the given basis ('bspline' → efficient-kan's KANLinear). */
export function kanDenseLayer(basis: BasisName, spec: KanDenseSpec): tf.layers.Layer {
  if (basis === 'bspline') {
    return new KANLinear({
      units: spec.units,
      gridSize: spec.gridSize,
      splineOrder: spec.splineOrder,
      gridRange: spec.gridRange,
      seed: spec.seed,
      name: spec.name,
    });
  }
  return new BasisKANLinear({ ...spec, basis });
}
