// The inspection functions of the ConvKAN library that the patches view is drawn from
// (kernel/convkan/inspect). Loaded on first use, so display works (and its tests run) without
// pulling the library into every kernel start. Edge functions need no loading: every KAN layer
// samples its own through its edgeFunctions() method (convkan/layers/kanLayer.ts).
import type { unfoldPatches } from '../convkan/inspect/unfoldPatches';
import type * as LayerGeometryApi from '../convkan/inspect/layerGeometry';
import type { filterActivations } from '../convkan/inspect/filterActivations';

export type { EdgeFunctionsOptions } from '../convkan/layers/kanLayer';
export type { UnfoldConfig as PatchConfig } from '../convkan/inspect/unfoldPatches';
export type { FilterActivationsOptions } from '../convkan/inspect/filterActivations';

export interface ConvkanInspect {
  unfoldPatches: typeof unfoldPatches;
}

let loaded: ConvkanInspect | undefined;

export function convkanInspect(): ConvkanInspect {
  /* eslint-disable @typescript-eslint/no-require-imports */
  loaded ??= { unfoldPatches: require('../convkan/inspect/unfoldPatches').unfoldPatches } as ConvkanInspect;
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
