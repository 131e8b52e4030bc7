// What the extension writes into a notebook after each cell: the run record under Jupyter's
// notebook metadata and the duration under the cell's, in VS Code's ipynb nesting
// (notebook.metadata.metadata, cell.metadata.metadata), keeping everything else.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runRecordUpdate, VSCODE_RUNNER } from '../../extension/runRecordMetadata';
import { REPLY_ENVIRONMENT_KEY } from '../../kernel/protocol/runRecord';

const env = { backend: 'wasm', threads: 2, tfjs: '4.22.0', convkan: '0.1.0', node: 'v20.0.0', seed: 42 };
const t1 = { started: '2026-01-01T00:00:00.000Z', finished: '2026-01-01T00:00:02.000Z', seconds: 2 };
const t2 = { started: '2026-01-01T00:00:05.000Z', finished: '2026-01-01T00:00:05.500Z', seconds: 0.5 };

describe('extension run record', () => {
  test('first cell starts the record; later cells keep its start and update environment and end', () => {
    const nbMeta = { metadata: { kernelspec: { name: 'convkan' } }, nbformat: 4, nbformat_minor: 5 };
    const a = runRecordUpdate(undefined, nbMeta, { metadata: { tags: ['x'] }, execution_count: 1 }, t1, {
      status: 'ok',
      [REPLY_ENVIRONMENT_KEY]: env,
    });
    assert.deepEqual(a.notebookMetadata, {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { name: 'convkan' },
        convkan: { run: { runner: VSCODE_RUNNER, started: t1.started, finished: t1.finished, seed: 42, parameters: {}, environment: env } },
      },
    });
    assert.deepEqual(a.cellMetadata, {
      execution_count: 1,
      metadata: {
        tags: ['x'],
        execution: { 'shell.execute_request': t1.started, 'shell.execute_reply': t1.finished },
        convkan: { seconds: 2 },
      },
    });
    const b = runRecordUpdate(a.record, a.notebookMetadata, undefined, t2, {
      status: 'error',
      [REPLY_ENVIRONMENT_KEY]: { ...env, seed: null },
    });
    const run = (b.notebookMetadata.metadata as { convkan: { run: Record<string, unknown> } }).convkan.run;
    assert.equal(run.started, t1.started);
    assert.equal(run.finished, t2.finished);
    assert.equal(run.seed, null);
    assert.deepEqual(b.cellMetadata, {
      metadata: { execution: { 'shell.execute_request': t2.started, 'shell.execute_reply': t2.finished }, convkan: { seconds: 0.5 } },
    });
  });
});
