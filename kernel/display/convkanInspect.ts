// The two inspection functions of the ConvKAN library that the views are drawn from
// (kernel/convkan/inspect). Loaded on first use, so display works (and its tests run) without
// pulling the library into every kernel start.
import type { sampleEdgeFunctions } from '../convkan/inspect/edgeFunctions';
import type { unfoldPatches } from '../convkan/inspect/unfoldPatches';
import type * as LayerGeometryApi from '../convkan/inspect/layerGeometry';
import type { filterActivations } from '../convkan/inspect/filterActivations';
import type { VariantLayer } from '../convkan/variants/edgeFunctions';
import type { sampleVariantEdgeFunctions } from '../convkan/inspect/variantEdgeFunctions';

export type { SampleEdgeFunctionsOptions } from '../convkan/inspect/edgeFunctions';
export type { UnfoldConfig as PatchConfig } from '../convkan/inspect/unfoldPatches';
export type { FilterActivationsOptions } from '../convkan/inspect/filterActivations';

export interface ConvkanInspect {
  sampleEdgeFunctions: typeof sampleEdgeFunctions;
  unfoldPatches: typeof unfoldPatches;
  /** The other basis families' φ (same payload shape, no knots); undefined when not loaded. */
  sampleVariantEdgeFunctions?: typeof sampleVariantEdgeFunctions;
  /** Whether a layer is one of the other basis families' layers. */
  isVariantLayer?: (layer: unknown) => layer is VariantLayer;
}

let loaded: ConvkanInspect | undefined;

export function convkanInspect(): ConvkanInspect {
  /* eslint-disable @typescript-eslint/no-require-imports */
  loaded ??= {
    sampleEdgeFunctions: require('../convkan/inspect/edgeFunctions').sampleEdgeFunctions,
    unfoldPatches: require('../convkan/inspect/unfoldPatches').unfoldPatches,
    sampleVariantEdgeFunctions: require('../convkan/inspect/variantEdgeFunctions').sampleVariantEdgeFunctions,
    isVariantLayer: (layer: unknown): layer is VariantLayer => {
      const v = require('../convkan/variants');
      return layer instanceof v.BasisConvKAN2D || layer instanceof v.BasisConvKAN1D || layer instanceof v.BasisKANLinear;
    },
  } as ConvkanInspect;
  return loaded;
}

/** A layer's real convolution geometry (inspect/layerGeometry), loaded on first use like the rest. */
export function layerGeometryApi(): typeof LayerGeometryApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../convkan/inspect/layerGeometry');
}

/** The filter-activations computation (inspect/filterActivations), loaded on first use. */
export function filterActivationsApi(): typeof filterActivations {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../convkan/inspect/filterActivations').filterActivations;
}

/** Tests (and other hosts) may provide the functions directly. */
export function setConvkanInspect(impl: ConvkanInspect | undefined): void {
  loaded = impl;
}
