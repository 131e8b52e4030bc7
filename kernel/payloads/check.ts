// Field checks that turn an untrusted JSON value into a typed payload, or throw a PayloadError
// naming the field, the expected and the actual value (e.g. "functions[3].base: expected 64
// entries, got 63"). The kernel runs them on what it is about to send, the renderers on what they
// receive, so both sides refuse the same payloads. No imports: the browser bundles include this as is.

/** 'malformed': a producer bug or a hand-written payload; 'too-large': valid, but more than a view draws. */
export type PayloadErrorKind = 'malformed' | 'too-large' | 'render';

export class PayloadError extends Error {
  constructor(
    readonly kind: PayloadErrorKind,
    /** What is wrong, starting with the field: "<field>: expected …, got …". */
    readonly detail: string,
    /** The payload's MIME type, once known (parse* functions set it). */
    readonly mime?: string,
  ) {
    super(mime ? `${mime}: ${detail}` : detail);
    this.name = 'PayloadError';
  }
}

export function malformed(detail: string): PayloadError {
  return new PayloadError('malformed', detail);
}

export function tooLarge(what: string, actual: number, limit: number, hint: string): PayloadError {
  const fmt = (n: number) => n.toLocaleString('en-US');
  return new PayloadError('too-large', `${what} is ${fmt(actual)}; this view draws at most ${fmt(limit)}. ${hint}`);
}

/** Runs a payload's field checks; a PayloadError they throw is rethrown naming `mime`. */
export function parseAs<P>(mime: string, value: unknown, parseFields: (payload: Json) => P): P {
  try {
    return parseFields(object(value, 'payload'));
  } catch (err) {
    if (err instanceof PayloadError && err.mime === undefined) throw new PayloadError(err.kind, err.detail, mime);
    throw err;
  }
}

export type Json = Record<string, unknown>;

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Every ConvKAN payload starts with the schema version its parser was written for. */
export function version(payload: Json, expected: number): void {
  if (payload.version !== expected) {
    throw malformed(
      `version: expected ${expected}, got ${describe(payload.version)} (the kernel and the extension are out of step; update both)`,
    );
  }
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

/** A number array. Non-finite entries are rejected (JSON turns NaN into null, so a null is a NaN or Infinity in the producer). */
export function numbers(value: unknown, path: string, length?: number): number[] {
  const arr = array(value, path, length);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw malformed(`${path}[${i}]: expected a finite number, got ${describe(v)}`);
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
      throw malformed(
        `${path}: expected ${strict ? 'strictly ' : ''}increasing values, but [${i - 1}]=${values[i - 1]} and [${i}]=${values[i]}`,
      );
    }
  }
}

/** `actual` must equal what the other fields imply; `why` says how it is derived. */
export function derived(path: string, actual: number, expected: number, why: string): void {
  if (actual !== expected) throw malformed(`${path}: expected ${expected} (${why}), got ${actual}`);
}
