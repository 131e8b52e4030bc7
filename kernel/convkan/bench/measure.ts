// Wall-clock sampling for benchmarks: warm-up runs, then one sample per run, read back to the
// host each time so that lazy backends cannot hide work.
import { performance } from 'node:perf_hooks';

export interface Samples {
  samples: number[];
  median: number;
  min: number;
  max: number;
  /** 10th and 90th percentiles (linear interpolation between order statistics): the spread. */
  p10: number;
  p90: number;
}

/** q-quantile of sorted values, linear between neighbours (numpy's default). */
export function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return round3((sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo));
}

export function summarize(samples: number[]): Samples {
  const s = [...samples].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
  return { samples, median, min: s[0] as number, max: s[s.length - 1] as number, p10: quantile(s, 0.1), p90: quantile(s, 0.9) };
}

/** Default warm-up runs per candidate: the first runs pay for wasm compilation, XNNPACK packing and heap growth. */
export const DEFAULT_WARMUP = 3;

/** Runs fn `warmup` times untimed, then `reps` times timed (ms). fn must finish its work before returning. */
export function measure(fn: () => void, reps: number, warmup = DEFAULT_WARMUP): Samples {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    samples.push(round3(performance.now() - t0));
  }
  return summarize(samples);
}

/**
 * Times several functions round-robin: warm-up of each, then rep r of every function before rep
 * r+1 of any. On a shared machine the load changes during a run; interleaving spreads that
 * change over all candidates, so their ratios stay meaningful.
 */
export function measureInterleaved(fns: Array<() => void>, reps: number, warmup = DEFAULT_WARMUP, clock: Clock = 'wall'): Samples[] {
  for (const fn of fns) for (let i = 0; i < warmup; i++) fn();
  const now = clock === 'wall' ? () => performance.now() : cpuNow;
  const samples: number[][] = fns.map(() => []);
  for (let r = 0; r < reps; r++) {
    fns.forEach((fn, k) => {
      const t0 = now();
      fn();
      (samples[k] as number[]).push(round3(now() - t0));
    });
  }
  return samples.map(summarize);
}

/**
 * As measureInterleaved, for candidates that time themselves (another process, e.g. PyTorch):
 * each call returns its own duration in ms.
 */
export async function measureInterleavedAsync(
  fns: Array<() => Promise<number>>,
  reps: number,
  warmup = DEFAULT_WARMUP,
): Promise<Samples[]> {
  for (const fn of fns) for (let i = 0; i < warmup; i++) await fn();
  const samples: number[][] = fns.map(() => []);
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < fns.length; k++) (samples[k] as number[]).push(round3(await (fns[k] as () => Promise<number>)()));
  }
  return samples.map(summarize);
}

/** Wall ms of one synchronous call, as a self-timing candidate for measureInterleavedAsync. */
export function timedWall(fn: () => void): () => Promise<number> {
  return async () => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
}

/**
 * 'wall': elapsed time. 'cpu': CPU time of the whole process (all threads, ms): the work done,
 * which other processes competing for the cores do not inflate — on a shared machine it gives
 * stable ratios where wall time does not (wasm worker threads that spin while waiting count too).
 */
export type Clock = 'wall' | 'cpu';

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** "12.34 ms (p10 11.90, p90 13.02, n 10)": the median with its spread. */
export function formatSpread(t: Samples): string {
  return `${t.median.toFixed(2)} ms (p10 ${t.p10.toFixed(2)}, p90 ${t.p90.toFixed(2)}, n ${t.samples.length})`;
}
