// npm run bench:bases — every basis family's ConvKAN2D against a plain conv2d of the same shape,
// on the four layer shapes of bench:layers (kernel 3, padding 1, batch 32), forward and
// forward+backward, on each available backend. The B-spline row is the adaptive-grid ConvKAN2D;
// the other rows are BasisConvKAN2D with each family's default settings (listed in meta).
// Prints a table and writes a TimingPayload-shaped JSON (baseline 'conv2d') that the timing
// renderer displays. Flags: those of bench:layers (--backends=wasm,cpu --reps=N --batch=N
// --shapes=a,b --out=FILE --tiny --warmup=N --clock=wall|cpu) plus --bases=chebyshev,rbf,… (default: all).
// All candidates of a shape are timed round-robin, wall clock and the backend's default threads by default.
import * as tf from '@tensorflow/tfjs';
import type { BackendId } from '../backend/backendChoices';
import { eachBackend } from './eachBackend';
import { ConvKAN2D } from '../layers/convKan2d';
import { BasisConvKAN2D } from '../variants/basisConvKan2d';
import { BASIS_NAMES, basisConfigEntries, type BasisName } from '../variants/basisOptions';
import { FAMILY_PREFIX } from '../variants/classNames';
import { phaseRunner } from './phaseRunner';
import { loadAverage, runBenchProgram, runMeta } from './runMeta';
import { parseBenchArgs, type BenchArgs } from './benchArgs';
import { formatSpread, measureInterleaved, round3, type Samples } from './measure';
import { describeShape, GRID_SIZE, KERNEL, PADDING, selectShapes, SPLINE_ORDER, type LayerShape } from './layerShapes';
import type { BenchEntry, BenchPayload } from './benchLayers';
import { baselineConv2d } from './baselineConv';

export const BASES_BASELINE_LABEL = 'conv2d';
/** The adaptive-grid B-spline layer (efficient-kan's math). */
export const BSPLINE_LABEL = 'KAN (B-spline)';
const DEFAULT_REPS: Record<BackendId, number> = { tensorflow: 10, wasm: 10, cpu: 3 };
/** Families timed through BasisConvKAN2D ('bspline' there is the fixed-grid variant; the adaptive layer is timed as BSPLINE_LABEL). */
export const TIMED_BASES: readonly BasisName[] = BASIS_NAMES.filter((b) => b !== 'bspline');

export interface BasesBenchArgs extends BenchArgs {
  bases: readonly BasisName[];
}

/** bench:layers' flags plus --bases=a,b (validated against the family names). */
export function parseBasesBenchArgs(argv: string[]): BasesBenchArgs {
  const basesFlag = argv.find((a) => a.startsWith('--bases'));
  const rest = argv.filter((a) => a !== basesFlag);
  const args = parseBenchArgs(rest);
  if (!argv.some((a) => a.startsWith('--out'))) args.out = 'bench-results/bases.json';
  let bases: readonly BasisName[] = TIMED_BASES;
  if (basesFlag) {
    const list = basesFlag
      .replace(/^--bases=?/, '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = list.find((b) => !TIMED_BASES.includes(b as BasisName));
    if (list.length === 0 || bad !== undefined) {
      throw new Error(`benchBases: --bases must list names from ${TIMED_BASES.join(', ')}, but got ${JSON.stringify(bad ?? basesFlag)}.`);
    }
    bases = list as BasisName[];
  }
  return { ...args, bases };
}

/** "KACN (chebyshev)": the torch-conv-kan family name and our basis name. */
export function basisLabel(b: BasisName): string {
  return `${FAMILY_PREFIX[b as keyof typeof FAMILY_PREFIX] ?? b} (${b})`;
}

interface Candidate {
  label: string;
  kind: string;
  forward: () => tf.Tensor;
  trainables: () => tf.Variable[];
  dispose: () => void;
}

function candidates(s: LayerShape, batch: number, bases: readonly BasisName[]): Candidate[] {
  const x = tf.variable(tf.randomNormal([batch, s.size, s.size, s.inChannels], 0, 0.7, 'float32', 1), true, 'bases_bench_x');
  const w = tf.variable(
    tf.randomNormal([KERNEL, KERNEL, s.inChannels / s.groups, s.outChannels], 0, 0.1, 'float32', 2),
    true,
    'bases_bench_w',
  );
  const layerArgs = { filters: s.outChannels, kernelSize: KERNEL, padding: PADDING, groups: s.groups, seed: 5 };
  const fromLayer = (label: string, kind: string, layer: tf.layers.Layer): Candidate => {
    layer.apply(tf.zeros([1, s.size, s.size, s.inChannels])); // build the weights
    return {
      label,
      kind,
      forward: () => layer.apply(x) as tf.Tensor,
      trainables: () => [x, ...layer.trainableWeights.map((v) => v.read() as tf.Variable)],
      dispose: () => layer.dispose(),
    };
  };
  return [
    {
      label: BASES_BASELINE_LABEL,
      kind: 'conv2d',
      forward: () => baselineConv2d(x, w, s.groups),
      trainables: () => [x, w],
      dispose: () => {
        x.dispose();
        w.dispose();
      },
    },
    fromLayer(
      BSPLINE_LABEL,
      'bspline',
      new ConvKAN2D({ ...layerArgs, inChannels: s.inChannels, gridSize: GRID_SIZE, splineOrder: SPLINE_ORDER }),
    ),
    ...bases.map((b) => fromLayer(basisLabel(b), b, new BasisConvKAN2D({ ...layerArgs, basis: b }))),
  ];
}

/** Every candidate of one shape and phase, round-robin (load changes hit all alike); fails on a tensor leak. */
function timePhase(cs: Candidate[], phase: BenchEntry['phase'], reps: number, args: BasesBenchArgs): Samples[] {
  const before = tf.memory().numTensors;
  const out = measureInterleaved(
    cs.map((c) => phaseRunner(c, phase)),
    reps,
    args.warmup,
    args.clock,
  );
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0)
    throw new Error(
      `benchBases: ${phase} of ${cs.map((c) => c.label).join(', ')} leaked ${leaked} tensors over ${reps + args.warmup} runs each.`,
    );
  return out;
}

