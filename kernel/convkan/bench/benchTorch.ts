// npm run bench:torch — our layers against PyTorch in the same run, with the same thread count:
// torch Conv2d vs our conv2d, an exact PyTorch ConvKAN (efficient-kan/convkan math, basis then
// conv2d, padded first: torch_layers.py) vs ConvKAN2D, and torch-conv-kan's KACN (Chebyshev)
// vs our KACN (BasisConvKAN2D chebyshev without the base branch, as KACN has none).
// Per shape (a)–(d), forward and forward+backward (loss mean(y²), gradients w.r.t. input and
// weights on both sides), plus batch-1 forward latency on shape (b). The six candidates are
// timed round-robin (wall clock; torch reports its own wall time, without the pipe) after
// warm-ups, and the table gives the throughput ratio torch time / our time (> 1: we are faster).
// Flags: --shapes=a,b --reps=N --warmup=N --batch=N --threads=N --backend=wasm|cpu --out=FILE --tiny
import * as tf from '@tensorflow/tfjs';
import { BACKEND_ENV } from '../backend/backendChoices';
import { initBackend, WASM_THREADS_ENV } from '../backend/initBackend';
import { ConvKAN2D } from '../layers/convKan2d';
import { BasisConvKAN2D } from '../variants/basisConvKan2d';
import { loadAverage, runBenchProgram, runMeta } from './runMeta';
import { formatSpread, measureInterleavedAsync, round3, timedWall, type Samples } from './measure';
import { CHEBYSHEV_DEGREE, describeShape, GRID_SIZE, KERNEL, PADDING, selectShapes, SPLINE_ORDER, type LayerShape } from './layerShapes';
import type { BenchEntry, BenchPayload } from './benchLayers';
import { findTorchPython, TORCH_INSTALL_HINT, TorchServer, torchSetupMessage } from './torchBridge';
import { phaseRunner } from './phaseRunner';
import { parseTorchBenchArgs, type TorchBenchArgs } from './torchArgs';
import { baselineConv2d } from './baselineConv';

export const LATENCY_SHAPE = 'b';

/** Our candidate, its PyTorch counterpart, and the label torch_layers.py knows it by. */
export interface Pair {
  ours: string;
  torch: string;
  script: string;
  kind: string;
}
export const PAIRS: readonly Pair[] = [
  { ours: 'conv2d', torch: 'torch Conv2d', script: 'conv2d', kind: 'conv2d' },
  { ours: 'ConvKAN2D', torch: 'torch ConvKAN (exact)', script: 'convkan', kind: 'bspline' },
  { ours: 'KACN (chebyshev)', torch: 'torch KACN', script: 'kacn', kind: 'chebyshev' },
];
export const TORCH_BACKEND = 'torch';

type Phase = BenchEntry['phase'];
interface Ours {
  pair: Pair;
  forward: () => tf.Tensor;
  trainables: () => tf.Variable[];
  dispose: () => void;
}

function ourCandidates(s: LayerShape, batch: number): Ours[] {
  const x = tf.variable(tf.randomNormal([batch, s.size, s.size, s.inChannels], 0, 0.7, 'float32', 1), true, 'torch_bench_x');
  const w = tf.variable(
    tf.randomNormal([KERNEL, KERNEL, s.inChannels / s.groups, s.outChannels], 0, 0.1, 'float32', 2),
    true,
    'torch_bench_w',
  );
  const layerArgs = { filters: s.outChannels, kernelSize: KERNEL, padding: PADDING, groups: s.groups, seed: 5 };
  const fromLayer = (pair: Pair, layer: tf.layers.Layer): Ours => {
    layer.apply(tf.zeros([1, s.size, s.size, s.inChannels])); // build the weights
    return {
      pair,
      forward: () => layer.apply(x) as tf.Tensor,
      trainables: () => [x, ...layer.trainableWeights.map((v) => v.read() as tf.Variable)],
      dispose: () => layer.dispose(),
    };
  };
  return [
    {
      pair: PAIRS[0]!,
      trainables: () => [x, w],
      dispose: () => {
        x.dispose();
        w.dispose();
      },
      forward: () => baselineConv2d(x, w, s.groups),
    },
    fromLayer(PAIRS[1]!, new ConvKAN2D({ ...layerArgs, inChannels: s.inChannels, gridSize: GRID_SIZE, splineOrder: SPLINE_ORDER })),
    fromLayer(PAIRS[2]!, new BasisConvKAN2D({ ...layerArgs, basis: 'chebyshev', degree: CHEBYSHEV_DEGREE, useBase: false })),
  ];
}

