// kernel/payloads: one module per ConvKAN MIME type (constant, version, types, limits, parse),
// shared by the producer (kernel/display) and the consumers (renderers/). Imports nothing outside
// this folder, so the browser bundles include it as is. Documented in docs/mime-types.md.
import { ACTIVATIONS_VERSION, MIME_ACTIVATIONS, parseActivations, type ActivationsPayload } from './activations';
import { PayloadError } from './check';
import { MIME_PATCHES, parsePatches, PATCHES_VERSION, type PatchesPayload } from './patches';
import { MIME_SPLINES, parseSplines, SPLINES_VERSION, type SplinesPayload } from './splines';
import { MIME_TIMING, parseTiming, TIMING_VERSION, type TimingPayload } from './timing';
import { MIME_TRAINING, parseTraining, TRAINING_VERSION, type TrainingPayload } from './training';

export * from './activations';
export * from './patches';
export * from './splines';
export * from './timing';
export * from './training';
export { PADDING_MODES, type PaddingMode, type Padding2D } from './convGeometry';
export type { RunEnvironment } from './runEnvironment';
export { PayloadError, type PayloadErrorKind } from './check';

/** Every ConvKAN view, in the order renderers are registered. */
export const CONVKAN_MIME_TYPES = [MIME_SPLINES, MIME_PATCHES, MIME_TIMING, MIME_TRAINING, MIME_ACTIVATIONS] as const;
export type ConvkanMimeType = (typeof CONVKAN_MIME_TYPES)[number];

export type ConvkanPayload = SplinesPayload | PatchesPayload | TimingPayload | TrainingPayload | ActivationsPayload;

/** The parser of each ConvKAN MIME type: the payload, or a PayloadError naming the MIME type and field. */
export const PAYLOAD_PARSERS: { readonly [M in ConvkanMimeType]: (value: unknown) => ConvkanPayload } = {
  [MIME_SPLINES]: parseSplines,
  [MIME_PATCHES]: parsePatches,
  [MIME_TIMING]: parseTiming,
  [MIME_TRAINING]: parseTraining,
  [MIME_ACTIVATIONS]: parseActivations,
};

/** The schema version each ConvKAN MIME type's payloads carry. */
export const PAYLOAD_VERSIONS: { readonly [M in ConvkanMimeType]: number } = {
  [MIME_SPLINES]: SPLINES_VERSION,
  [MIME_PATCHES]: PATCHES_VERSION,
  [MIME_TIMING]: TIMING_VERSION,
  [MIME_TRAINING]: TRAINING_VERSION,
  [MIME_ACTIVATIONS]: ACTIVATIONS_VERSION,
};

export function isConvkanMimeType(mime: string): mime is ConvkanMimeType {
  return (CONVKAN_MIME_TYPES as readonly string[]).includes(mime);
}

/** Parses `value` as a payload of `mime`; an unknown MIME type is a PayloadError too. */
export function parsePayload(mime: string, value: unknown): ConvkanPayload {
  if (!isConvkanMimeType(mime))
    throw new PayloadError('malformed', `mime: expected one of ${CONVKAN_MIME_TYPES.join(', ')}, got "${mime}"`);
  return PAYLOAD_PARSERS[mime](value);
}
