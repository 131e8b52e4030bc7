// The soak benchmark runs end to end on a tiny size (with the fake executor) and writes its JSON;
// nothing here looks at speed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { FAKE_EXECUTOR } from './harness';

test('bench:soak reports cells/s and RSS per window', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-soak-'));
  try {
    const out = path.join(dir, 'soak.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../bench/benchSoak.ts')], {
      env: { ...process.env, SOAK_CELLS: '30', SOAK_WINDOW: '10', BENCH_OUT: out, CONVKAN_EXECUTOR_MODULE: FAKE_EXECUTOR },
      encoding: 'utf8',
      timeout: 110_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\| cells done \| cells\/s \(window\) \| kernel RSS MiB \|/);
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(
      result.windows.map((w: { cellsDone: number }) => w.cellsDone),
      [10, 20, 30],
    );
    assert.ok(result.windows.every((w: { cellsPerSecond: number; rssMiB: number }) => w.cellsPerSecond > 0 && w.rssMiB > 0));
    assert.match(result.transport, /127\.0\.0\.1/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
