// 200 interrupts of loops over awaits (each await is a new breakOnSigint vm run, the window in
// which a SIGINT used to kill the kernel), with the next cell queued right behind each: zero
// kernel deaths, and no SIGINT of an earlier interrupt ever reaches the next cell.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MSG } from '../../kernel/protocol/messages';
import { startTestKernel, waitForIopub, type TestKernel } from './harness';

const LOOPS = [
  'for (;;) { await null }',
  'for (;;) { await Promise.resolve(1) }',
  'let n = 0; for (;;) { n++; await null; n--; }',
  'while (true) {}',
  'for (;;) { await sleep(0) }',
];
// Runs through many vm runs (one per await) for a while: a stray SIGINT would stop it.
const NEXT_CELL = 'const t = Date.now(); let steps = 0; while (Date.now() - t < 40) { steps++; await null } print("next ok")';

describe('interrupt storm', { timeout: 240_000 }, () => {
  let kernel: TestKernel;
  before(async () => {
    kernel = await startTestKernel();
  });
  after(() => kernel.dispose());

  test('200 interrupts of await loops: the kernel never dies and the cell queued behind is never hit', async () => {
    for (let i = 0; i < 200; i++) {
      const code = `print("start"); ${LOOPS[i % LOOPS.length]}`;
      const loop = kernel.client.execute(code, { stopOnError: false });
      const next = kernel.client.execute(NEXT_CELL, { stopOnError: false });
      await waitForIopub(kernel, loop.msgId, MSG.stream);
      await kernel.client.interrupt(10_000);
      const reply = await loop.reply;
      assert.equal(
        (reply.content as { ename?: string }).ename,
        'KeyboardInterrupt',
        `interrupt ${i} of ${code}: ${JSON.stringify(reply.content)}`,
      );
      const { reply: nextReply, outputs } = await next.done();
      assert.equal(nextReply.content.status, 'ok', `cell after interrupt ${i} (${code}): ${JSON.stringify(nextReply.content)}`);
      assert.deepEqual(outputs.find((m) => m.header.msg_type === MSG.stream)?.content, { name: 'stdout', text: 'next ok\n' });
      assert.equal(kernel.process.exitCode, null, `kernel died at interrupt ${i}`);
      assert.equal(kernel.process.signalCode, null, `kernel killed at interrupt ${i}`);
    }
    assert.equal(await kernel.client.isAlive(5000), true);
  });
});