async function timeGroup(
  torch: TorchServer,
  ours: Ours[],
  phase: Phase,
  args: TorchBenchArgs,
  batch?: number,
): Promise<Array<{ label: string; kind: string; backend: string; t: Samples }>> {
  const fns: Array<() => Promise<number>> = [];
  const meta: Array<{ label: string; kind: string; backend: string }> = [];
  for (const c of ours) {
    fns.push(() => torch.time(c.pair.script, phase, batch));
    meta.push({ label: c.pair.torch, kind: c.pair.kind, backend: TORCH_BACKEND });
    fns.push(timedWall(phaseRunner(c, phase)));
    meta.push({ label: c.pair.ours, kind: c.pair.kind, backend: tf.getBackend() });
  }
  const before = tf.memory().numTensors;
  const times = await measureInterleavedAsync(fns, args.reps, args.warmup);
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`benchTorch: ${phase} leaked ${leaked} tensors over ${args.reps + args.warmup} runs each.`);
  return meta.map((m, k) => ({ ...m, t: times[k] as Samples }));
}

export async function runTorchBench(args: TorchBenchArgs, log: (line: string) => void = console.log): Promise<BenchPayload | undefined> {
  const python = findTorchPython();
  if (!python) {
    log(TORCH_INSTALL_HINT);
    return undefined;
  }
  const info = await initBackend({
    prefer: args.backend,
    env: { ...process.env, [BACKEND_ENV]: args.backend, [WASM_THREADS_ENV]: String(args.threads) },
  });
  const torch = new TorchServer(python, args.threads);
  const entries: BenchEntry[] = [];
  try {
    const tinfo = await torch.request({ cmd: 'info' });
    const meta: Record<string, string | number> = {
      ...runMeta(args.batch),
      torch: String(tinfo['torch']),
      'torch threads': Number(tinfo['threads']),
      ours: info.label,
      'our threads': info.threads ?? 1,
      clock: 'wall time (torch: measured inside the python process)',
      warmup: args.warmup,
      reps: args.reps,
      'loadAverage at start': loadAverage(),
      GLIBC_TUNABLES: process.env['GLIBC_TUNABLES'] ?? '',
      compared: PAIRS.map((p) => `${p.ours} vs ${p.torch}`).join('; '),
    };
    log(
      `${info.label} vs torch ${String(tinfo['torch'])} (${String(tinfo['threads'])} threads): ${args.reps} runs each, ` +
        `round-robin, after ${args.warmup} warm-ups; load ${loadAverage()}`,
    );
    const record = (shape: string, phase: Phase, rows: Awaited<ReturnType<typeof timeGroup>>) => {
      for (const r of rows) {
        entries.push({ label: r.label, kind: r.kind, shape, backend: r.backend, phase, ...r.t });
        log(`  ${shape} ${phase} ${r.label}: ${formatSpread(r.t)}`);
      }
    };
    for (const s of selectShapes(args.shapes, args.tiny)) {
      await torch.request(torchSetupMessage(s, args.batch));
      const ours = ourCandidates(s, args.batch);
      try {
        for (const phase of ['forward', 'forward+backward'] as const)
          record(describeShape(s), phase, await timeGroup(torch, ours, phase, args));
      } finally {
        ours.forEach((c) => c.dispose());
      }
    }
    if (args.latency) {
      const s = selectShapes([LATENCY_SHAPE], args.tiny)[0]!;
      await torch.request(torchSetupMessage(s, 1));
      const ours = ourCandidates(s, 1);
      try {
        record(latencyShape(s), 'forward', await timeGroup(torch, ours.slice(1), 'forward', args));
      } finally {
        ours.forEach((c) => c.dispose());
      }
    }
    meta['loadAverage at end'] = loadAverage();
    addTorchRatios(entries);
    return {
      version: 1,
      title: `Ours vs PyTorch, batch ${args.batch}, ${args.threads} threads`,
      unit: 'ms',
      baseline: 'torch counterpart',
      entries,
      meta,
    };
  } finally {
    torch.close();
  }
}

