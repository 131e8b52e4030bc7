// zeromq v6 allows one pending send per socket (a second one rejects with EBUSY when the socket
// is mute). Every send of a socket goes through one of these queues, so concurrent producers
// (iopub output while a reply is sent) are serialized instead of failing.

export interface Sendable {
  send(frames: Buffer[]): Promise<void>;
}

export class SendQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: Sendable,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Resolves when the frames were handed to ZeroMQ (or the send failed and was reported). */
  send(frames: Buffer[]): Promise<void> {
    this.tail = this.tail.then(
      () => this.socket.send(frames),
    ).catch((e: Error) => this.onError(e));
    return this.tail;
  }

  /** Resolves once everything queued so far was handed to ZeroMQ. */
  flushed(): Promise<void> {
    return this.tail;
  }
}
