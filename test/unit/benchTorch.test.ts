// bench:torch: its flags, its ratio table, and the cross-check that makes its comparison mean
// something: torch_layers.py's exact ConvKAN (basis then conv2d, and convkan's unfold form)
// gives our ConvKAN2D's output on a tiny case. Needs Debian's python3-torch (test/setup/system.sh).
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseTorchBenchArgs } from '../../kernel/convkan/bench/torchArgs';
import { addTorchRatios, formatTorchTable, PAIRS, torchRatioRows } from '../../kernel/convkan/bench/benchTorch';
import { findTorchPython, TorchServer } from '../../kernel/convkan/bench/torchBridge';
import { summarize } from '../../kernel/convkan/bench/measure';
import type { BenchEntry, BenchPayload } from '../../kernel/convkan/bench/benchLayers';
import { initBackend } from '../../kernel/convkan/backend/initBackend';
import { ConvKAN2D } from '../../kernel/convkan/layers/convKan2d';
import { toTorchLayout, TORCH_PARAMETER_NAMES } from '../../kernel/convkan/io/torchParameters';

const root = path.resolve(__dirname, '..', '..');

describe('bench:torch arguments', () => {
  test('defaults: every shape, 10 reps, 3 warm-ups, batch 32, 2 threads, wasm, latency on', () => {
    assert.deepEqual(parseTorchBenchArgs([]), {
      shapes: 'all',
      reps: 10,
      warmup: 3,
      batch: 32,
      threads: 2,
      backend: 'wasm',
      out: 'bench-results/torch.json',
      tiny: false,
      latency: true,
    });
    const a = parseTorchBenchArgs([
      '--shapes=b,d',
      '--reps=4',
      '--warmup=0',
      '--batch=8',
      '--threads=1',
      '--backend=cpu',
      '--out=t.json',
      '--tiny',
      '--no-latency',
    ]);
    assert.deepEqual(a, {
      shapes: ['b', 'd'],
      reps: 4,
      warmup: 0,
      batch: 8,
      threads: 1,
      backend: 'cpu',
      out: 't.json',
      tiny: true,
      latency: false,
    });
  });

  test('bad flags are refused with the expected form', () => {
    assert.throws(() => parseTorchBenchArgs(['--rep=3']), {
      message:
        'benchTorch: unknown argument "--rep=3"; expected one of --shapes, --reps, --warmup, --batch, --threads, --backend, ' +
        '--out, --tiny, --no-latency.',
    });
    assert.throws(() => parseTorchBenchArgs(['--threads=0']), { message: 'benchTorch: --threads must be an integer >= 1, but got "0".' });
    assert.throws(() => parseTorchBenchArgs(['--warmup=-2']), { message: 'benchTorch: --warmup must be an integer >= 0, but got "-2".' });
    assert.throws(() => parseTorchBenchArgs(['--backend=gpu']), { message: 'benchTorch: --backend must be wasm or cpu, but got "gpu".' });
    assert.throws(() => parseTorchBenchArgs(['--out']), { message: 'benchTorch: --out needs a value, e.g. --out=...' });
  });
});

function entry(label: string, shape: string, phase: BenchEntry['phase'], ms: number): BenchEntry {
  return { label, kind: 'k', shape, backend: label.startsWith('torch') ? 'torch' : 'wasm', phase, ...summarize([ms]) };
}

