// Sending without delay and without EBUSY. zeromq v6 allows one pending send per socket: a second
// send while the socket is mute (high-water mark reached, or a DEALER with no peer yet) rejects
// with EBUSY. So: when the socket is writable and nothing waits, send at once, synchronously —
// this matters, because output published right before a cell blocks the main thread
// (console.log, then a long synchronous loop) must leave now, not after the loop. Otherwise frames
// wait in an in-order backlog that drains as the socket becomes writable.

export interface Sendable {
  readonly writable: boolean;
  send(frames: Buffer[]): Promise<void>;
}

export class SendQueue {
  private readonly backlog: Array<{ frames: Buffer[]; done: () => void }> = [];
  private draining = false;
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: Sendable,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Resolves when the frames were handed to ZeroMQ (or the send failed and was reported). */
  send(frames: Buffer[]): Promise<void> {
    if (this.backlog.length === 0 && !this.draining && this.socket.writable) {
      this.last = this.socket.send(frames).catch((e: Error) => this.onError(e));
      return this.last;
    }
    this.last = new Promise<void>((done) => this.backlog.push({ frames, done }));
    if (!this.draining) void this.drain();
    return this.last;
  }

  /** Resolves once everything queued so far was handed to ZeroMQ. */
  flushed(): Promise<void> {
    return this.last;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let item = this.backlog.shift(); item; item = this.backlog.shift()) {
        await this.socket.send(item.frames).catch((e: Error) => this.onError(e));
        item.done();
      }
    } finally {
      this.draining = false;
    }
  }
}
