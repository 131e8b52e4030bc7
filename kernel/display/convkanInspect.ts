// The two inspection functions of the ConvKAN library that the views are drawn from
// (kernel/convkan/inspect). Loaded on first use, so display works (and its tests run) without
// pulling the library into every kernel start.
import type * as tf from '@tensorflow/tfjs';
import type { EdgeFunctionSamples } from './views/splinesView';
import type { UnfoldedPatches } from './views/patchesView';
import type { PaddingMode } from './mimeTypes';

export interface SampleEdgeFunctionsOptions {
  outChannels?: number[];
  inChannels?: number[];
  points?: number;
  /** Sample input: the histogram of what the layer sees, per input channel. */
  x?: tf.Tensor;
}

export interface PatchConfig {
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  dilation?: number | [number, number];
  padding?: number | [number, number] | 'same' | 'valid';
  paddingMode?: PaddingMode;
}

export interface ConvkanInspect {
  sampleEdgeFunctions(layer: tf.layers.Layer, opts?: SampleEdgeFunctionsOptions): EdgeFunctionSamples;
  unfoldPatches(image: tf.Tensor3D, layerOrConfig: tf.layers.Layer | PatchConfig): UnfoldedPatches;
}

let loaded: ConvkanInspect | undefined;

export function convkanInspect(): ConvkanInspect {
  /* eslint-disable @typescript-eslint/no-require-imports */
  loaded ??= {
    sampleEdgeFunctions: require('../convkan/inspect/edgeFunctions').sampleEdgeFunctions,
    unfoldPatches: require('../convkan/inspect/unfoldPatches').unfoldPatches,
  } as ConvkanInspect;
  return loaded;
}

/** Tests (and other hosts) may provide the functions directly. */
export function setConvkanInspect(impl: ConvkanInspect | undefined): void {
  loaded = impl;
}
