// Validates a timing payload (TimingPayload in kernel/display/mimeTypes.ts) and fills in ratios the
// producer left out, from the baseline entry of the same (shape, backend, phase) group.
import type { TimingEntry, TimingPayload } from '../../kernel/display/mimeTypes';
import { malformed, tooLarge } from '../shared/payloadError';
import * as v from '../shared/validate';

export const TIMING_LIMITS = {
  entries: 400,
  /** Samples over all entries (each is drawn as a point); the kernel keeps ≤ 200 entries × 1000 samples. */
  samples: 200_000,
};

const PHASES = ['forward', 'forward+backward'] as const;

export const groupKey = (e: Pick<TimingEntry, 'shape' | 'backend' | 'phase'>) => `${e.shape}\u0000${e.backend}\u0000${e.phase}`;

export function parseTiming(json: unknown): TimingPayload {
  const p = v.object(json, 'payload');
  v.version(p);
  const unit = v.oneOf(p.unit, 'unit', ['ms'] as const);
  const raw = v.array(p.entries, 'entries');
  if (raw.length === 0) throw malformed('entries: expected at least one timed entry, got an empty array');
  if (raw.length > TIMING_LIMITS.entries) throw tooLarge('The number of timing entries', raw.length, TIMING_LIMITS.entries, 'Time fewer shapes or backends per table.');
  let totalSamples = 0;
  const entries = raw.map((r, i): TimingEntry => {
    const path = `entries[${i}]`;
    const o = v.object(r, path);
    const samples = v.numbers(o.samples, `${path}.samples`);
    if (samples.length === 0) throw malformed(`${path}.samples: expected at least one run, got an empty array`);
    totalSamples += samples.length;
    samples.forEach((s, j) => {
      if (s < 0) throw malformed(`${path}.samples[${j}]: expected a duration ≥ 0 ms, got ${s}`);
    });
    const e: TimingEntry = {
      label: v.string(o.label, `${path}.label`),
      kind: v.string(o.kind, `${path}.kind`),
      shape: v.string(o.shape, `${path}.shape`),
      backend: v.string(o.backend, `${path}.backend`),
      phase: v.oneOf(o.phase, `${path}.phase`, PHASES),
      samples,
      median: v.finite(o.median, `${path}.median`),
      min: v.finite(o.min, `${path}.min`),
      max: v.finite(o.max, `${path}.max`),
    };
    if (!(e.min <= e.median && e.median <= e.max)) {
      throw malformed(`${path}: expected min ≤ median ≤ max, got min ${e.min}, median ${e.median}, max ${e.max}`);
    }
    if (o.ratio !== undefined) {
      e.ratio = v.finite(o.ratio, `${path}.ratio`);
      if (e.ratio <= 0) throw malformed(`${path}.ratio: expected a positive ratio, got ${e.ratio}`);
    }
    return e;
  });
  if (totalSamples > TIMING_LIMITS.samples) throw tooLarge('The total number of samples', totalSamples, TIMING_LIMITS.samples, 'Send fewer runs per entry.');

  const baseline = v.optionalString(p.baseline, 'baseline');
  if (baseline !== undefined) {
    if (!entries.some((e) => e.label === baseline)) {
      throw malformed(`baseline: "${baseline}" is not the label of any entry (labels: ${[...new Set(entries.map((e) => `"${e.label}"`))].join(', ')})`);
    }
    const baseMedian = new Map(entries.filter((e) => e.label === baseline).map((e) => [groupKey(e), e.median]));
    for (const e of entries) {
      const m = baseMedian.get(groupKey(e));
      if (e.ratio === undefined && m !== undefined && m > 0) e.ratio = e.median / m;
    }
  }
  const result: TimingPayload = { version: 1, unit, entries };
  if (baseline !== undefined) result.baseline = baseline;
  const title = v.optionalString(p.title, 'title');
  if (title !== undefined) result.title = title;
  if (p.meta !== undefined) {
    const meta = v.object(p.meta, 'meta');
    result.meta = {};
    for (const [k, val] of Object.entries(meta)) {
      if (typeof val !== 'string' && !(typeof val === 'number' && Number.isFinite(val))) throw malformed(`meta.${k}: expected a string or number, got ${v.describe(val)}`);
      result.meta[k] = val;
    }
  }
  return result;
}
