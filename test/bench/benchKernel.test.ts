// The kernel benchmark runs (tiny counts, no jupyter_client part) and writes well-formed JSON.
// It checks that the program works, never how fast anything is.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

test('bench:kernel runs on a tiny size and writes its JSON', { timeout: 240_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-bench-test-'));
  try {
    const out = path.join(dir, 'kernel.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'benchKernel.ts')], {
      env: { ...process.env, BENCH_STARTS: '1', BENCH_ROUNDS: '2', BENCH_JUPYTER: '0', BENCH_OUT: out },
      encoding: 'utf8',
      timeout: 230_000,
    });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /start → kernel_info/);
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    for (const variant of ['tuned', 'plain']) {
      const v = result.own[variant];
      assert.equal(v.startMs.length, 1);
      for (const key of ['startMedianMs', 'firstCellMs', 'roundTripMedianMs']) {
        assert.ok(Number.isFinite(v[key]) && v[key] > 0, `${variant}.${key} = ${v[key]}`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
