// Interrupts reach a cell that blocks the main thread (the control thread raises SIGINT) and a
// cell waiting on a promise; variables defined before survive and the kernel stays usable.
// Heartbeats are answered while a synchronous loop runs.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MSG } from '../../kernel/protocol/messages';
import { evaluate, recordIopub, startTestKernel, waitForIopub, type TestKernel } from './harness';

describe('interrupt', { timeout: 120_000 }, () => {
  let kernel: TestKernel;
  before(async () => {
    kernel = await startTestKernel();
    await evaluate(kernel, 'before = 42');
  });
  after(() => kernel.dispose());

  test('interrupt_request on control stops a synchronous while (true) {}; heartbeat answers meanwhile', async () => {
    const run = kernel.client.execute('while (true) {}');
    await waitForIopub(kernel, run.msgId, MSG.executeInput);
    assert.equal(await kernel.client.isAlive(5000), true, 'heartbeat while the main thread is blocked');
    const reply = await kernel.client.interrupt();
    assert.equal(reply.header.msg_type, MSG.interruptReply);
    const { reply: executeReply, outputs } = await run.done();
    assert.equal(executeReply.content.status, 'error');
    assert.equal((executeReply.content as { ename: string }).ename, 'KeyboardInterrupt');
    assert.ok(outputs.some((m) => m.header.msg_type === MSG.error));
    assert.equal(await evaluate(kernel, 'before'), '42');
  });

  test('interrupt_request stops a pending await', async () => {
    const run = kernel.client.execute('await sleep(1e9)');
    await waitForIopub(kernel, run.msgId, MSG.executeInput);
    await kernel.client.interrupt();
    const reply = await run.reply;
    assert.equal((reply.content as { ename?: string }).ename, 'KeyboardInterrupt');
    assert.equal(await evaluate(kernel, 'before + 1'), '43');
  });

  test('SIGINT sent to the kernel process interrupts a synchronous loop and does not kill the kernel', async () => {
    const run = kernel.client.execute('for (;;) {}');
    await waitForIopub(kernel, run.msgId, MSG.executeInput);
    // Like a user pressing Ctrl+C again: Node's vm can swallow a SIGINT that lands exactly while
    // its breakOnSigint watchdog starts (the control thread repeats its own SIGINT for that reason).
    kernel.process.kill('SIGINT');
    const again = setInterval(() => kernel.process.kill('SIGINT'), 1000);
    const reply = await run.reply.finally(() => clearInterval(again));
    assert.equal((reply.content as { ename?: string }).ename, 'KeyboardInterrupt');
    assert.equal(kernel.process.exitCode, null);
    assert.equal(await evaluate(kernel, 'before'), '42');
  });

  test('SIGINT while idle is harmless', async () => {
    kernel.process.kill('SIGINT');
    assert.equal(await evaluate(kernel, 'before * 2'), '84');
  });

  test('interrupt_request gets busy/idle on iopub once the main thread is free', async () => {
    const iopub = recordIopub(kernel);
    const reply = await kernel.client.interrupt();
    const messages = await iopub.until((reply.parent_header as { msg_id: string }).msg_id);
    assert.deepEqual(
      messages.map((m) => (m.content as { execution_state: string }).execution_state),
      ['busy', 'idle'],
    );
  });
});
