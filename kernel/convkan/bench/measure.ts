// Wall-clock sampling for benchmarks: warm-up runs, then one sample per run, read back to the
// host each time so that lazy backends cannot hide work.
import { performance } from 'node:perf_hooks';

export interface Samples {
  samples: number[];
  median: number;
  min: number;
  max: number;
}

export function summarize(samples: number[]): Samples {
  const s = [...samples].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
  return { samples, median, min: s[0] as number, max: s[s.length - 1] as number };
}

/** Runs fn `warmup` times untimed, then `reps` times timed (ms). fn must finish its work before returning. */
export function measure(fn: () => void, reps: number, warmup = 1): Samples {
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
export function measureInterleaved(fns: Array<() => void>, reps: number, warmup = 1, clock: Clock = 'wall'): Samples[] {
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
