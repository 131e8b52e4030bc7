// A long session: thousands of cells with output over one kernel, and a cell that floods
// iopub. zeromq.js defers every 513th synchronous send and throws EBUSY on a send while one is
// deferred; the kernel must queue instead of stopping its shell loop.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MSG } from '../../kernel/protocol/messages';
import { startTestKernel, type TestKernel } from './harness';

describe('long session', { timeout: 120_000 }, () => {
  let kernel: TestKernel;
  before(async () => {
    kernel = await startTestKernel();
  });
  after(() => kernel.dispose());

  test('2,000 cells with output each get their reply and output', async () => {
    const CELLS = 2000;
    for (let i = 0; i < CELLS; i++) {
      const { reply, outputs } = await kernel.client.execute(`print("cell ${i}"); ${i}`).done();
      assert.equal(reply.content.status, 'ok', `cell ${i}: ${JSON.stringify(reply.content)}`);
      const stream = outputs.find((m) => m.header.msg_type === MSG.stream);
      assert.deepEqual(stream?.content, { name: 'stdout', text: `cell ${i}\n` }, `cell ${i}`);
    }
    assert.ok(!kernel.log.some((l) => /loop stopped|send failed/.test(l)), kernel.log.join('\n'));
  });

  test('one cell printing 1,000 lines and showing 600 displays keeps every message in order', async () => {
    const { reply, outputs } = await kernel.client
      .execute('for (let i = 0; i < 1000; i++) print("line " + i); for (let i = 0; i < 600; i++) show({"text/plain": "d" + i});')
      .done();
    assert.equal(reply.content.status, 'ok');
    const lines = outputs.filter((m) => m.header.msg_type === MSG.stream).map((m) => (m.content as { text: string }).text);
    assert.equal(lines.length, 1000);
    assert.equal(lines[999], 'line 999\n');
    assert.equal(outputs.filter((m) => m.header.msg_type === MSG.displayData).length, 600);
    const { reply: next } = await kernel.client.execute('1 + 1').done();
    assert.equal(next.content.status, 'ok');
  });
});
