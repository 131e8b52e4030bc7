// The ConvKAN library as display uses it: the inspection functions the views are drawn from, the
// layers' class names and the run environment. Display imports only the library's index, and
// requires it on first use, so display loads (and its tests run) without pulling the library into
// every kernel start, and a library that fails to load leaves display working.
import type * as Convkan from '../convkan';
import type { VariantLayer } from '../convkan';

export type { SampleEdgeFunctionsOptions, UnfoldConfig as PatchConfig, FilterActivationsOptions } from '../convkan';

export interface ConvkanInspect {
  sampleEdgeFunctions: typeof Convkan.sampleEdgeFunctions;
  unfoldPatches: typeof Convkan.unfoldPatches;
  /** The other basis families' φ (same payload shape, no knots); undefined when not loaded. */
  sampleVariantEdgeFunctions?: typeof Convkan.sampleVariantEdgeFunctions;
  /** Whether a layer is one of the other basis families' layers. */
  isVariantLayer?: (layer: unknown) => layer is VariantLayer;
}

/** The library's public API (kernel/convkan/index.ts), required on first use. */
export function convkanLibrary(): typeof Convkan {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../convkan') as typeof Convkan;
}

let loaded: ConvkanInspect | undefined;

export function convkanInspect(): ConvkanInspect {
  if (!loaded) {
    const lib = convkanLibrary();
    loaded = {
      sampleEdgeFunctions: lib.sampleEdgeFunctions,
      unfoldPatches: lib.unfoldPatches,
      sampleVariantEdgeFunctions: lib.sampleVariantEdgeFunctions,
      isVariantLayer: (layer: unknown): layer is VariantLayer =>
        layer instanceof lib.BasisConvKAN2D || layer instanceof lib.BasisConvKAN1D || layer instanceof lib.BasisKANLinear,
    };
  }
  return loaded;
}

/** A layer's real convolution geometry (isConvLayer, layerGeometry, …), loaded on first use like the rest. */
export function layerGeometryApi(): typeof Convkan {
  return convkanLibrary();
}

/** The filter-activations computation, loaded on first use. */
export function filterActivationsApi(): typeof Convkan.filterActivations {
  return convkanLibrary().filterActivations;
}

/** Tests (and other hosts) may provide the functions directly. */
export function setConvkanInspect(impl: ConvkanInspect | undefined): void {
  loaded = impl;
}