export function latencyShape(s: LayerShape): string {
  return `${describeShape(s)} batch 1`;
}

/** Our entries get ratio = our median / torch's (time ratio, as the timing view reads it); torch's get 1. */
export function addTorchRatios(entries: BenchEntry[]): void {
  for (const e of entries) {
    const pair = PAIRS.find((p) => p.ours === e.label || p.torch === e.label);
    if (!pair) continue;
    if (e.label === pair.torch) {
      e.ratio = 1;
      continue;
    }
    const t = entries.find((x) => x.label === pair.torch && x.shape === e.shape && x.phase === e.phase);
    if (t) e.ratio = round3(e.median / t.median);
  }
}

export interface RatioRow {
  shape: string;
  phase: Phase;
  pair: Pair;
  torchMs: number;
  oursMs: number;
  throughput: number;
}

/** Throughput ratio torch time / our time per (shape, phase, pair): > 1 means ours is faster. */
export function torchRatioRows(entries: readonly BenchEntry[]): RatioRow[] {
  const rows: RatioRow[] = [];
  for (const t of entries) {
    const pair = PAIRS.find((p) => p.torch === t.label);
    const o = pair && entries.find((e) => e.label === pair.ours && e.shape === t.shape && e.phase === t.phase);
    if (pair && o)
      rows.push({ shape: t.shape, phase: t.phase, pair, torchMs: t.median, oursMs: o.median, throughput: round3(t.median / o.median) });
  }
  return rows;
}

/** One line per (shape, phase): torch ms, our ms and torch/ours for each pair. */
export function formatTorchTable(p: BenchPayload | undefined): string {
  if (!p) return TORCH_INSTALL_HINT;
  const rows = torchRatioRows(p.entries);
  const head = ['shape', 'phase', ...PAIRS.map((pr) => `${pr.ours}: torch / ours ms = torch÷ours`)];
  const lines: string[][] = [head];
  const keys = [...new Set(rows.map((r) => `${r.shape}\u0000${r.phase}`))];
  for (const k of keys) {
    const [shape, phase] = k.split('\u0000') as [string, Phase];
    lines.push([
      shape,
      phase,
      ...PAIRS.map((pr) => {
        const r = rows.find((x) => x.shape === shape && x.phase === phase && x.pair === pr);
        return r ? `${r.torchMs.toFixed(2)} / ${r.oursMs.toFixed(2)} = ${r.throughput.toFixed(2)}` : '';
      }),
    ]);
  }
  const widths = head.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const out = lines.map((l) => l.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  '));
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  out.push(
    '',
    'throughput ratio = torch time / our time (> 1: ours is faster); targets: ConvKAN2D ≥ 1.0 forward, ≥ 0.8 forward+backward; ' +
      'KACN ≥ 0.5; batch 1 ≥ 1.0',
    `load average (1/5/15 min) ${p.meta['loadAverage at start']} at start, ${p.meta['loadAverage at end']} at end`,
  );
  return out.join('\n');
}

if (require.main === module) {
  runBenchProgram(parseTorchBenchArgs, (a) => runTorchBench(a), formatTorchTable).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
