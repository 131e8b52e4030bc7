// npm run bench:layers — ConvKAN2D against a plain conv2d of the same shape and against the
// "floor": a conv2d over the (grid + order + 1)·C_in channels that any exact basis-then-conv
// implementation must convolve. Forward and forward+backward, per available backend.
// Prints a table and writes a TimingPayload-shaped JSON (baseline 'conv2d').
// Flags: --backends=wasm,cpu --reps=N --warmup=N --batch=N --shapes=a,b --out=FILE --tiny --clock=wall|cpu
// Default: wall clock, the backend's default threads (wasm: one per logical CPU), 3 warm-ups.
import * as tf from '@tensorflow/tfjs';
import { phaseRunner } from './phaseRunner';
import type { BackendId } from '../backend/backendChoices';
import { eachBackend } from './eachBackend';
import { ConvKAN2D } from '../layers/convKan2d';
import { groupedConv2d } from '../ops/groupedConv2d';
import { loadAverage, runBenchProgram, runMeta } from './runMeta';
import { parseBenchArgs, type BenchArgs } from './benchArgs';
import { formatSpread, measureInterleaved, round3, type Clock, type Samples } from './measure';
import { describeShape, GRID_SIZE, KERNEL, PADDING, selectShapes, SPLINE_ORDER, type LayerShape } from './layerShapes';
import { baselineConv2d } from './baselineConv';

/** Mirrors TimingEntry / TimingPayload of kernel/payloads/timing.ts (convkan may not import the kernel). */
export interface BenchEntry extends Samples {
  label: string;
  kind: string;
  shape: string;
  backend: string;
  phase: 'forward' | 'forward+backward';
  ratio?: number;
}
export interface BenchPayload {
  version: 1;
  title: string;
  unit: 'ms';
  baseline: string;
  entries: BenchEntry[];
  meta: Record<string, string | number>;
}

export const BASELINE_LABEL = 'conv2d';
export const FLOOR_LABEL = 'conv2d floor';
export const CONVKAN_LABEL = 'ConvKAN2D';
// cpu convolutions are naive loops (seconds per pass at batch 32): fewer runs there
const DEFAULT_REPS: Record<BackendId, number> = { tensorflow: 10, wasm: 10, cpu: 2 };

type Phase = BenchEntry['phase'];
interface Candidate {
  label: string;
  kind: string;
  forward: () => tf.Tensor;
  trainables: () => tf.Tensor[];
  dispose: () => void;
}

function candidates(s: LayerShape, batch: number): Candidate[] {
  const conv = { strides: [1, 1] as [number, number], dilations: [1, 1] as [number, number], groups: s.groups };
  const x = tf.variable(tf.randomNormal([batch, s.size, s.size, s.inChannels], 0, 0.7, 'float32', 1), true, 'bench_x');
  const w = tf.variable(tf.randomNormal([KERNEL, KERNEL, s.inChannels / s.groups, s.outChannels], 0, 0.1, 'float32', 2), true, 'bench_w');
  const expandedChannels = (GRID_SIZE + SPLINE_ORDER + 1) * s.inChannels;
  const xe = tf.variable(
    tf.randomNormal([batch, s.size + 2 * PADDING, s.size + 2 * PADDING, expandedChannels], 0, 0.3, 'float32', 3),
    true,
    'bench_xe',
  );
  const we = tf.variable(
    tf.randomNormal([KERNEL, KERNEL, expandedChannels / s.groups, s.outChannels], 0, 0.05, 'float32', 4),
    true,
    'bench_we',
  );
  const layer = new ConvKAN2D({
    inChannels: s.inChannels,
    filters: s.outChannels,
    kernelSize: KERNEL,
    padding: PADDING,
    groups: s.groups,
    gridSize: GRID_SIZE,
    splineOrder: SPLINE_ORDER,
    seed: 5,
  });
  layer.apply(tf.zeros([1, s.size, s.size, s.inChannels])); // build the weights
  const layerVars = () => layer.trainableWeights.map((v) => v.read());
  return [
    {
      label: BASELINE_LABEL,
      kind: 'conv2d',
      forward: () => baselineConv2d(x, w, s.groups),
      trainables: () => [x, w],
      dispose: () => {
        x.dispose();
        w.dispose();
      },
    },
    {
      label: FLOOR_LABEL,
      kind: 'conv2d',
      forward: () => groupedConv2d(xe as tf.Tensor4D, we as tf.Tensor4D, conv),
      trainables: () => [xe, we],
      dispose: () => {
        xe.dispose();
        we.dispose();
      },
    },
    {
      label: CONVKAN_LABEL,
      kind: 'bspline',
      forward: () => layer.apply(x) as tf.Tensor,
      trainables: () => [x, ...layerVars()],
      dispose: () => layer.dispose(),
    },
  ];
}

