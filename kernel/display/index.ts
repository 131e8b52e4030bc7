// kernel/display: values → MIME bundles, the `display` global of cells, and the ConvKAN views.
// The executor (kernel/exec) uses createDisplayApi and toMimeBundle. The ConvKAN payload schemas
// live in kernel/payloads, which the renderers share; they are re-exported here for cells and tests.
import { createConvkanViews } from './convkanViews';
import type { ConvkanDisplayApi } from './convkanViews';
import { createBaseDisplayApi, DisplayEmitter } from './displayApi';
import { installTensorInspect } from './tensorInspect';
import type { BaseDisplayApi, DisplaySink } from './displayApi';

export type { DisplaySink, DisplayHandle, DisplayOptions, PngOptions, PlotlyFigure, BaseDisplayApi } from './displayApi';
export type { ConvkanDisplayApi, SplinesDisplayOptions, PatchesDisplayOptions, ActivationsDisplayOptions } from './convkanViews';
export type { TrainingCallback, TrainingDisplayOptions } from './trainingCallback';
export type { TimingInput, TimingOptions, TimeItOptions, RawTimingResult } from './timing';
export { toMimeBundle, isMimeBundle, isJsonSafe } from './toMimeBundle';
export { formatTensor } from './tensorRepr';
export { timeIt, normalizeTiming } from './timing';
export { splinesBundle } from './bundles/splinesBundle';
export { patchesBundle } from './bundles/patchesBundle';
export { timingBundle } from './bundles/timingBundle';
export { trainingBundle } from './bundles/trainingBundle';
export { activationsBundle } from './bundles/activationsBundle';
export * from './mimeTypes';
export * from '../payloads';

/** The `display` global of cells: display(value), display.html/markdown/svg/png/json/plotly, and the ConvKAN views. */
export type DisplayApi = BaseDisplayApi & ConvkanDisplayApi;

/**
 * Each call emits through the sink that getSink() returns at that moment (the running cell's).
 * Also makes util.inspect (console.log) print tensors as the cell result does.
 */
export function createDisplayApi(getSink: () => DisplaySink): DisplayApi {
  installTensorInspect();
  const emitter = new DisplayEmitter(getSink);
  return Object.assign(createBaseDisplayApi(emitter), createConvkanViews(emitter));
}
