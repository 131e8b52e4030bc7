// A Jupyter client over ZeroMQ, used by the headless runner, the tests, the benchmark and the
// VS Code extension. Small on purpose:
//   const client = await KernelClient.connect(info); await client.ready();
//   const run = client.execute('1 + 1');
//   for await (const msg of run) { ... }          // iopub messages of this request, until idle
//   const reply = await run.reply;                // execute_reply
// Also request(), kernelInfo(), interrupt(), shutdown(restart), isAlive(), onIopub(), close().

import * as zmq from 'zeromq';
import { createSigner, type Signer } from './hmac';
import { endpoint, type ConnectionInfo } from './connectionInfo';
import {
  MSG,
  createMessage,
  newSessionIdentity,
  parentId,
  type ExecuteReply,
  type InputRequestContent,
  type KernelInfoReply,
  type Message,
  type SessionIdentity,
} from './messages';
import { SendQueue } from './sendQueue';
import { decodeMessage, encodeMessage } from './wire';

/** Answers a stdin input_request; the returned text is sent back as input_reply. */
export type InputHandler = (prompt: string, password: boolean) => string | Promise<string>;
export type IopubListener = (message: Message) => void;

export interface ExecuteOptions {
  silent?: boolean;
  storeHistory?: boolean;
  /** Defaults to true when an input handler (here or client.onInput) is set. */
  allowStdin?: boolean;
  /** Default true: on error the kernel aborts execute requests queued behind this one. */
  stopOnError?: boolean;
  userExpressions?: Record<string, string>;
  onInput?: InputHandler;
}

/** One execute_request: iterate to receive its iopub messages (status messages excluded) until the kernel is idle. */
export interface ExecuteHandle extends AsyncIterable<Message> {
  readonly msgId: string;
  readonly reply: Promise<Message<ExecuteReply>>;
  /** Waits for idle and the reply; returns the reply and every iopub message except status. */
  done(): Promise<{ reply: Message<ExecuteReply>; outputs: Message[] }>;
}

export interface RequestOptions {
  timeoutMs?: number;
  metadata?: Record<string, unknown>;
  buffers?: Buffer[];
}

interface Pending {
  resolve(message: Message): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
  msgType: string;
}

/** Per-request iopub buffer: filled by the iopub loop, drained by the request's iterator. */
class IopubStream {
  readonly messages: Message[] = [];
  idle = false;
  // Several iterators may wait at once (done() and a for-await of the same request).
  private waiters: Array<() => void> = [];
  failure?: Error;

