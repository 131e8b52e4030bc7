// bench:bases runs end to end on tiny shapes and writes a TimingPayload the timing renderer
// accepts. Structure only: timings are never asserted (benchmarks are programs, not tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TimingPayload } from '../../kernel/payloads';
import {
  parseBasesBenchArgs,
  TIMED_BASES,
  BSPLINE_LABEL,
  BASES_BASELINE_LABEL,
  basisLabel,
  formatBasesTable,
} from '../../kernel/convkan/bench/benchBases';

const root = path.resolve(__dirname, '..', '..');

test('flags: defaults, --bases selection and errors', () => {
  const d = parseBasesBenchArgs([]);
  assert.equal(d.out, 'bench-results/bases.json');
  assert.deepEqual(d.bases, TIMED_BASES);
  assert.equal(TIMED_BASES.length, 10);
  assert.deepEqual(parseBasesBenchArgs(['--bases=rbf,dog', '--tiny']).bases, ['rbf', 'dog']);
  assert.throws(() => parseBasesBenchArgs(['--bases=spline']), /--bases must list names from rbf, chebyshev.*but got "spline"/);
  assert.throws(() => parseBasesBenchArgs(['--fast']), /unknown argument "--fast"/);
});

test('npm run bench:bases -- --tiny writes every (shape, phase, layer) with ratios to conv2d', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bases-bench-')), 'bases.json');
  const res = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'kernel/convkan/bench/benchBases.ts',
      '--tiny',
      '--reps=2',
      '--backends=cpu',
      '--shapes=a,d',
      '--bases=chebyshev,reluKan',
      `--out=${out}`,
    ],
    { cwd: root, encoding: 'utf8' },
  );
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /wrote /);
  const p = JSON.parse(fs.readFileSync(out, 'utf8')) as TimingPayload;
  assert.equal(p.version, 1);
  assert.equal(p.unit, 'ms');
  assert.equal(p.baseline, BASES_BASELINE_LABEL);
  const labels = [BASES_BASELINE_LABEL, BSPLINE_LABEL, basisLabel('chebyshev'), basisLabel('reluKan')];
  assert.equal(p.entries.length, 2 * 2 * labels.length);
  for (const shape of ['3→4 @6×6', '8→8 @5×5 g4']) {
    for (const phase of ['forward', 'forward+backward'] as const) {
      for (const label of labels) {
        const e = p.entries.find((x) => x.shape === shape && x.phase === phase && x.label === label);
        assert.ok(e, `missing ${shape} ${phase} ${label}`);
        assert.equal(e.backend, 'cpu');
        assert.equal(e.samples.length, 2);
        assert.ok(e.min <= e.p10! && e.p10! <= e.median && e.median <= e.p90! && e.p90! <= e.max);
        assert.ok(e.ratio !== undefined && e.ratio > 0);
        if (label === BASES_BASELINE_LABEL) assert.equal(e.ratio, 1);
      }
    }
  }
  assert.equal(p.entries.find((e) => e.label === basisLabel('chebyshev'))?.kind, 'chebyshev');
  assert.match(String(p.meta?.['settings chebyshev']), /"degree":3/);
  assert.match(formatBasesTable(p as Parameters<typeof formatBasesTable>[0]), /KACN \(chebyshev\)/);
  assert.equal(p.meta?.['clock'], 'wall time');
  assert.match(res.stdout, /round-robin\) after 3 warm-ups/);
});
