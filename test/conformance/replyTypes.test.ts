// Every request type of the REPLY_TYPE table, sent to a real kernel process over ZeroMQ, gets a
// signed reply of exactly the listed msg_type (tslab once answered comm_info_request with
// complete_reply), parented to the request, wrapped in iopub status busy → idle.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHmac } from 'node:crypto';
import * as zmq from 'zeromq';
import { endpoint } from '../../kernel/protocol/connectionInfo';
import { MSG, REPLY_TYPE } from '../../kernel/protocol/messages';
import { recordIopub, startTestKernel, type TestKernel } from './harness';

const SAMPLE_CONTENT: Record<keyof typeof REPLY_TYPE, { channel: 'shell' | 'control'; content: Record<string, unknown> }> = {
  [MSG.kernelInfoRequest]: { channel: 'shell', content: {} },
  [MSG.executeRequest]: {
    channel: 'shell',
    content: { code: '1 + 1', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
  },
  [MSG.completeRequest]: { channel: 'shell', content: { code: 'pri', cursor_pos: 3 } },
  [MSG.inspectRequest]: { channel: 'shell', content: { code: 'print', cursor_pos: 5, detail_level: 0 } },
  [MSG.isCompleteRequest]: { channel: 'shell', content: { code: 'if (1) {' } },
  [MSG.historyRequest]: { channel: 'shell', content: { output: false, raw: true, hist_access_type: 'tail', n: 5 } },
  [MSG.commInfoRequest]: { channel: 'shell', content: {} },
  [MSG.interruptRequest]: { channel: 'control', content: {} },
  // restart=true with --restart-in-process: the kernel stays up for the remaining checks.
  [MSG.shutdownRequest]: { channel: 'control', content: { restart: true } },
};

describe('reply types over ZeroMQ', () => {
  let kernel: TestKernel;
  let iopub: ReturnType<typeof recordIopub>;
  before(async () => {
    kernel = await startTestKernel();
    iopub = recordIopub(kernel);
  });
  after(() => kernel.dispose());

  test('the table covers each request once and never maps two requests to one reply', () => {
    const replies = Object.values(REPLY_TYPE);
    assert.equal(new Set(replies).size, replies.length);
    assert.deepEqual(Object.keys(SAMPLE_CONTENT).sort(), Object.keys(REPLY_TYPE).sort());
  });

  for (const [requestType, replyType] of Object.entries(REPLY_TYPE)) {
    const sample = SAMPLE_CONTENT[requestType as keyof typeof REPLY_TYPE];
    test(`${requestType} on ${sample.channel} → ${replyType}, busy/idle around it`, async () => {
      const reply = await kernel.client.request(sample.channel, requestType, sample.content, { timeoutMs: 20_000 });
      assert.equal(reply.header.msg_type, replyType);
      assert.equal(reply.header.version, '5.3');
      assert.equal((reply.content as { status?: string }).status, requestType === MSG.isCompleteRequest ? 'incomplete' : 'ok');
      const messages = await iopub.until((reply.parent_header as { msg_id: string }).msg_id);
      const states = messages
        .filter((m) => m.header.msg_type === MSG.status)
        .map((m) => (m.content as { execution_state: string }).execution_state);
      assert.deepEqual(states, ['busy', 'idle'], `status messages of ${requestType}`);
    });
  }

  test('comm_info_reply lists no comms; comm_open of an unknown target is answered with comm_close', async () => {
    const info = await kernel.client.request('shell', MSG.commInfoRequest, { target_name: 'jupyter.widget' });
    assert.deepEqual(info.content, { status: 'ok', comms: {} });
    const open = kernel.client.send('shell', MSG.commOpen, { comm_id: 'c1', target_name: 'no.such.target', data: {} });
    const messages = await iopub.until(open.header.msg_id);
    const close = messages.find((m) => m.header.msg_type === MSG.commClose);
    assert.ok(close, `expected comm_close, got ${messages.map((m) => m.header.msg_type).join(', ')}`);
    assert.equal((close.content as { comm_id: string }).comm_id, 'c1');
  });

  test('raw reply frames: identities, <IDS|MSG>, and an HMAC-SHA256 hex digest of the four JSON parts', async () => {
    // An independent check: a bare DEALER socket and node:crypto, none of the kernel's wire code.
    const sock = new zmq.Dealer({ routingId: 'raw-checker', linger: 0, receiveTimeout: 20_000 });
    sock.connect(endpoint(kernel.connectionInfo, 'shell'));
    try {
      const key = kernel.connectionInfo.key;
      const parts = [
        { msg_id: 'raw-1', username: 'u', session: 'raw', date: new Date().toISOString(), msg_type: 'kernel_info_request', version: '5.3' },
        {},
        {},
        {},
      ].map((p) => Buffer.from(JSON.stringify(p)));
      const mac = (ps: Buffer[]) => ps.reduce((h, p) => h.update(p), createHmac('sha256', key)).digest('hex');
      await sock.send(['<IDS|MSG>', mac(parts), ...parts]);
      const frames = await sock.receive();
      assert.equal(frames[0].toString(), '<IDS|MSG>', 'a DEALER sees no identity frames, only the delimiter');
      const replyParts = frames.slice(2, 6);
      assert.equal(frames[1].toString(), mac(replyParts));
      const header = JSON.parse(replyParts[0].toString());
      assert.equal(header.msg_type, 'kernel_info_reply');
      assert.equal(JSON.parse(replyParts[1].toString()).msg_id, 'raw-1');
    } finally {
      sock.close();
    }
  });
});
