// The MIME bundle of a cell's last expression (and of display(value)): tensors, layers and
// models get their own views, values that carry their own bundle are used as they are, other
// values are shown as util.inspect text plus application/json when they are plain JSON data.
import * as tf from '@tensorflow/tfjs';
import { inspect } from 'node:util';
import { OutputHandle } from './outputHandle';
import { isLayer, isLayersModel, layerBundle, modelBundle } from './layerSummary';
import { MIME_JSON, MIME_TEXT, MimeBundle } from './mimeTypes';
import { isTensor, tensorBundle } from './tensorBundle';

/** Objects larger than this (in JSON characters) are shown as text only. */
export const JSON_MAX_CHARS = 1_000_000;

export function toMimeBundle(value: unknown): MimeBundle | undefined {
  // A display handle (a cell ending with display(…)) has already been shown.
  if (value === undefined || value instanceof OutputHandle) return undefined;
  const own = ownBundle(value);
  if (own) return own;
  if (isTensor(value)) return tensorBundle(value);
  if (value instanceof tf.SymbolicTensor) {
    // A graph placeholder (tf.input, layer.apply on one) has a shape but no values.
    const shape = `[${value.shape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;
    return { data: { [MIME_TEXT]: `SymbolicTensor(name=${value.name}, shape=${shape}, dtype=${value.dtype})` }, metadata: {} };
  }
  if (isLayersModel(value)) {
    try {
      return modelBundle(value);
    } catch {
      // e.g. a Sequential without an input shape: summary() needs a built model
      return layerBundle(value);
    }
  }
  if (isLayer(value)) return layerBundle(value);
  const data: Record<string, unknown> = { [MIME_TEXT]: inspectText(value) };
  if (typeof value === 'object' && value !== null && isJsonSafe(value)) {
    const json = JSON.stringify(value);
    if (json.length <= JSON_MAX_CHARS) data[MIME_JSON] = JSON.parse(json);
  }
  return { data, metadata: {} };
}

export function inspectText(value: unknown): string {
  return inspect(value, { depth: 4, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 80, colors: false });
}

/** True for a MIME bundle ({data: {mime: …}, metadata?}) — every key of data looks like a MIME type. */
export function isMimeBundle(value: unknown): value is MimeBundle {
  if (typeof value !== 'object' || value === null) return false;
  const data = (value as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const keys = Object.keys(data);
  const extra = Object.keys(value).filter((k) => k !== 'data' && k !== 'metadata');
  return keys.length > 0 && extra.length === 0 && keys.every((k) => /^[a-z]+\/[\w.+-]+$/i.test(k));
}

/** A bundle from an object's own `toMimeBundle()` or `_repr_mimebundle_()` (IPython's name). */
function ownBundle(value: unknown): MimeBundle | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { toMimeBundle?: unknown; _repr_mimebundle_?: unknown };
  const method =
    typeof v.toMimeBundle === 'function' ? v.toMimeBundle : typeof v._repr_mimebundle_ === 'function' ? v._repr_mimebundle_ : undefined;
  if (!method) return undefined;
  const result: unknown = method.call(value);
  if (isMimeBundle(result)) return { data: result.data, metadata: result.metadata ?? {} };
  if (typeof result === 'object' && result !== null) return { data: result as Record<string, unknown>, metadata: {} };
  throw new TypeError(
    `toMimeBundle() must return a MIME bundle ({data, metadata}) or a {mime: data} object, but got ${inspectText(result)}.`,
  );
}

/** Plain JSON data: objects with Object (or null) prototype, arrays, strings, finite numbers, booleans, null. */
export function isJsonSafe(value: unknown, depth = 0, seen = new Set<object>()): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > 64 || seen.has(value)) return false;
  seen.add(value);
  let ok: boolean;
  if (Array.isArray(value)) ok = value.every((v) => isJsonSafe(v, depth + 1, seen));
  else {
    const proto = Object.getPrototypeOf(value);
    ok = (proto === Object.prototype || proto === null) && Object.values(value).every((v) => isJsonSafe(v, depth + 1, seen));
  }
  seen.delete(value);
  return ok;
}
