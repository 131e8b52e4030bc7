// The ConvKAN library as display uses it: the inspection functions the patches and activations
// views are drawn from and the layers' geometry. Display imports only the library's index, and
// requires it on first use, so display loads (and its tests run) without pulling the library into
// every kernel start, and a library that fails to load leaves display working. Edge functions need
// no loading: every KAN layer samples its own through its edgeFunctions() method.
import type * as Convkan from '../convkan';

export type { EdgeFunctionsOptions, UnfoldConfig as PatchConfig, FilterActivationsOptions } from '../convkan';

export interface ConvkanInspect {
  unfoldPatches: typeof Convkan.unfoldPatches;
}

/** The library's public API (kernel/convkan/index.ts), required on first use. */
export function convkanLibrary(): typeof Convkan {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../convkan') as typeof Convkan;
}

let loaded: ConvkanInspect | undefined;

export function convkanInspect(): ConvkanInspect {
  loaded ??= { unfoldPatches: convkanLibrary().unfoldPatches };
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
