// The headless runner end to end (with the fake executor: fast, no TF.js): nbformat 4 output,
// display updates reaching earlier cells, clear_output(wait), errors recorded, stop vs
// --allow-errors, the raises-exception tag, and the exit status of the CLI.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runNotebook } from '../../kernel/cli/runNotebook';
import { FAKE_EXECUTOR } from './harness';
import { codeCell as code } from '../notebookCells';

const notebook = (...cells: object[]) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [{ cell_type: 'markdown', id: 'md', source: '# title', metadata: {} }, ...cells],
});
const historyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-runner-history-'));
const kernel = { env: { CONVKAN_EXECUTOR_MODULE: FAKE_EXECUTOR, CONVKAN_HISTORY_DIR: historyDir } };
after(() => fs.rmSync(historyDir, { recursive: true, force: true }));

describe('headless runner', () => {
  test('outputs as Jupyter writes them, display updates applied across cells', async () => {
    const nb = notebook(
      code('print("a"); print("b"); show({"text/plain": "v1"}, "d")'),
      code('update({"text/plain": "v2\\nline"}, "d"); print("x"); clear(true); print("after clear"); 40 + 2'),
    );
    const r = await runNotebook(nb as never, process.cwd(), { kernel });
    assert.equal(r.failed, false);
    const [, c1, c2] = r.notebook.cells;
    assert.equal(c1.execution_count, 1);
    assert.deepEqual(c1.outputs, [
      { output_type: 'stream', name: 'stdout', text: ['a\n', 'b\n'] },
      { output_type: 'display_data', data: { 'text/plain': ['v2\n', 'line'] }, metadata: {} },
    ]);
    assert.deepEqual(c2.outputs, [
      { output_type: 'stream', name: 'stdout', text: ['after clear\n'] },
      { output_type: 'execute_result', execution_count: 2, data: { 'text/plain': ['42'] }, metadata: {} },
    ]);
    assert.equal(r.notebook.metadata.kernelspec && (r.notebook.metadata.kernelspec as { name: string }).name, 'convkan');
    assert.equal((r.notebook.metadata.language_info as { name: string }).name, 'typescript');
    assert.ok(
      r.notebook.cells.every((c) => typeof c.id === 'string'),
      'nbformat 4.5 cells carry ids',
    );
  });

  test('an error is recorded in its cell and stops the run; --allow-errors goes on; raises-exception is allowed', async () => {
    const cells = () => [code('throw new Error("expected")', ['raises-exception']), code('nope()'), code('print("later")')];
    const stop = await runNotebook(notebook(...cells()) as never, process.cwd(), { kernel });
    assert.equal(stop.failed, true);
    assert.deepEqual(
      stop.cells.map((c) => c.status),
      ['error', 'error', 'skipped'],
    );
    const error = stop.notebook.cells[2].outputs![0] as { output_type: string; ename: string };
    assert.equal(error.output_type, 'error');
    assert.equal(error.ename, 'ReferenceError');
    assert.deepEqual(stop.notebook.cells[3].outputs, []);

    const goOn = await runNotebook(notebook(...cells()) as never, process.cwd(), { kernel, allowErrors: true });
    assert.deepEqual(
      goOn.cells.map((c) => c.status),
      ['error', 'error', 'ok'],
    );
    const onlyTagged = await runNotebook(notebook(cells()[0], cells()[2]) as never, process.cwd(), { kernel });
    assert.equal(onlyTagged.failed, false, 'a failing cell tagged raises-exception does not fail the run');
  });

  test('--timeout interrupts a cell that runs too long and records CellTimeoutError', async () => {
    const r = await runNotebook(notebook(code('while (true) {}')) as never, process.cwd(), { kernel, timeoutSeconds: 1 });
    assert.equal(r.failed, true);
    assert.equal(r.cells[0].status, 'timeout');
    const names = (r.notebook.cells[1].outputs as Array<{ ename?: string }>).map((o) => o.ename);
    assert.deepEqual(names, ['KeyboardInterrupt', 'CellTimeoutError']);
  });

  test('the CLI writes a notebook nbformat validates and exits 1 when a cell failed', { timeout: 120_000 }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-runner-'));
    try {
      const input = path.join(dir, 'nb.ipynb');
      fs.writeFileSync(input, JSON.stringify(notebook(code('print("hi")'), code('throw new Error("x")'))));
      const cli = path.resolve(__dirname, '../../kernel/cli/notebookCli.ts');
      const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'run', input, '--out', path.join(dir, 'out.ipynb')], {
        env: { ...process.env, ...kernel.env },
        encoding: 'utf8',
      });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /1 ok, 1 failed/);
      const validate = spawnSync(
        '/usr/bin/python3',
        ['-c', 'import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], 4)); print("valid")', path.join(dir, 'out.ipynb')],
        { encoding: 'utf8' },
      );
      assert.equal(validate.stdout.trim(), 'valid', validate.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
