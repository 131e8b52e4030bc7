// kernel/display: values → MIME bundles, the `display` global of cells, and the ConvKAN views.
// The executor (kernel/exec) uses createDisplayApi and toMimeBundle; renderers import only
// mimeTypes.ts.
import { createBaseDisplayApi, DisplayEmitter, DisplaySink } from './displayApi';
import type { BaseDisplayApi } from './displayApi';

export type { DisplaySink, DisplayHandle, DisplayOptions, PngOptions, PlotlyFigure } from './displayApi';
export { toMimeBundle, isMimeBundle, isJsonSafe } from './toMimeBundle';
export { formatTensor } from './tensorRepr';
export * from './mimeTypes';

export type DisplayApi = BaseDisplayApi;

/** The `display` global: each call emits through the sink that getSink() returns at that moment. */
export function createDisplayApi(getSink: () => DisplaySink): DisplayApi {
  return createBaseDisplayApi(new DisplayEmitter(getSink));
}
