// The two inspection functions of the ConvKAN library that the views are drawn from
// (kernel/convkan/inspect). Loaded on first use, so display works (and its tests run) without
// pulling the library into every kernel start.
import type { sampleEdgeFunctions } from '../convkan/inspect/edgeFunctions';
import type { unfoldPatches } from '../convkan/inspect/unfoldPatches';

export type { SampleEdgeFunctionsOptions } from '../convkan/inspect/edgeFunctions';
export type { UnfoldConfig as PatchConfig } from '../convkan/inspect/unfoldPatches';

export interface ConvkanInspect {
  sampleEdgeFunctions: typeof sampleEdgeFunctions;
  unfoldPatches: typeof unfoldPatches;
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
