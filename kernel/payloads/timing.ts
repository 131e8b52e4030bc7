// application/vnd.convkan.timing+json: timed runs, grouped by (shape, backend, phase), each with
// its ratio to the group's baseline entry. Parsing fills in ratios the producer left out.
import * as v from './check';
import { parseRunEnvironment, type RunEnvironment } from './runEnvironment';

export const MIME_TIMING = 'application/vnd.convkan.timing+json';
export const TIMING_VERSION = 1;

/** Sizes the kernel sends and the renderer draws. */
export const TIMING_LIMITS = {
  /** Entries a payload may hold… */
  entries: 400,
  /** …and samples over all its entries (each is drawn as a point). */
  samples: 200_000,
  /** The kernel keeps the first this many entries… */
  sentEntries: 200,
  /** …and this many samples per entry, evenly chosen (statistics use all). */
  sentSamplesPerEntry: 1000,
} as const;

export const TIMING_PHASES = ['forward', 'forward+backward'] as const;

export interface TimingEntry {
  /** What was timed, e.g. "ConvKAN2D", "conv2d", "conv2d floor". */
  label: string;
  /** Layer kind used for grouping, e.g. "bspline", "conv2d". */
  kind: string;
  /** Human-readable shape, e.g. "3→32 @32×32". */
  shape: string;
  backend: string;
  phase: (typeof TIMING_PHASES)[number];
  /** Per-run samples, ms. */
  samples: number[];
  median: number;
  min: number;
  max: number;
  /** 10th / 90th percentile of the samples (benchmarks' spread; optional for older payloads). */
  p10?: number;
  p90?: number;
  /** median / median of the baseline entry with the same shape, backend and phase */
  ratio?: number;
}

export interface TimingPayload {
  version: typeof TIMING_VERSION;
  title?: string;
  unit: 'ms';
  /** Label of the baseline entry within each (shape, backend, phase) group. */
  baseline?: string;
  entries: TimingEntry[];
  meta?: Record<string, string | number>;
  /** Where the samples were taken: the same record an executed notebook's metadata holds. */
  environment?: RunEnvironment;
}

/** Entries with the same key are compared with each other (and with the group's baseline). */
export const groupKey = (e: Pick<TimingEntry, 'shape' | 'backend' | 'phase'>) => `${e.shape}\u0000${e.backend}\u0000${e.phase}`;

export function parseTiming(value: unknown): TimingPayload {
  return v.parseAs(MIME_TIMING, value, timingFields);
}

function entry(r: unknown, path: string): TimingEntry {
  const o = v.object(r, path);
  const samples = v.numbers(o.samples, `${path}.samples`);
  if (samples.length === 0) throw v.malformed(`${path}.samples: expected at least one run, got an empty array`);
  samples.forEach((s, j) => {
    if (s < 0) throw v.malformed(`${path}.samples[${j}]: expected a duration ≥ 0 ms, got ${s}`);
  });
  const e: TimingEntry = {
    label: v.string(o.label, `${path}.label`),
    kind: v.string(o.kind, `${path}.kind`),
    shape: v.string(o.shape, `${path}.shape`),
    backend: v.string(o.backend, `${path}.backend`),
    phase: v.oneOf(o.phase, `${path}.phase`, TIMING_PHASES),
    samples,
    median: v.finite(o.median, `${path}.median`),
    min: v.finite(o.min, `${path}.min`),
    max: v.finite(o.max, `${path}.max`),
  };
  if (!(e.min <= e.median && e.median <= e.max)) {
    throw v.malformed(`${path}: expected min ≤ median ≤ max, got min ${e.min}, median ${e.median}, max ${e.max}`);
  }
  for (const k of ['p10', 'p90'] as const) if (o[k] !== undefined) e[k] = v.finite(o[k], `${path}.${k}`);
  if (o.ratio !== undefined) {
    e.ratio = v.finite(o.ratio, `${path}.ratio`);
    if (e.ratio <= 0) throw v.malformed(`${path}.ratio: expected a positive ratio, got ${e.ratio}`);
  }
  return e;
}

function timingFields(p: v.Json): TimingPayload {
  v.version(p, TIMING_VERSION);
  const unit = v.oneOf(p.unit, 'unit', ['ms'] as const);
  const raw = v.array(p.entries, 'entries');
  if (raw.length === 0) throw v.malformed('entries: expected at least one timed entry, got an empty array');
  if (raw.length > TIMING_LIMITS.entries)
    throw v.tooLarge('The number of timing entries', raw.length, TIMING_LIMITS.entries, 'Time fewer shapes or backends per table.');
  const entries = raw.map((r, i) => entry(r, `entries[${i}]`));
  const totalSamples = entries.reduce((n, e) => n + e.samples.length, 0);
  if (totalSamples > TIMING_LIMITS.samples)
    throw v.tooLarge('The total number of samples', totalSamples, TIMING_LIMITS.samples, 'Send fewer runs per entry.');

  const baseline = v.optionalString(p.baseline, 'baseline');
  if (baseline !== undefined) {
    if (!entries.some((e) => e.label === baseline)) {
      throw v.malformed(
        `baseline: "${baseline}" is not the label of any entry (labels: ${[...new Set(entries.map((e) => `"${e.label}"`))].join(', ')})`,
      );
    }
    const baseMedian = new Map(entries.filter((e) => e.label === baseline).map((e) => [groupKey(e), e.median]));
    for (const e of entries) {
      const m = baseMedian.get(groupKey(e));
      if (e.ratio === undefined && m !== undefined && m > 0) e.ratio = e.median / m;
    }
  }
  const result: TimingPayload = { version: TIMING_VERSION, unit, entries };
  if (baseline !== undefined) result.baseline = baseline;
  const title = v.optionalString(p.title, 'title');
  if (title !== undefined) result.title = title;
  if (p.meta !== undefined) {
    const meta = v.object(p.meta, 'meta');
    result.meta = {};
    for (const [k, val] of Object.entries(meta)) {
      if (typeof val !== 'string' && !(typeof val === 'number' && Number.isFinite(val)))
        throw v.malformed(`meta.${k}: expected a string or number, got ${v.describe(val)}`);
      result.meta[k] = val;
    }
  }
  if (p.environment !== undefined) result.environment = parseRunEnvironment(p.environment, 'environment');
  return result;
}