/** All candidates of one shape and phase, timed round-robin; fails on a tensor leak. */
function timePhase(cs: Candidate[], phase: Phase, reps: number, warmup: number, clock: Clock): Samples[] {
  const before = tf.memory().numTensors;
  const out = measureInterleaved(
    cs.map((c) => phaseRunner(c, phase)),
    reps,
    warmup,
    clock,
  );
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0)
    throw new Error(
      `benchLayers: ${phase} of ${cs.map((c) => c.label).join(', ')} leaked ${leaked} tensors over ${reps + warmup} runs each.`,
    );
  return out;
}

export async function runLayerBench(args: BenchArgs, log: (line: string) => void = console.log): Promise<BenchPayload> {
  const shapes = selectShapes(args.shapes, args.tiny);
  const entries: BenchEntry[] = [];
  const meta: Record<string, string | number> = {
    ...runMeta(args.batch),
    kernel: KERNEL,
    padding: PADDING,
    gridSize: GRID_SIZE,
    splineOrder: SPLINE_ORDER,
    tiny: args.tiny ? 1 : 0,
    clock: args.clock === 'wall' ? 'wall time' : 'process CPU time (all threads)',
    warmup: args.warmup,
    loadAverage: loadAverage(),
    GLIBC_TUNABLES: process.env['GLIBC_TUNABLES'] ?? '',
  };
  await eachBackend(args, DEFAULT_REPS, meta, log, (info, reps) => {
    for (const s of shapes) {
      const cs = candidates(s, args.batch);
      try {
        for (const phase of ['forward', 'forward+backward'] as const) {
          const times = timePhase(cs, phase, reps, args.warmup, args.clock);
          cs.forEach((c, k) => {
            const t = times[k] as Samples;
            entries.push({ label: c.label, kind: c.kind, shape: describeShape(s), backend: info.name, phase, ...t });
            log(`  ${describeShape(s)} ${phase} ${c.label}: ${formatSpread(t)}`);
          });
        }
      } finally {
        cs.forEach((c) => c.dispose());
      }
    }
  });
  addRatios(entries);
  return {
    version: 1,
    title: `ConvKAN2D vs conv2d, batch ${args.batch}, kernel ${KERNEL}, grid ${GRID_SIZE}, order ${SPLINE_ORDER}`,
    unit: 'ms',
    baseline: BASELINE_LABEL,
    entries,
    meta,
  };
}

function sameGroup(a: BenchEntry, b: BenchEntry): boolean {
  return a.shape === b.shape && a.backend === b.backend && a.phase === b.phase;
}

function addRatios(entries: BenchEntry[]): void {
  for (const e of entries) {
    const base = entries.find((b) => sameGroup(b, e) && b.label === BASELINE_LABEL);
    if (base) e.ratio = round3(e.median / base.median);
  }
}

/** The table, then the two targets: ConvKAN forward / floor forward, and ConvKAN fwd+bwd / its forward. */
export function formatTable(p: BenchPayload): string {
  const rows = [['shape', 'backend', 'phase', 'label', 'median ms', 'p10', 'p90', 'min', 'max', '×conv2d', '×floor']];
  for (const e of p.entries) {
    const floor = p.entries.find((f) => sameGroup(f, e) && f.label === FLOOR_LABEL);
    rows.push([
      e.shape,
      e.backend,
      e.phase,
      e.label,
      e.median.toFixed(2),
      e.p10.toFixed(2),
      e.p90.toFixed(2),
      e.min.toFixed(2),
      e.max.toFixed(2),
      e.ratio !== undefined ? e.ratio.toFixed(2) : '',
      floor ? (e.median / floor.median).toFixed(2) : '',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  const lines = rows.map((r) => r.map((c, i) => (i >= 4 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.push('', 'targets (wasm): ConvKAN forward ≤ 1.5× floor forward; ConvKAN forward+backward ≤ 3.5× ConvKAN forward');
  const kan = p.entries.filter((e) => e.label === CONVKAN_LABEL && e.phase === 'forward');
  for (const f of kan) {
    const floor = p.entries.find((e) => sameGroup(e, f) && e.label === FLOOR_LABEL);
    const fb = p.entries.find(
      (e) => e.label === CONVKAN_LABEL && e.phase === 'forward+backward' && e.shape === f.shape && e.backend === f.backend,
    );
    const r1 = floor ? f.median / floor.median : NaN;
    const r2 = fb ? fb.median / f.median : NaN;
    lines.push(`  ${f.backend.padEnd(10)} ${f.shape.padEnd(16)} forward/floor ${r1.toFixed(2)}  fwd+bwd/forward ${r2.toFixed(2)}`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  runBenchProgram(parseBenchArgs, (a) => runLayerBench(a), formatTable).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
