import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  environmentFromReply,
  recordCell,
  REPLY_ENVIRONMENT_KEY,
  RUN_RECORD_KEY,
  startRunRecord,
  withCellTiming,
  withRunRecord,
  type RunEnvironment,
} from '../../kernel/protocol/runRecord';

const env: RunEnvironment = { backend: 'wasm', threads: 2, tfjs: '4.22.0', convkan: '0.1.0', node: 'v20.0.0', seed: 3 };
const timing = { started: '2026-01-01T00:00:00.000Z', finished: '2026-01-01T00:00:01.500Z', seconds: 1.5 };

describe('run record', () => {
  test('the environment is read from execute_reply metadata, and only when it is one', () => {
    assert.deepEqual(environmentFromReply({ status: 'ok', [REPLY_ENVIRONMENT_KEY]: env }), env);
    assert.equal(environmentFromReply({ status: 'ok' }), undefined);
    assert.equal(environmentFromReply({ [REPLY_ENVIRONMENT_KEY]: 'wasm' }), undefined);
    assert.equal(environmentFromReply(undefined), undefined);
  });

  test('a record takes the latest environment, its seed and the last end time; other metadata is kept', () => {
    let r = startRunRecord('vscode', { epochs: 3 }, new Date(timing.started));
    assert.deepEqual(r, { runner: 'vscode', started: timing.started, seed: null, parameters: { epochs: 3 } });
    r = recordCell(r, timing, undefined);
    assert.equal(r.finished, timing.finished);
    assert.equal(r.environment, undefined);
    r = recordCell(r, timing, env);
    assert.deepEqual(r.environment, env);
    assert.equal(r.seed, 3);
    const meta = withRunRecord({ kernelspec: { name: 'convkan' }, [RUN_RECORD_KEY]: { other: 1 } }, r);
    assert.deepEqual(meta, { kernelspec: { name: 'convkan' }, [RUN_RECORD_KEY]: { other: 1, run: r } });
  });

  test('a cell gets its duration and nbclient-style timestamps next to its tags', () => {
    const m = withCellTiming({ tags: ['parameters'], execution: { 'iopub.status.busy': 'x' } }, timing);
    assert.deepEqual(m, {
      tags: ['parameters'],
      execution: { 'iopub.status.busy': 'x', 'shell.execute_request': timing.started, 'shell.execute_reply': timing.finished },
      convkan: { seconds: 1.5 },
    });
  });
});
