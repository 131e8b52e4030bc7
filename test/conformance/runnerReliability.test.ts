// The headless runner when things go wrong: a kernel that dies
// (process.exit in a cell), a cell that ignores its interrupt, SIGTERM to the runner — the run
// ends non-zero, never hangs, writes the partial notebook after every cell and leaves no temp
// folder (it holds the signing key). With the real executor, process.exit in a cell is a clear
// error and the kernel goes on.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runNotebook } from '../../kernel/cli/runNotebook';
import { FAKE_EXECUTOR } from './harness';
import { codeCell as code } from '../notebookCells';

const notebook = (...cells: object[]) => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
const historyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-runner-history-'));
const fakeKernel = { env: { CONVKAN_EXECUTOR_MODULE: FAKE_EXECUTOR, CONVKAN_HISTORY_DIR: historyDir } };
after(() => fs.rmSync(historyDir, { recursive: true, force: true }));
const errorNames = (cell: { outputs?: unknown[] }) =>
  (cell.outputs as Array<{ ename?: string }>).filter((o) => o.ename).map((o) => o.ename);

describe('runner reliability', { timeout: 180_000 }, () => {
  test('a kernel that exits during a cell fails that cell and the run, and the run does not hang', async () => {
    const written: number[] = [];
    const r = await runNotebook(notebook(code('print("before")'), code('exitProcess(3)'), code('print("never")')) as never, process.cwd(), {
      kernel: fakeKernel,
      onCellDone: (nb) => written.push(nb.cells.filter((c) => (c.outputs ?? []).length > 0).length),
    });
    assert.equal(r.failed, true);
    assert.deepEqual(
      r.cells.map((c) => c.status),
      ['ok', 'error', 'skipped'],
    );
    assert.deepEqual(errorNames(r.notebook.cells[1]), ['KernelDiedError']);
    assert.match(r.stopReason ?? '', /Kernel process exited \((3|SIGABRT)\) while requests were pending/);
    assert.deepEqual(written, [1, 2], 'the partial notebook was handed out after each cell');
  });

  test('a timed-out cell that ignores its interrupt is given up after the grace period; the run fails and stops', async () => {
    // The busy loop runs in a timer, outside any vm run: no interrupt reaches it.
    const stuck = 'setTimeout(() => { for (;;) {} }, 0); await sleep(1e9)';
    const r = await runNotebook(notebook(code(stuck), code('print("never")')) as never, process.cwd(), {
      kernel: fakeKernel,
      timeoutSeconds: 1,
      interruptGraceSeconds: 1,
      allowErrors: true,
    });
    assert.equal(r.failed, true);
    assert.deepEqual(
      r.cells.map((c) => c.status),
      ['timeout', 'skipped'],
    );
    assert.deepEqual(errorNames(r.notebook.cells[0]), ['CellTimeoutError']);
    assert.match(r.stopReason ?? '', /did not answer the interrupt/);
  });

  test('SIGTERM to the CLI: kernel shut down, temp folder removed, partial notebook written, exit 143', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-runner-'));
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
    try {
      const input = path.join(dir, 'nb.ipynb');
      const out = path.join(dir, 'out.ipynb');
      fs.writeFileSync(input, JSON.stringify(notebook(code('print("first")'), code('await sleep(1e9)'), code('print("never")'))));
      const cli = path.resolve(__dirname, '../../kernel/cli/notebookCli.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', cli, 'run', input, '--out', out], {
        env: { ...process.env, ...fakeKernel.env, TMPDIR: tmp },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      while (!fs.existsSync(out)) await new Promise((r) => setTimeout(r, 50));
      assert.equal(
        fs.readdirSync(tmp).filter((f) => f.startsWith('convkan-kernel-')).length,
        1,
        'the kernel temp folder exists while running',
      );
      child.kill('SIGTERM');
      assert.equal(await exited, 143, stderr);
      const nb = JSON.parse(fs.readFileSync(out, 'utf8'));
      assert.deepEqual(nb.cells[0].outputs, [{ output_type: 'stream', name: 'stdout', text: ['first\n'] }]);
      assert.deepEqual(nb.cells[2].outputs, []);
      assert.deepEqual(
        fs.readdirSync(tmp).filter((f) => f.startsWith('convkan-kernel-')),
        [],
        'temp folder with the key removed',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('real executor: process.exit in a cell is a clear ProcessExitError; the kernel keeps its state', async () => {
    const r = await runNotebook(notebook(code('const kept = 41;'), code('process.exit(1)'), code('kept + 1')) as never, process.cwd(), {
      kernel: { env: { CONVKAN_HISTORY_DIR: historyDir } },
      allowErrors: true,
    });
    assert.deepEqual(
      r.cells.map((c) => c.status),
      ['ok', 'error', 'ok'],
    );
    const error = (r.notebook.cells[1].outputs as Array<{ ename: string; evalue: string }>)[0];
    assert.equal(error.ename, 'ProcessExitError');
    assert.match(error.evalue, /process\.exit\(1\) was called in a cell; the kernel keeps running/);
    assert.deepEqual((r.notebook.cells[2].outputs as Array<{ data?: Record<string, string[]> }>)[0].data?.['text/plain'], ['42']);
    assert.equal(r.failed, true, 'the failing cell still fails the run (the CLI exits non-zero)');
  });
});
