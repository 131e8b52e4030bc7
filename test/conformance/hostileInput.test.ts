// Requests a hostile peer could send: exact replays of a signed message, messages larger than
// the kernel accepts, user_expressions of the wrong type; and the warnings for connection files
// that leave the kernel open.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectionWarnings, MAX_MESSAGE_BYTES, type ConnectionInfo } from '../../kernel/protocol/connectionInfo';
import { createMessage, MSG } from '../../kernel/protocol/messages';
import { encodeMessage } from '../../kernel/protocol/wire';
import { evaluate, startTestKernel, type TestKernel } from './harness';

describe('hostile requests', { timeout: 120_000 }, () => {
  let kernel: TestKernel;
  before(async () => {
    kernel = await startTestKernel();
  });
  after(() => kernel.dispose());

  const executeRequest = (code: string, extra: Record<string, unknown> = {}) =>
    createMessage(
      MSG.executeRequest,
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, ...extra },
      kernel.client.identity,
    );

  test('an exact replay of a signed execute_request is dropped, on shell and on control', async () => {
    await evaluate(kernel, 'counter = 0');
    const frames = encodeMessage(executeRequest('counter++'), kernel.client.messageSigner);
    await kernel.client.sendFrames('shell', frames);
    assert.equal(await evaluate(kernel, 'counter'), '1');
    await kernel.client.sendFrames('shell', frames);
    await kernel.client.sendFrames('control', frames);
    assert.equal(await evaluate(kernel, 'counter'), '1');
    assert.ok(
      kernel.log.some((l) => l.includes('replay of an earlier message')),
      kernel.log.join('\n'),
    );
  });

  test('a message over the size limit is not accepted; the kernel answers the next one', async () => {
    const padding = ' '.repeat(MAX_MESSAGE_BYTES + 1024);
    await kernel.client.sendFrames('shell', encodeMessage(executeRequest(`bigRan = true /*${padding}*/`), kernel.client.messageSigner));
    // The oversized peer connection is dropped by ZeroMQ; the client reconnects by itself.
    assert.equal(await evaluate(kernel, 'typeof bigRan'), 'undefined');
  });

  test('user_expressions that is not an object fails the request with a clear error and runs nothing', async () => {
    const reply = await kernel.client.request(
      'shell',
      MSG.executeRequest,
      { ...(executeRequest('stringRan = true').content as object), user_expressions: 'abc' },
      { timeoutMs: 10_000 },
    );
    const content = reply.content as { status: string; ename: string; evalue: string };
    assert.equal(content.status, 'error');
    assert.match(content.evalue, /user_expressions must be an object .*, but got a string/);
    assert.equal(await evaluate(kernel, 'typeof stringRan'), 'undefined');
  });

  test('user_expressions with a non-string expression reports that one as an error', async () => {
    const reply = await kernel.client.request(
      'shell',
      MSG.executeRequest,
      { ...(executeRequest('1').content as object), user_expressions: { good: '6 * 7', bad: 42 } },
      { timeoutMs: 10_000 },
    );
    const expressions = (
      reply.content as { user_expressions: Record<string, { status: string; evalue?: string; data?: Record<string, string> }> }
    ).user_expressions;
    assert.equal(expressions.good.data?.['text/plain'], '42');
    assert.equal(expressions.bad.status, 'error');
    assert.match(expressions.bad.evalue ?? '', /must be a string, but got number/);
  });
});

describe('connection warnings', () => {
  const info = (over: Partial<ConnectionInfo>): ConnectionInfo =>
    ({
      transport: 'tcp',
      ip: '127.0.0.1',
      key: 'k',
      signature_scheme: 'hmac-sha256',
      shell_port: 1,
      control_port: 2,
      iopub_port: 3,
      stdin_port: 4,
      hb_port: 5,
      ...over,
    }) as ConnectionInfo;
  test('an empty key and a wildcard address are each warned about; loopback with a key is not', () => {
    assert.deepEqual(connectionWarnings(info({})), []);
    assert.match(connectionWarnings(info({ key: '' })).join('\n'), /empty key/);
    assert.match(connectionWarnings(info({ ip: '0.0.0.0' })).join('\n'), /all network interfaces/);
  });
});
