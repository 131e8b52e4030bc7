// Sending without delay and without EBUSY. zeromq v6 allows one pending send per socket: a send
// while another is pending throws EBUSY — synchronously, not as a rejected promise. A send is
// pending when the socket is mute (high-water mark reached, a DEALER with no peer yet), and also
// every 513th send in a row: zeromq.js defers it to the event loop so as not to starve it. So:
// when nothing of ours is pending and the socket is writable, send at once, synchronously — this
// matters, because output published right before a cell blocks the main thread (console.log,
// then a long synchronous loop) must leave now, not after the loop. A send that zeromq refuses
// (EBUSY) or that is still pending puts later frames into an in-order backlog, drained one
// awaited send at a time. send() never throws.

export interface Sendable {
  readonly writable: boolean;
  send(frames: Buffer[]): Promise<void>;
}

export class SendQueue {
  private readonly backlog: Array<{ frames: Buffer[]; done: () => void }> = [];
  private draining = false;
  /** The last direct send while zeromq has not yet confirmed it (it may be the deferred one). */
  private inFlight: Promise<void> | undefined;
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: Sendable,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Resolves when the frames were handed to ZeroMQ (or the send failed and was reported). */
  send(frames: Buffer[]): Promise<void> {
    if (this.backlog.length === 0 && !this.draining && this.socket.writable) {
      const sent = this.trySend(frames);
      if (sent) {
        const settled = sent.then(
          () => undefined,
          (e: Error) => this.onError(e),
        );
        this.inFlight = settled;
        void settled.then(() => {
          if (this.inFlight === settled) this.inFlight = undefined;
        });
        this.last = settled;
        return settled;
      }
    }
    this.last = new Promise<void>((done) => this.backlog.push({ frames, done }));
    if (!this.draining) void this.drain();
    return this.last;
  }

  /** Resolves once everything queued so far was handed to ZeroMQ. */
  flushed(): Promise<void> {
    return this.last;
  }

  /** The send's promise, or undefined when zeromq is busy with an earlier send (EBUSY). */
  private trySend(frames: Buffer[]): Promise<void> | undefined {
    try {
      return this.socket.send(frames);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EBUSY') return undefined;
      // Closed socket or bad frames: reported, never thrown at the caller (a cell's console.log).
      return Promise.reject(e as Error);
    }
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let item = this.backlog.shift(); item; item = this.backlog.shift()) {
        // A direct send zeromq deferred must finish first, else this one throws EBUSY too.
        await this.inFlight;
        for (;;) {
          const sent = this.trySend(item.frames);
          if (sent) {
            await sent.catch((e: Error) => this.onError(e));
            break;
          }
          // Busy with a send that is not ours to await (should not happen): try again shortly.
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        item.done();
      }
    } finally {
      this.draining = false;
    }
  }
}
