// Errors that escape cells (a throw in a timer, an unhandled rejection) are reported on the stderr of
// the running cell and do not end the process. Runs in a child process: see execGuards.child.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

test('timer exceptions and unhandled rejections are reported, not fatal', { timeout: 180_000 }, () => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'execGuards.child.ts')], {
    encoding: 'utf8',
    timeout: 170_000,
  });
  assert.equal(child.status, 0, `child failed:\n${child.stderr}`);
  const { cells: coloured, outcomes } = JSON.parse(child.stdout) as {
    cells: Record<string, string>;
    outcomes: Array<{ status: string; result?: { data: Record<string, unknown> } }>;
  };
  const cells = Object.fromEntries(Object.entries(coloured).map(([k, v]) => [k, v.replace(/\x1b\[[0-9;]*m/g, '')]));
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['ok', 'ok', 'ok', 'ok'],
  );
  assert.match(cells.timer, /Uncaught exception[\s\S]*Error: .*late boom/);
  assert.match(cells.timer, /Cell In\[1\], line 1, column 26/);
  assert.match(cells.timer, /In\[1\]:1:/, 'the trace points into the cell that set the timer');
  assert.match(cells.rejection, /Unhandled promise rejection[\s\S]*nobody awaits/);
  assert.match(cells.last, /TypeError.*after the end/);
  assert.equal(outcomes[3].result?.data['text/plain'], '2');
});
