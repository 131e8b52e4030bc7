// SendQueue against a socket that behaves like zeromq.js: every 513th synchronous send is
// deferred, and a send while one is deferred throws EBUSY synchronously.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SendQueue, type Sendable } from '../../kernel/protocol/sendQueue';

class DeferringSocket implements Sendable {
  readonly writable = true;
  readonly sent: string[] = [];
  private syncSends = 0;
  private pending = false;

  send(frames: Buffer[]): Promise<void> {
    if (this.pending) throw Object.assign(new Error('Socket is busy writing'), { code: 'EBUSY' });
    if (this.syncSends++ < 512) {
      this.sent.push(frames[0].toString());
      return Promise.resolve();
    }
    this.pending = true;
    return new Promise((resolve) =>
      setImmediate(() => {
        this.pending = false;
        this.syncSends = 0;
        this.sent.push(frames[0].toString());
        resolve();
      }),
    );
  }
}

test('2,000 sends in one tick: none throws, none is lost, order kept', async () => {
  const socket = new DeferringSocket();
  const errors: Error[] = [];
  const queue = new SendQueue(socket, (e) => errors.push(e));
  for (let i = 0; i < 2000; i++) void queue.send([Buffer.from(String(i))]);
  // The first 512 left synchronously: output before a blocking cell must not wait for the loop.
  assert.equal(socket.sent.length, 512);
  await queue.flushed();
  assert.deepEqual(errors, []);
  assert.deepEqual(
    socket.sent,
    Array.from({ length: 2000 }, (_, i) => String(i)),
  );
});

test('a send that fails is reported, not thrown', async () => {
  const errors: Error[] = [];
  const queue = new SendQueue(
    {
      writable: true,
      send: () => {
        throw new Error('Socket is closed');
      },
    },
    (e) => errors.push(e),
  );
  await queue.send([Buffer.from('x')]);
  assert.deepEqual(
    errors.map((e) => e.message),
    ['Socket is closed'],
  );
});