describe('bench:torch ratio table', () => {
  const entries = [
    entry('torch Conv2d', 'A', 'forward', 1),
    entry('conv2d', 'A', 'forward', 4),
    entry('torch ConvKAN (exact)', 'A', 'forward', 10),
    entry('ConvKAN2D', 'A', 'forward', 8),
    entry('torch KACN', 'A', 'forward', 3),
    entry('KACN (chebyshev)', 'A', 'forward', 6),
    entry('torch ConvKAN (exact)', 'A', 'forward+backward', 30),
    entry('ConvKAN2D', 'A', 'forward+backward', 40),
  ];

  test('throughput ratio = torch time / our time, per shape, phase and pair; unmatched entries give no row', () => {
    const rows = torchRatioRows(entries);
    assert.deepEqual(
      rows.map((r) => [r.shape, r.phase, r.pair.ours, r.torchMs, r.oursMs, r.throughput]),
      [
        ['A', 'forward', 'conv2d', 1, 4, 0.25],
        ['A', 'forward', 'ConvKAN2D', 10, 8, 1.25],
        ['A', 'forward', 'KACN (chebyshev)', 3, 6, 0.5],
        ['A', 'forward+backward', 'ConvKAN2D', 30, 40, 0.75],
      ],
    );
  });

  test('entries get time ratios to their torch counterpart (torch: 1)', () => {
    const es = entries.map((e) => ({ ...e }));
    addTorchRatios(es);
    assert.deepEqual(
      es.map((e) => e.ratio),
      [1, 4, 1, 0.8, 1, 2, 1, 1.333],
    );
  });

  test('the table prints torch / ours = ratio, the targets and the load', () => {
    const p: BenchPayload = {
      version: 1,
      title: 't',
      unit: 'ms',
      baseline: 'torch counterpart',
      entries,
      meta: { 'loadAverage at start': '1.00 2.00 3.00', 'loadAverage at end': '1.50 2.00 3.00' },
    };
    const t = formatTorchTable(p);
    assert.match(t, /A +forward +1\.00 \/ 4\.00 = 0\.25 +10\.00 \/ 8\.00 = 1\.25 +3\.00 \/ 6\.00 = 0\.50/);
    assert.match(t, /A +forward\+backward +30\.00 \/ 40\.00 = 0\.75/);
    assert.match(t, /throughput ratio = torch time \/ our time/);
    assert.match(t, /load average \(1\/5\/15 min\) 1\.00 2\.00 3\.00 at start, 1\.50 2\.00 3\.00 at end/);
    assert.match(formatTorchTable(undefined), /install Debian's python3-torch/);
    assert.equal(PAIRS.length, 3);
  });
});

describe('torch_layers.py against our layers (needs python3-torch)', () => {
  const python = findTorchPython();
  let server: TorchServer | undefined;
  after(() => server?.close());

  test('PyTorch is installed (test/setup/system.sh)', () => {
    assert.ok(python, 'no python3 that imports torch: run test/setup/system.sh (apt: python3-torch)');
  });

  for (const c of [
    { name: '3→4, 3×3, padding 1, cpu', cin: 3, cout: 4, groups: 1, size: 5, padding: 1, backend: 'cpu' },
    { name: '3→4, 3×3, padding 1, wasm', cin: 3, cout: 4, groups: 1, size: 5, padding: 1, backend: 'wasm' },
    { name: '4→6, groups 2, padding 0, wasm', cin: 4, cout: 6, groups: 2, size: 4, padding: 0, backend: 'wasm' },
  ]) {
    test(`its exact ConvKAN and convkan's unfold form equal ConvKAN2D (${c.name})`, async () => {
      await initBackend({ env: { CONVKAN_BACKEND: c.backend } });
      server ??= new TorchServer(python!, 1);
      const layer = new ConvKAN2D({
        inChannels: c.cin,
        filters: c.cout,
        kernelSize: 3,
        padding: c.padding,
        groups: c.groups,
        gridSize: 5,
        splineOrder: 3,
        seed: 7,
      });
      const x = tf.randomNormal([2, c.size, c.size, c.cin], 0, 1.2, 'float32', 3); // some values outside the grid [-1, 1]
      tf.dispose(layer.apply(x) as tf.Tensor); // builds the weights
      const before = tf.memory().numTensors;
      const y = layer.apply(x) as tf.Tensor4D; // [N, H', W', Cout]
      const ours = tf.transpose(y, [0, 3, 1, 2]); // NCHW
      const params: Record<string, unknown> = {};
      const weights = Object.fromEntries(layer.weights.map((w) => [w.originalName.split('/').pop(), w.read()]));
      for (const name of TORCH_PARAMETER_NAMES) {
        const t = toTorchLayout(layer, name, weights[name]!.dataSync());
        params[name] = { shape: t.shape, data: Array.from(t.data) };
      }
      const xNchw = tf.transpose(x, [0, 3, 1, 2]);
      const r = await server.request({
        cmd: 'convkan',
        x: { shape: xNchw.shape, data: Array.from(xNchw.dataSync()) },
        ...params,
        groups: c.groups,
        padding: c.padding,
        order: 3,
      });
      const want = ours.dataSync();
      for (const form of ['exact', 'unfold']) {
        const got = r[form] as { shape: number[]; data: number[] };
        assert.deepEqual(got.shape, ours.shape, `${form} shape`);
        let maxDiff = 0;
        got.data.forEach((v, i) => {
          maxDiff = Math.max(maxDiff, Math.abs(v - want[i]!));
        });
        assert.ok(maxDiff < 1e-5, `${form}: max |torch − ours| = ${maxDiff}`);
      }
      tf.dispose([y, ours, xNchw]);
      assert.equal(tf.memory().numTensors, before);
      x.dispose();
      layer.dispose();
    });
  }

  test('npm run bench:torch -- --tiny times all six candidates and prints the ratio table', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'torch-bench-')), 'torch.json');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'kernel/convkan/bench/benchTorch.ts',
        '--tiny',
        '--reps=1',
        '--warmup=0',
        '--batch=2',
        '--shapes=a,d',
        '--threads=1',
        `--out=${out}`,
      ],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CONVKAN_BACKEND: '' },
        timeout: 240_000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const p = JSON.parse(fs.readFileSync(out, 'utf8')) as BenchPayload;
    assert.equal(p.entries.length, 2 * 2 * 6 + 4); // shapes × phases × candidates, + batch-1 latency (2 pairs × 2)
    assert.deepEqual([...new Set(p.entries.map((e) => e.label))].sort(), PAIRS.flatMap((x) => [x.ours, x.torch]).sort());
    assert.ok(p.entries.some((e) => e.shape.endsWith('batch 1')));
    assert.equal(p.meta['torch threads'], 1);
    assert.equal(p.meta['our threads'], 1);
    assert.match(r.stdout, /throughput ratio = torch time \/ our time/);
    assert.equal(torchRatioRows(p.entries).length, 2 * 2 * 3 + 2);
  });
});
