// Small checks that turn an untrusted JSON value into a typed payload, or throw a PayloadError
// naming the field, the expected and the actual value (e.g. "functions[3].base: expected 64
// numbers, got 63"). Views call these before touching plotly, so bad data never draws half a plot.
import { CONVKAN_SCHEMA_VERSION } from '../../kernel/display/mimeTypes';
import { malformed } from './payloadError';

export type Json = Record<string, unknown>;

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`${path}: expected an object, got ${describe(value)}`);
  }
  return value as Json;
}

export function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw malformed(`${path}: expected a finite number, got ${describe(value)}`);
  return value;
}

export function int(value: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw malformed(`${path}: expected an integer ${range}, got ${describe(value)}`);
  }
  return value;
}

export function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw malformed(`${path}: expected a string, got ${describe(value)}`);
  return value;
}

export function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined ? undefined : string(value, path);
}

export function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw malformed(`${path}: expected one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

export function array(value: unknown, path: string, length?: number): unknown[] {
  if (!Array.isArray(value)) throw malformed(`${path}: expected an array, got ${describe(value)}`);
  if (length !== undefined && value.length !== length) {
    throw malformed(`${path}: expected ${length} entries, got ${value.length}`);
  }
  return value;
}

/**
 * A number array. Non-finite entries are rejected (JSON turns NaN into null, so a null here is a
 * NaN or Infinity in the producer), except where `allowNull` says gaps are meaningful.
 */
export function numbers(value: unknown, path: string, length?: number, allowNull = false): number[] {
  const arr = array(value, path, length);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v === 'number' && Number.isFinite(v)) continue;
    if (allowNull && v === null) continue;
    throw malformed(`${path}[${i}]: expected a finite number, got ${describe(v)}`);
  }
  return arr as number[];
}

export function pair(value: unknown, path: string, min = 0): [number, number] {
  const arr = array(value, path, 2);
  return [int(arr[0], `${path}[0]`, min), int(arr[1], `${path}[1]`, min)];
}

export function increasing(values: number[], path: string, strict: boolean): void {
  for (let i = 1; i < values.length; i++) {
    if (strict ? values[i] <= values[i - 1] : values[i] < values[i - 1]) {
      throw malformed(`${path}: expected ${strict ? 'strictly ' : ''}increasing values, but [${i - 1}]=${values[i - 1]} and [${i}]=${values[i]}`);
    }
  }
}

/** Every ConvKAN payload starts with the schema version this renderer was written for. */
export function version(payload: Json): void {
  if (payload.version !== CONVKAN_SCHEMA_VERSION) {
    throw malformed(
      `version: expected ${CONVKAN_SCHEMA_VERSION}, got ${describe(payload.version)} (the kernel and the extension are out of step; update both)`,
    );
  }
}
