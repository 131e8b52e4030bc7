import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseBenchArgs } from '../../kernel/convkan/bench/benchArgs';
import { selectShapes } from '../../kernel/convkan/bench/layerShapes';
import { formatSpread, measureInterleaved, measureInterleavedAsync, quantile, summarize } from '../../kernel/convkan/bench/measure';
import type { TimingPayload } from '../../kernel/payloads';

const root = path.resolve(__dirname, '..', '..');

describe('bench:layers end to end (tiny shapes; checks structure, never timings)', () => {
  test('writes a TimingPayload with every shape × backend × phase × candidate', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-bench-'));
    const out = path.join(dir, 'layers.json');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'kernel/convkan/bench/benchLayers.ts',
        '--tiny',
        '--batch=2',
        '--reps=1',
        '--warmup=1',
        '--backends=cpu,wasm',
        `--out=${out}`,
      ],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CONVKAN_BACKEND: '' },
        timeout: 240_000,
      },
    );
    assert.equal(r.status, 0, `benchLayers exited with ${r.status}: ${r.stderr}`);
    assert.match(r.stdout, /targets \(wasm\): ConvKAN forward ≤ 1\.5× floor forward/);
    const p = JSON.parse(fs.readFileSync(out, 'utf8')) as TimingPayload;
    assert.equal(p.version, 1);
    assert.equal(p.unit, 'ms');
    assert.equal(p.baseline, 'conv2d');
    assert.equal(p.entries.length, 4 * 2 * 2 * 3);
    const labels = new Set(p.entries.map((e) => e.label));
    assert.deepEqual([...labels].sort(), ['ConvKAN2D', 'conv2d', 'conv2d floor']);
    assert.deepEqual([...new Set(p.entries.map((e) => e.backend))].sort(), ['cpu', 'wasm']);
    assert.deepEqual([...new Set(p.entries.map((e) => e.phase))].sort(), ['forward', 'forward+backward']);
    assert.deepEqual([...new Set(p.entries.map((e) => e.shape))], ['3→4 @6×6', '4→8 @5×5', '8→8 @4×4', '8→8 @5×5 g4']);
    for (const e of p.entries) {
      assert.equal(e.samples.length, 1, `${e.label} ${e.shape}: samples`);
      assert.ok(e.samples.every((v) => Number.isFinite(v) && v >= 0));
      assert.equal(e.median, e.samples[0]);
      assert.equal(e.min, e.samples[0]);
      assert.equal(e.max, e.samples[0]);
      assert.equal(e.p10, e.samples[0]);
      assert.equal(e.p90, e.samples[0]);
      assert.equal(e.kind, e.label === 'ConvKAN2D' ? 'bspline' : 'conv2d');
      assert.equal(typeof e.ratio, 'number');
      if (e.label === 'conv2d') assert.equal(e.ratio, 1);
    }
    const meta = p.meta as Record<string, string | number>;
    for (const k of ['date', 'node', 'tfjs', 'tfjs-backend-wasm', 'backend cpu', 'backend wasm']) assert.ok(k in meta, `meta.${k}`);
    assert.equal(meta['batch'], 2);
    assert.equal(meta['clock'], 'wall time');
    assert.equal(meta['warmup'], 1);
    assert.match(String(meta['loadAverage']), /^\d+\.\d\d \d+\.\d\d \d+\.\d\d$/);
    assert.ok(Number(meta['threads wasm']) >= 1);
    assert.match(r.stdout, /median ms +p10 +p90 +min +max/);
    assert.match(String(meta['backend wasm']), /^wasm \((no )?SIMD, \d+ threads?\)$/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('bench:layers arguments', () => {
  test('flags are parsed; unknown or bad ones are refused with the expected form', () => {
    assert.deepEqual(parseBenchArgs(['--backends=wasm,cpu', '--reps=3', '--batch=8', '--shapes=a,d', '--out=x.json', '--tiny']), {
      backends: ['wasm', 'cpu'],
      reps: 3,
      warmup: 3,
      batch: 8,
      shapes: ['a', 'd'],
      out: 'x.json',
      tiny: true,
      clock: 'wall',
    });
    assert.equal(parseBenchArgs(['--warmup=0']).warmup, 0);
    assert.throws(() => parseBenchArgs(['--warmup=-1']), {
      message: 'benchLayers: --warmup must be a non-negative integer, but got "-1".',
    });
    assert.equal(parseBenchArgs(['--clock=cpu']).clock, 'cpu');
    assert.throws(() => parseBenchArgs(['--clock=gpu']), { message: 'benchLayers: --clock must be wall or cpu, but got "gpu".' });
    assert.throws(() => parseBenchArgs(['--rep=3']), {
      message:
        'benchLayers: unknown argument "--rep=3"; expected one of --backends, --reps, --warmup, --batch, --shapes, --out, --tiny, --clock.',
    });
    assert.throws(() => parseBenchArgs(['--reps=0']), { message: 'benchLayers: --reps must be a positive integer, but got "0".' });
    assert.throws(() => selectShapes(['e'], false), { message: 'benchLayers: --shapes must name shapes from a, b, c, d, but got "e".' });
  });
});

describe('bench spread', () => {
  test('summarize gives median, p10/p90 (linear between order statistics), min and max', () => {
    const s = summarize([5, 1, 4, 2, 3, 10, 6, 7, 9, 8]);
    assert.equal(s.median, 5.5);
    assert.equal(s.min, 1);
    assert.equal(s.max, 10);
    assert.equal(s.p10, 1.9); // position 0.9 between 1 and 2
    assert.equal(s.p90, 9.1);
    assert.equal(formatSpread(s), '5.50 ms (p10 1.90, p90 9.10, n 10)');
    assert.equal(quantile([7], 0.9), 7);
  });

  test('measureInterleaved runs candidates round-robin after the warm-ups', () => {
    const calls: string[] = [];
    const out = measureInterleaved([() => calls.push('a'), () => calls.push('b')], 2, 1);
    assert.deepEqual(calls, ['a', 'b', 'a', 'b', 'a', 'b']);
    assert.equal(out.length, 2);
    assert.equal(out[0]!.samples.length, 2);
  });

  test("measureInterleavedAsync takes each candidate's own duration", async () => {
    const calls: string[] = [];
    let n = 0;
    const out = await measureInterleavedAsync(
      [
        async () => {
          calls.push('a');
          return ++n;
        },
        async () => {
          calls.push('b');
          return 100;
        },
      ],
      3,
      2,
    );
    assert.deepEqual(calls.join(''), 'aabbababab');
    assert.deepEqual(out[0]!.samples, [3, 4, 5]);
    assert.equal(out[1]!.median, 100);
  });
});
