// The run environment travels in every execute_reply's metadata (ipykernel's `status` and
// `started`, plus `convkan_environment`), for ok and error replies alike: clients build the run
// record from it (kernel/protocol/runRecord.ts).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { environmentFromReply, REPLY_ENVIRONMENT_KEY } from '../../kernel/protocol/runRecord';
import { startTestKernel, type TestKernel } from './harness';

describe('execute_reply metadata', { timeout: 120_000 }, () => {
  let kernel: TestKernel;
  before(async () => {
    kernel = await startTestKernel();
  });
  after(() => kernel.dispose());

  test('ok and error replies carry status, started and the environment after the cell', async () => {
    const before = Date.now();
    const ok = await kernel.client.execute('seed = 7; 1').done();
    const meta = ok.reply.metadata as Record<string, unknown>;
    assert.equal(meta.status, 'ok');
    assert.ok(Date.parse(meta.started as string) >= before - 1000 && Date.parse(meta.started as string) <= Date.now());
    assert.deepEqual(environmentFromReply(meta), {
      backend: 'fake',
      threads: 1,
      tfjs: '0.0.0',
      convkan: '0.0.0',
      node: process.version,
      seed: 7,
    });
    const err = await kernel.client.execute('seed = 8; throw new Error("x")').done();
    const errMeta = err.reply.metadata as Record<string, unknown>;
    assert.equal(errMeta.status, 'error');
    assert.equal((errMeta[REPLY_ENVIRONMENT_KEY] as { seed: number }).seed, 8);
  });
});
