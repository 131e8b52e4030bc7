// Timing data for notebooks: timeIt() measures a function the way the layer benchmark does
// (warm-up runs, then per-run samples), and normalizeTiming() turns raw results into a complete
// TimingPayload (medians, min, max, ratios to a baseline within each shape/backend/phase group)
// that carries the run environment (backend, threads, versions, seed) it was measured in.
import * as tf from '@tensorflow/tfjs';
import { performance } from 'node:perf_hooks';
import { convkanLibrary } from './convkanInspect';
import { TIMING_VERSION, type TimingEntry, type TimingPayload } from '../payloads';

/** A result as users have it: at least a label and per-run samples in ms. */
export interface RawTimingResult {
  label: string;
  samples: number[];
  kind?: string;
  shape?: string;
  backend?: string;
  phase?: TimingEntry['phase'];
  median?: number;
  min?: number;
  max?: number;
  ratio?: number;
}

/** Everything display.timing accepts: a payload (fields may be missing), a list of results, or {label: samples}. */
export type TimingInput =
  | (Omit<TimingPayload, 'version' | 'unit' | 'entries'> & { version?: 1; unit?: 'ms'; entries: RawTimingResult[] })
  | RawTimingResult[]
  | Record<string, number[]>;

export interface TimingOptions {
  title?: string;
  /** Label of the baseline entry in each (shape, backend, phase) group; default: the first entry's label. */
  baseline?: string;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const groupKey = (e: TimingEntry) => `${e.shape}\u0000${e.backend}\u0000${e.phase}`;

function currentBackend(): string {
  try {
    return tf.getBackend() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function normalizeTiming(input: TimingInput, opts: TimingOptions = {}): TimingPayload {
  let raw: RawTimingResult[];
  let base: Partial<TimingPayload> = {};
  if (Array.isArray(input)) raw = input;
  else if (Array.isArray((input as { entries?: unknown }).entries)) {
    const { entries, ...rest } = input as { entries: RawTimingResult[] } & Partial<TimingPayload>;
    raw = entries;
    base = rest;
  } else {
    raw = Object.entries(input as Record<string, number[]>).map(([label, samples]) => ({ label, samples }));
  }
  if (raw.length === 0) throw new Error('Error in display.timing: entries must not be empty, but got 0 entries.');
  const backend = currentBackend();
  const entries: TimingEntry[] = raw.map((r, i) => {
    if (typeof r?.label !== 'string')
      throw new Error(`Error in display.timing: entry ${i} must have a string label, but got ${JSON.stringify(r?.label)}.`);
    const samples = Array.from(r.samples ?? [], Number);
    if (samples.length === 0 || samples.some((s) => !Number.isFinite(s) || s < 0)) {
      throw new Error(
        `Error in display.timing: entry "${r.label}" must have one or more finite, non-negative samples (ms), ` +
          `but got ${JSON.stringify(r.samples)}.`,
      );
    }
    const e: TimingEntry = {
      label: r.label,
      kind: r.kind ?? r.label,
      shape: r.shape ?? '',
      backend: r.backend ?? backend,
      phase: r.phase ?? 'forward',
      samples,
      median: r.median ?? median(samples),
      min: r.min ?? Math.min(...samples),
      max: r.max ?? Math.max(...samples),
    };
    if (r.ratio !== undefined) e.ratio = r.ratio;
    return e;
  });
  const baseline = opts.baseline ?? base.baseline ?? entries[0].label;
  const baselines = new Map<string, TimingEntry>();
  for (const e of entries) if (e.label === baseline && !baselines.has(groupKey(e))) baselines.set(groupKey(e), e);
  for (const e of entries) {
    const b = baselines.get(groupKey(e));
    if (e.ratio === undefined && b && b.median > 0) e.ratio = e.median / b.median;
  }
  const payload: TimingPayload = { version: TIMING_VERSION, unit: 'ms', baseline, entries };
  const title = opts.title ?? base.title;
  if (title) payload.title = title;
  if (base.meta) payload.meta = base.meta;
  payload.environment = base.environment ?? convkanLibrary().runEnvironment();
  return payload;
}

export interface TimeItOptions {
  label?: string;
  kind?: string;
  shape?: string;
  phase?: TimingEntry['phase'];
  /** Timed runs (default 10). */
  reps?: number;
  /** Untimed runs first, so one-off compilation and allocation are not counted (default 2). */
  warmup?: number;
}

type Timed = tf.TensorContainer | void | Promise<tf.TensorContainer | void>;

/** Tensors in a function's result, so we can wait for their values and free them. */
function tensorsIn(v: unknown, out: tf.Tensor[] = []): tf.Tensor[] {
  if (v instanceof tf.Tensor) out.push(v);
  else if (Array.isArray(v)) for (const x of v) tensorsIn(x, out);
  else if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) for (const x of Object.values(v)) tensorsIn(x, out);
  return out;
}

/**
 * Runs fn warmup + reps times and returns one TimingEntry (samples in ms). Each run includes
 * reading the returned tensors' values (so asynchronous backends finish their work), and every
 * tensor a run creates is freed after it (the run sits in its own engine scope; do not start
 * other tensor work concurrently while timing).
 */
export async function timeIt(fn: () => Timed, opts: TimeItOptions = {}): Promise<TimingEntry> {
  const reps = opts.reps ?? 10;
  const warmup = opts.warmup ?? 2;
  if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`Error in timeIt: reps must be an integer ≥ 1, but got ${reps}.`);
  if (!(Number.isInteger(warmup) && warmup >= 0)) throw new Error(`Error in timeIt: warmup must be an integer ≥ 0, but got ${warmup}.`);
  const samples: number[] = [];
  for (let i = 0; i < warmup + reps; i++) {
    tf.engine().startScope();
    try {
      const t0 = performance.now();
      const result = await fn();
      for (const t of tensorsIn(result)) await t.data();
      const t1 = performance.now();
      if (i >= warmup) samples.push(t1 - t0);
    } finally {
      tf.engine().endScope();
    }
  }
  const label = opts.label ?? (fn.name || 'fn');
  return {
    label,
    kind: opts.kind ?? label,
    shape: opts.shape ?? '',
    backend: currentBackend(),
    phase: opts.phase ?? 'forward',
    samples,
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}
