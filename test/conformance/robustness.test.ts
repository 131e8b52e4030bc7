// Bad signatures are dropped without execution; malformed frames and JSON never crash the
// kernel: after each bad message it still answers on the same channel.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSigner } from '../../kernel/protocol/hmac';
import { createMessage, DELIMITER, MSG } from '../../kernel/protocol/messages';
import { encodeMessage } from '../../kernel/protocol/wire';
import { evaluate, startTestKernel, type TestKernel } from './harness';

describe('signatures and malformed input', () => {
  let kernel: TestKernel;
  before(async () => {
    kernel = await startTestKernel();
  });
  after(() => kernel.dispose());

  const executeRequest = (code: string) =>
    createMessage(
      MSG.executeRequest,
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      kernel.client.identity,
    );

  test('an execute_request signed with the wrong key is dropped and never executed', async () => {
    assert.equal(await evaluate(kernel, 'typeof sideEffect'), 'undefined');
    await kernel.client.sendFrames('shell', encodeMessage(executeRequest('sideEffect = 1'), createSigner('wrong key')));
    // Shell requests are handled in order, so by the time this answers the forged one was seen.
    assert.equal(await evaluate(kernel, 'typeof sideEffect'), 'undefined');
    assert.ok(
      kernel.log.some((l) => l.includes('invalid HMAC signature')),
      `kernel log: ${kernel.log.join('\n')}`,
    );
  });

  test('a tampered content frame (signature of the original) is dropped', async () => {
    const frames = encodeMessage(executeRequest('sideEffect = 2'), kernel.client.messageSigner);
    frames[frames.length - 1] = Buffer.from(JSON.stringify({ code: 'sideEffect = 3', silent: false }));
    await kernel.client.sendFrames('shell', frames);
    assert.equal(await evaluate(kernel, 'typeof sideEffect'), 'undefined');
  });

  test('an unsigned message is dropped', async () => {
    const frames = encodeMessage(executeRequest('sideEffect = 4'), kernel.client.messageSigner);
    frames[1] = Buffer.from('');
    await kernel.client.sendFrames('shell', frames);
    assert.equal(await evaluate(kernel, 'typeof sideEffect'), 'undefined');
  });

  const sign = (parts: string[]) => kernel.client.messageSigner.sign(parts.map((p) => Buffer.from(p)));
  const malformed: Array<[string, () => Buffer[]]> = [
    ['an empty frame', () => [Buffer.alloc(0)]],
    ['no delimiter', () => ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => Buffer.from(s))],
    ['too few frames after the delimiter', () => [DELIMITER, 'sig', '{}'].map((s) => Buffer.from(s))],
    [
      'a correctly signed header that is not JSON',
      () => {
        const parts = ['{not json', '{}', '{}', '{}'];
        return [DELIMITER, sign(parts), ...parts].map((s) => Buffer.from(s));
      },
    ],
    [
      'a correctly signed header that is a JSON array',
      () => {
        const parts = ['[1,2]', '{}', '{}', '{}'];
        return [DELIMITER, sign(parts), ...parts].map((s) => Buffer.from(s));
      },
    ],
    [
      'a header without msg_type',
      () => {
        const parts = [JSON.stringify({ msg_id: 'x', session: 's' }), '{}', '{}', '{}'];
        return [DELIMITER, sign(parts), ...parts].map((s) => Buffer.from(s));
      },
    ],
    [
      'content that is null',
      () => {
        const header = JSON.stringify({ msg_id: 'x', session: 's', msg_type: 'execute_request', username: 'u', date: '', version: '5.3' });
        const parts = [header, '{}', '{}', 'null'];
        return [DELIMITER, sign(parts), ...parts].map((s) => Buffer.from(s));
      },
    ],
    [
      'invalid UTF-8 bytes',
      () => [
        Buffer.from(DELIMITER),
        Buffer.from([0xff, 0xfe]),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('{}'),
        Buffer.from('{}'),
        Buffer.from('{}'),
      ],
    ],
  ];

  for (const channel of ['shell', 'control'] as const) {
    for (const [name, frames] of malformed) {
      test(`${channel}: ${name} is dropped and the kernel still answers`, async () => {
        await kernel.client.sendFrames(channel, frames());
        const reply = await kernel.client.request(channel, MSG.kernelInfoRequest, {}, { timeoutMs: 10_000 });
        assert.equal(reply.header.msg_type, MSG.kernelInfoReply);
      });
    }
  }

  test('a well-formed request of an unknown type is ignored; an execute_request with wrong field types fails cleanly', async () => {
    kernel.client.send('shell', 'no_such_request', {});
    const reply = await kernel.client.request(
      'shell',
      MSG.executeRequest,
      { code: 42 as unknown as string, silent: 'yes' },
      { timeoutMs: 10_000 },
    );
    assert.equal(reply.header.msg_type, MSG.executeReply);
    assert.equal(await evaluate(kernel, '6 * 7'), '42');
    assert.ok(kernel.log.some((l) => l.includes('unknown shell message type "no_such_request"')));
  });

  test('binary buffers of a message are kept as raw bytes (no JSON round trip)', async () => {
    const { decodeMessage } = await import('../../kernel/protocol/wire');
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
    const message = createMessage(MSG.commMsg, { comm_id: 'x', data: {} }, kernel.client.identity, { buffers: [bytes] });
    const decoded = decodeMessage(encodeMessage(message, kernel.client.messageSigner), kernel.client.messageSigner);
    assert.ok(decoded.ok);
    assert.deepEqual([...decoded.message.buffers[0]], [...bytes]);
  });
});

describe('client', () => {
  test('ready() stops at once when the client is closed (no busy retry loop until the deadline)', async () => {
    const { KernelClient } = await import('../../kernel/protocol/client');
    const { createConnectionInfo } = await import('../../kernel/protocol/connectionInfo');
    // Nobody listens on these ports: ready() keeps retrying until the client is closed.
    const client = await KernelClient.connect(await createConnectionInfo());
    const ready = client.ready(600_000);
    await client.close();
    await assert.rejects(ready, /Kernel client closed while waiting for the kernel to become ready/);
  });
});