  push(message: Message): void {
    if (message.header.msg_type === MSG.status) {
      if ((message.content as { execution_state?: string }).execution_state === 'idle') this.idle = true;
    } else {
      this.messages.push(message);
    }
    this.wakeAll();
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  fail(error: Error): void {
    this.failure = error;
    this.wakeAll();
  }

  async *iterate(): AsyncGenerator<Message> {
    let next = 0;
    for (;;) {
      while (next < this.messages.length) yield this.messages[next++];
      if (this.idle) return;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

export class KernelClient {
  /** Default answer to input_request when an execute call has no onInput of its own. */
  onInput: InputHandler | undefined;
  readonly identity: SessionIdentity;

  private readonly signer: Signer;
  private readonly shell: zmq.Dealer;
  private readonly control: zmq.Dealer;
  private readonly stdin: zmq.Dealer;
  private readonly iopub: zmq.Subscriber;
  private readonly queues = new Map<zmq.Dealer, SendQueue>();
  private readonly pending = new Map<string, Pending>();
  private readonly streams = new Map<string, IopubStream>();
  private readonly inputHandlers = new Map<string, InputHandler>();
  private readonly listeners = new Set<IopubListener>();
  private closed = false;

  private constructor(
    readonly info: ConnectionInfo,
    identity: SessionIdentity,
    private readonly log: (line: string) => void,
  ) {
    this.identity = identity;
    this.signer = createSigner(info.key, info.signature_scheme);
    // Like jupyter_client, shell and stdin share the session as routing id: the kernel sends
    // input_request to the identity of the shell request that asked for it.
    this.shell = new zmq.Dealer({ routingId: identity.session, linger: 0 });
    this.control = new zmq.Dealer({ routingId: identity.session, linger: 0 });
    this.stdin = new zmq.Dealer({ routingId: identity.session, linger: 0 });
    this.iopub = new zmq.Subscriber({ linger: 0 });
    for (const s of [this.shell, this.control, this.stdin]) {
      this.queues.set(s, new SendQueue(s, (e) => this.log(`send failed: ${e.message}`)));
    }
  }

  /** Connects the shell, control, stdin and iopub sockets (the kernel need not be up yet). */
  static async connect(
    info: ConnectionInfo,
    options: { username?: string; session?: string; log?: (line: string) => void } = {},
  ): Promise<KernelClient> {
    const identity = options.session
      ? { session: options.session, username: options.username ?? 'convkan' }
      : newSessionIdentity(options.username);
    const client = new KernelClient(info, identity, options.log ?? (() => undefined));
    client.shell.connect(endpoint(info, 'shell'));
    client.control.connect(endpoint(info, 'control'));
    client.stdin.connect(endpoint(info, 'stdin'));
    client.iopub.connect(endpoint(info, 'iopub'));
    client.iopub.subscribe();
    void client.replyLoop(client.shell);
    void client.replyLoop(client.control);
    void client.stdinLoop();
    void client.iopubLoop();
    return client;
  }

  /**
   * Waits until the kernel answers kernel_info_request AND its iopub status for that request
   * reached us: only then is the iopub subscription live, so no output of a later request is lost.
   */
  async ready(timeoutMs = 30_000): Promise<Message<KernelInfoReply>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const remaining = deadline - Date.now();
      if (this.closed) throw new Error('Kernel client closed while waiting for the kernel to become ready');
      if (remaining <= 0) throw new Error(`Kernel did not become ready: no kernel_info_reply with iopub status within ${timeoutMs} ms`);
      const attemptStarted = Date.now();
      const message = createMessage(MSG.kernelInfoRequest, {}, this.identity);
      const stream = new IopubStream();
      this.streams.set(message.header.msg_id, stream);
      try {
        const reply = await this.sendAndWait<KernelInfoReply>(this.shell, message, Math.min(remaining, 1000)).catch(() => undefined);
        if (reply) {
          const idleBy = Date.now() + Math.min(Math.max(deadline - Date.now(), 0), 500);
          while (!stream.idle && Date.now() < idleBy) await delay(5);
          if (stream.idle) return reply;
        }
      } finally {
        this.streams.delete(message.header.msg_id);
      }
      // Never spin: an attempt that failed at once (e.g. a send error) waits before the next one.
      await delay(Math.max(0, 50 - (Date.now() - attemptStarted)));
    }
  }

  kernelInfo(timeoutMs?: number): Promise<Message<KernelInfoReply>> {
    return this.request<KernelInfoReply>('shell', MSG.kernelInfoRequest, {}, { timeoutMs });
  }

  execute(code: string, options: ExecuteOptions = {}): ExecuteHandle {
    const onInput = options.onInput ?? this.onInput;
    const message = createMessage(
      MSG.executeRequest,
      {
        code,
        silent: options.silent ?? false,
        store_history: options.storeHistory ?? !options.silent,
        user_expressions: options.userExpressions ?? {},
        allow_stdin: options.allowStdin ?? onInput !== undefined,
        stop_on_error: options.stopOnError ?? true,
      },
      this.identity,
    );
    const msgId = message.header.msg_id;
    const stream = new IopubStream();
    this.streams.set(msgId, stream);
    if (onInput) this.inputHandlers.set(msgId, onInput);
    const reply = this.sendAndWait<ExecuteReply>(this.shell, message);
    const cleanup = () => {
      this.inputHandlers.delete(msgId);
    };
    reply.then(cleanup, (e: Error) => {
      cleanup();
      stream.fail(e);
    });
    const finished = (async () => {
      const outputs: Message[] = [];
      for await (const m of stream.iterate()) outputs.push(m);
      this.streams.delete(msgId);
      return outputs;
    })();
    finished.catch(() => this.streams.delete(msgId));
    return {
      msgId,
      reply,
      [Symbol.asyncIterator]: () => stream.iterate(),
      done: async () => ({ outputs: await finished, reply: await reply }),
    };
  }

  /** Sends a request on shell or control and resolves with its reply (rejects after timeoutMs, if given). */
  request<C = Record<string, unknown>>(
    channel: 'shell' | 'control',
    msgType: string,
    content: object,
    options: RequestOptions = {},
  ): Promise<Message<C>> {
    const message = createMessage(msgType, content, this.identity, { metadata: options.metadata, buffers: options.buffers });
    return this.sendAndWait<C>(channel === 'shell' ? this.shell : this.control, message, options.timeoutMs);
  }

  /** Sends a message that gets no reply (comm_msg, or anything a test wants to push raw). */
  send(channel: 'shell' | 'control', msgType: string, content: Record<string, unknown>): Message {
    const message = createMessage(msgType, content, this.identity);
    void this.sendFrames(channel, encodeMessage(message, this.signer));
    return message;
  }

  /** Sends raw frames (tests use this to send malformed or badly signed messages). */
  sendFrames(channel: 'shell' | 'control', frames: Buffer[]): Promise<void> {
    const socket = channel === 'shell' ? this.shell : this.control;
    return this.queues.get(socket)!.send(frames);
  }

  /** The signer of this connection (tests sign hand-made frames with it). */
  get messageSigner(): Signer {
    return this.signer;
  }

  interrupt(timeoutMs = 10_000): Promise<Message> {
    return this.request('control', MSG.interruptRequest, {}, { timeoutMs });
  }

  shutdown(restart = false, timeoutMs = 30_000): Promise<Message<{ status: string; restart: boolean }>> {
    return this.request('control', MSG.shutdownRequest, { restart }, { timeoutMs });
  }

  /** Heartbeat: true when the kernel echoes a ping within timeoutMs (served even while a cell blocks). */
  async isAlive(timeoutMs = 1000): Promise<boolean> {
    // A fresh REQ socket per check: a REQ that missed its reply cannot send again.
    const hb = new zmq.Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
    try {
      hb.connect(endpoint(this.info, 'hb'));
      const ping = Buffer.from(`ping-${Date.now()}`);
      await hb.send(ping);
      const [pong] = await hb.receive();
      return pong.equals(ping);
    } catch {
      return false;
    } finally {
      hb.close();
    }
  }

  /** Every iopub message from the kernel (all requests, any client). Returns an unsubscribe function. */
  onIopub(listener: IopubListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Closes the sockets; pending requests and iopub streams fail with `reason` (e.g. the kernel process exited). */
  async close(reason: Error = new Error('Kernel client closed')): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = reason;
    for (const p of this.pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(error);
    }
    this.pending.clear();
    for (const s of this.streams.values()) s.fail(error);
    for (const s of [this.shell, this.control, this.stdin, this.iopub]) s.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private sendAndWait<C>(socket: zmq.Dealer, message: Message<unknown>, timeoutMs?: number): Promise<Message<C>> {
    if (this.closed) return Promise.reject(new Error(`Kernel client closed: cannot send ${message.header.msg_type}`));
    const msgId = message.header.msg_id;
    const result = new Promise<Message<C>>((resolve, reject) => {
      const pending: Pending = { resolve: resolve as (m: Message) => void, reject, msgType: message.header.msg_type };
      if (timeoutMs !== undefined) {
        pending.timer = setTimeout(() => {
          this.pending.delete(msgId);
          reject(new Error(`No reply to ${message.header.msg_type} within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.pending.set(msgId, pending);
    });
    void this.queues.get(socket)!.send(encodeMessage(message, this.signer));
    return result;
  }

  private decode(frames: Buffer[], channel: string): Message | undefined {
    const decoded = decodeMessage(frames, this.signer);
    if (!decoded.ok) {
      this.log(`dropped a ${channel} message: ${decoded.reason}`);
      return undefined;
    }
    return decoded.message;
  }

  private async replyLoop(socket: zmq.Dealer): Promise<void> {
    try {
      for await (const frames of socket) {
        const message = this.decode(frames, 'reply');
        const id = message && parentId(message);
        const pending = id ? this.pending.get(id) : undefined;
        if (!message || !id || !pending) continue;
        this.pending.delete(id);
        if (pending.timer) clearTimeout(pending.timer);
        pending.resolve(message);
      }
    } catch (e) {
      if (!this.closed) this.log(`reply loop stopped: ${(e as Error).message}`);
    }
  }

  private async iopubLoop(): Promise<void> {
    try {
      for await (const frames of this.iopub) {
        const message = this.decode(frames, 'iopub');
        if (!message) continue;
        for (const l of this.listeners) l(message);
        const id = parentId(message);
        if (id) this.streams.get(id)?.push(message);
      }
    } catch (e) {
      if (!this.closed) this.log(`iopub loop stopped: ${(e as Error).message}`);
    }
  }

  private async stdinLoop(): Promise<void> {
    try {
      for await (const frames of this.stdin) {
        const request = this.decode(frames, 'stdin') as Message<InputRequestContent> | undefined;
        if (!request || request.header.msg_type !== MSG.inputRequest) continue;
        const id = parentId(request);
        const handler = (id && this.inputHandlers.get(id)) || this.onInput;
        let value = '';
        try {
          value = handler ? await handler(request.content.prompt, request.content.password) : '';
        } catch (e) {
          this.log(`input handler failed: ${(e as Error).message}`);
        }
        const reply = createMessage(MSG.inputReply, { value }, this.identity, { parent: request.header });
        void this.queues.get(this.stdin)!.send(encodeMessage(reply, this.signer));
      }
    } catch (e) {
      if (!this.closed) this.log(`stdin loop stopped: ${(e as Error).message}`);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
