// The other basis families' edge functions (variants/edgeFunctions) with what data shows: given
// x, the input histograms and pykan's data-weighted importance, as for ConvKAN2D / KANLinear.
import type * as tf from '@tensorflow/tfjs';
import {
  sampleBasisEdgeFunctions,
  type BasisEdgeFunctionSamples,
  type SampleBasisEdgeFunctionsOptions,
  type VariantLayer,
} from '../variants/edgeFunctions';
import { edgeLayoutOf, withInputStatistics } from './inputStatistics';

export interface VariantEdgeFunctionSamples extends BasisEdgeFunctionSamples {
  inputHistograms?: Array<{ in: number; edges: number[]; counts: number[] }>;
  importanceFrom?: 'grid' | 'inputs';
}

export function sampleVariantEdgeFunctions(
  layer: VariantLayer,
  opts: SampleBasisEdgeFunctionsOptions & { x?: tf.Tensor } = {},
): VariantEdgeFunctionSamples {
  const { x, ...sampling } = opts;
  const samples: VariantEdgeFunctionSamples = { ...sampleBasisEdgeFunctions(layer, sampling), importanceFrom: 'grid' };
  if (!x) return samples;
  const resample = (range: [number, number], points: number) =>
    sampleBasisEdgeFunctions(layer, { outChannels: samples.outChannels, inChannels: samples.inChannels, points, range }).functions;
  return withInputStatistics(
    samples,
    x,
    edgeLayoutOf(layer, samples.layer.inChannels),
    `${layer.getClassName()} '${layer.name}'`,
    resample,
  );
}