export async function runBasesBench(args: BasesBenchArgs, log: (line: string) => void = console.log): Promise<BenchPayload> {
  const shapes = selectShapes(args.shapes, args.tiny);
  const entries: BenchEntry[] = [];
  const meta: Record<string, string | number> = {
    ...runMeta(args.batch),
    kernel: KERNEL,
    padding: PADDING,
    'bspline grid/order': `${GRID_SIZE}/${SPLINE_ORDER}`,
    tiny: args.tiny ? 1 : 0,
    clock: args.clock === 'wall' ? 'wall time' : 'process CPU time (all threads)',
    warmup: args.warmup,
    loadAverage: loadAverage(),
    GLIBC_TUNABLES: process.env['GLIBC_TUNABLES'] ?? '',
  };
  for (const b of args.bases)
    meta[`settings ${b}`] = JSON.stringify(basisConfigEntries(new BasisConvKAN2D({ basis: b, filters: 1, kernelSize: 1 }).basis.options));
  await eachBackend(args, DEFAULT_REPS, meta, log, (info, reps) => {
    for (const s of shapes) {
      const cs = candidates(s, args.batch, args.bases);
      try {
        for (const phase of ['forward', 'forward+backward'] as const) {
          const times = timePhase(cs, phase, reps, args);
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
  for (const e of entries) {
    const base = entries.find(
      (b) => b.label === BASES_BASELINE_LABEL && b.shape === e.shape && b.backend === e.backend && b.phase === e.phase,
    );
    if (base) e.ratio = round3(e.median / base.median);
  }
  return {
    version: 1,
    title: `Basis families vs conv2d, batch ${args.batch}, kernel ${KERNEL}, padding ${PADDING}`,
    unit: 'ms',
    baseline: BASES_BASELINE_LABEL,
    entries,
    meta,
  };
}

/** One row per (backend, phase, label), one column per shape: ratio to conv2d, then the median. */
export function formatBasesTable(p: BenchPayload): string {
  const shapes = [...new Set(p.entries.map((e) => e.shape))];
  const rows: string[][] = [['backend', 'phase', 'layer', ...shapes.map((s) => `${s}: median ms [p10–p90] (×conv2d)`)]];
  const keys = [...new Set(p.entries.map((e) => `${e.backend}\u0000${e.phase}\u0000${e.label}`))];
  for (const k of keys) {
    const [backend, phase, label] = k.split('\u0000') as [string, string, string];
    rows.push([
      backend,
      phase,
      label,
      ...shapes.map((s) => {
        const e = p.entries.find((x) => x.backend === backend && x.phase === phase && x.label === label && x.shape === s);
        return e ? `${e.median.toFixed(2)} [${e.p10.toFixed(1)}–${e.p90.toFixed(1)}] (${(e.ratio ?? NaN).toFixed(2)}×)` : '';
      }),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

if (require.main === module) {
  runBenchProgram(parseBasesBenchArgs, (a) => runBasesBench(a), formatBasesTable).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
