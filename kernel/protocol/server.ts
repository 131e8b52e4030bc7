// The kernel's side of the sockets. Shell, iopub and stdin live on the main thread; control and
// heartbeat on a worker thread (controlWorker.ts). Shell requests are handled one at a time, in
// arrival order, each wrapped in iopub status busy/idle (try/finally). With stop_on_error, an
// execute_request that fails makes the server answer the execute_requests already queued behind
// it with status "aborted", as ipykernel does. Bad signatures and malformed frames are logged and
// dropped; nothing a client sends can crash the loops.

import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as zmq from 'zeromq';
import { connectionWarnings, endpoint, MAX_MESSAGE_BYTES, type ConnectionInfo } from './connectionInfo';
import { createSigner, type Signer } from './hmac';
import {
  MSG,
  NO_REPLY_TYPES,
  REPLY_TYPE,
  createMessage,
  isRequestType,
  parentId,
  type ExecuteRequest,
  type InputReplyContent,
  type Message,
  type MessageHeader,
  type SessionIdentity,
} from './messages';
import { ReplayGuard } from './replayGuard';
import { SendQueue } from './sendQueue';
import { SigintGate } from './sigintGate';
import { decodeMessage, encodeMessage } from './wire';
import { reviveMessage, type ControlWorkerData, type FromControl, type ToControl } from './workerMessages';

export type RequestChannel = 'shell' | 'control';

/** What a handler sees of one request: its message, and iopub / stdin bound to it as parent. */
export interface RequestContext {
  readonly request: Message;
  readonly channel: RequestChannel;
  publish(msgType: string, content: object, options?: { metadata?: Record<string, unknown>; buffers?: Buffer[] }): void;
  /** Sends input_request on stdin and resolves with the user's answer; rejects when the request did not allow stdin. */
  input(prompt: string, password: boolean): Promise<string>;
}

export interface HandlerResult {
  content: object;
  metadata?: Record<string, unknown>;
  /** Runs after the reply was sent and idle published (shutdown uses it to exit). */
  after?: () => Promise<void> | void;
}

/** Maps request content to reply content; returns undefined for messages that get no reply. */
export interface KernelHandler {
  handle(context: RequestContext): Promise<HandlerResult | undefined>;
}

export class StdinNotAllowedError extends Error {
  override name = 'StdinNotImplementedError';
}

export interface ServerOptions {
  log?: (line: string) => void;
  /** interrupt_request for the shell request that is running now (the executor stops its cell). */
  onInterrupt?: () => void;
}

export class KernelServer {
  readonly identity: SessionIdentity;
  private readonly signer: Signer;
  private readonly log: (line: string) => void;
  // sendTimeout 0: zeromq.js then never defers a send to the event loop (it does so every 513th
  // send otherwise). A deferred send started inside a cell's vm run left the main thread waiting
  // forever for Node's SIGINT watchdog thread. These socket types never block a send: at the
  // high-water mark they drop, with or without a timeout.
  private readonly shell = new zmq.Router({ linger: 0, sendTimeout: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  private readonly stdin = new zmq.Router({ linger: 0, sendTimeout: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  private readonly iopub = new zmq.Publisher({ linger: 1000, sendTimeout: 0 });
  private readonly shellQueue = new SendQueue(this.shell, (e) => this.log(`shell send failed: ${e.message}`));
  private readonly stdinQueue = new SendQueue(this.stdin, (e) => this.log(`stdin send failed: ${e.message}`));
  private readonly iopubQueue = new SendQueue(this.iopub, (e) => this.log(`iopub send failed: ${e.message}`));
  /** Shell, stdin and the control requests the control thread forwards: one history, as ipykernel keeps. */
  private readonly replays = new ReplayGuard();
  private readonly pendingInput = new Map<string, { resolve(v: string): void; reject(e: Error): void }>();
  private controlChain: Promise<void> = Promise.resolve();
  private worker?: Worker;
  private closing = false;
  /** Shared with the control thread: SIGINT only while request code runs in vm (give it to setVmGuard). */
  readonly sigintGate = new SigintGate();
  /** Sequence number of the last shell request started; the gate holds the running one. */
  private shellSeq = 0;
  private readonly onInterrupt: () => void;

  constructor(
    readonly info: ConnectionInfo,
    private readonly handler: KernelHandler,
    identity: SessionIdentity,
    options: ServerOptions = {},
  ) {
    this.identity = identity;
    this.signer = createSigner(info.key, info.signature_scheme);
    this.log = options.log ?? ((line) => process.stderr.write(`[convkan-kernel] ${line}\n`));
    this.onInterrupt = options.onInterrupt ?? (() => undefined);
  }

  /** Binds every socket (control and heartbeat in the worker) and starts serving. */
  async start(): Promise<void> {
    for (const warning of connectionWarnings(this.info)) this.log(warning);
    await this.iopub.bind(endpoint(this.info, 'iopub'));
    await this.shell.bind(endpoint(this.info, 'shell'));
    await this.stdin.bind(endpoint(this.info, 'stdin'));
    await this.startControlThread();
    void this.serveShell();
    void this.serveStdin();
  }

  /** Publishes on iopub with an explicit parent (used for messages outside a request, e.g. late errors). */
  publish(msgType: string, content: object, parent: MessageHeader | Record<string, never> = {}, buffers: Buffer[] = []): void {
    const message = createMessage(msgType, content, this.identity, { parent, buffers });
    void this.iopubQueue.send(encodeMessage(message, this.signer, [Buffer.from(`kernel.${this.identity.session}.${msgType}`)]));
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const p of this.pendingInput.values()) p.reject(new Error('Kernel is shutting down'));
    this.pendingInput.clear();
    if (this.worker) {
      const exited = new Promise<void>((resolve) => this.worker!.once('exit', () => resolve()));
      this.worker.postMessage({ kind: 'close' } satisfies ToControl);
      const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5000).unref())]);
      if (timedOut) this.log('control thread did not exit within 5 s');
    }
    // Let queued iopub messages (the final idle) leave before the sockets close.
    await this.iopubQueue.flushed();
    this.shell.close();
    this.stdin.close();
    this.iopub.close();
  }

  private startControlThread(): Promise<void> {
    const workerData: ControlWorkerData = { info: this.info, identity: this.identity, sigintGate: this.sigintGate.buffer };
    const worker = createControlWorker(workerData);
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (m: FromControl) => {
        switch (m.kind) {
          case 'ready':
            worker.off('error', reject);
            worker.on('error', (e) => this.log(`control thread error: ${e.stack ?? e.message}`));
            resolve();
            break;
          case 'log':
            this.log(m.line);
            break;
          case 'interrupted':
            // Only the request the interrupt was sent for: a late one must not stop the next cell.
            if (m.seq !== 0 && m.seq === this.sigintGate.running()) this.onInterrupt();
            this.publish(MSG.status, { execution_state: 'busy' }, m.parent);
            this.publish(MSG.status, { execution_state: 'idle' }, m.parent);
            break;
          case 'request': {
            // Control requests run in their own order, independent of a long shell request.
            const message = reviveMessage(m.message);
            // One replay history with shell: a shell request sent again on control is a replay too.
            if (this.replays.isReplay(m.signature)) {
              this.log(`dropped a control message: replay of an earlier message (same signature), msg_id ${message.header.msg_id}`);
              break;
            }
            this.controlChain = this.controlChain.then(() =>
              this.dispatch(message, 'control', (reply) => {
                worker.postMessage({ kind: 'reply', message: reply, identities: m.identities } satisfies ToControl);
              }),
            );
            break;
          }
        }
      });
    });
  }

  private decode(frames: Buffer[], channel: string): ReturnType<typeof decodeMessage> | undefined {
    const decoded = decodeMessage(frames, this.signer);
    if (!decoded.ok) {
      this.log(`dropped a ${channel} message: ${decoded.reason}`);
      return undefined;
    }
    if (this.replays.isReplay(decoded.signature)) {
      this.log(`dropped a ${channel} message: replay of an earlier message (same signature), msg_id ${decoded.message.header.msg_id}`);
      return undefined;
    }
    return decoded;
  }

  private async serveShell(): Promise<void> {
    try {
      for await (const frames of this.shell) {
        const decoded = this.decode(frames, 'shell');
        if (!decoded?.ok) continue;
        // One failing request must never end the loop: the kernel would look alive (heartbeat) but never answer.
        await this.dispatchShell(decoded.message, decoded.identities).catch((e: Error) =>
          this.log(`shell request ${decoded.message.header.msg_id} failed: ${e.stack ?? e}`),
        );
      }
    } catch (e) {
      if (!this.closing) this.log(`shell loop stopped: ${(e as Error).stack ?? e}`);
    }
  }

  /**
   * Handles one shell request. When an execute_request with stop_on_error fails, the requests
   * already waiting in the socket are taken out BEFORE its reply is sent: the execute_requests
   * among them are aborted, the others handled. A request the client sends after seeing the
   * error reply therefore always runs.
   */
  private async dispatchShell(message: Message, identities: Buffer[]): Promise<void> {
    this.sigintGate.setRunning(++this.shellSeq);
    try {
      await this.dispatchShellRequest(message, identities);
    } finally {
      this.sigintGate.setRunning(0);
    }
  }

  private async dispatchShellRequest(message: Message, identities: Buffer[]): Promise<void> {
    let queued: Array<{ message: Message; identities: Buffer[] }> = [];
    const beforeReply = async (reply: Message) => {
      const stopOnError = (message.content as Partial<ExecuteRequest>).stop_on_error !== false;
      const failed = (reply.content as { status?: string }).status === 'error';
      if (message.header.msg_type === MSG.executeRequest && stopOnError && failed) queued = await this.takeQueued();
    };
    await this.dispatch(
      message,
      'shell',
      (reply) => void this.shellQueue.send(encodeMessage(reply, this.signer, identities)),
      identities,
      beforeReply,
    );
    for (const q of queued) {
      if (q.message.header.msg_type === MSG.executeRequest) this.abort(q.message, q.identities);
      else await this.dispatchShell(q.message, q.identities);
    }
  }

  /** Every request waiting in the shell socket right now (decoded; bad ones dropped). */
  private async takeQueued(): Promise<Array<{ message: Message; identities: Buffer[] }>> {
    const queued: Array<{ message: Message; identities: Buffer[] }> = [];
    while (this.shell.readable && !this.closing) {
      const decoded = this.decode(await this.shell.receive(), 'shell');
      if (decoded?.ok) queued.push({ message: decoded.message, identities: decoded.identities });
    }
    return queued;
  }

  private abort(message: Message, identities: Buffer[]): void {
    this.publish(MSG.status, { execution_state: 'busy' }, message.header);
    const reply = createMessage(MSG.executeReply, { status: 'aborted' }, this.identity, {
      parent: message.header,
      metadata: { status: 'aborted' },
    });
    void this.shellQueue.send(encodeMessage(reply, this.signer, identities));
    this.publish(MSG.status, { execution_state: 'idle' }, message.header);
  }

  /** busy → handler → reply → idle → after(). Never throws: a failing handler becomes an error reply. */
  private async dispatch(
    message: Message,
    channel: RequestChannel,
    sendReply: (reply: Message) => void,
    identities: Buffer[] = [],
    beforeReply?: (reply: Message) => Promise<void>,
  ): Promise<void> {
    const msgType = message.header.msg_type;
    const parent = message.header;
    let after: HandlerResult['after'];
    this.publish(MSG.status, { execution_state: 'busy' }, parent);
    try {
      if (!isRequestType(msgType) && !NO_REPLY_TYPES.includes(msgType)) {
        this.log(`unknown ${channel} message type "${msgType}" (msg_id ${parent.msg_id}); ignored`);
        return;
      }
      let result: HandlerResult | undefined;
      try {
        result = await this.handler.handle(this.context(message, channel, identities));
      } catch (e) {
        const error = e as Error;
        this.log(`handler for ${msgType} failed: ${error.stack ?? error}`);
        result = { content: { status: 'error', ename: error.name ?? 'Error', evalue: error.message ?? String(e), traceback: [] } };
      }
      if (isRequestType(msgType) && result) {
        const reply = createMessage(REPLY_TYPE[msgType], result.content as Record<string, unknown>, this.identity, {
          parent,
          metadata: result.metadata,
        });
        await beforeReply?.(reply);
        sendReply(reply);
      }
      after = result?.after;
    } finally {
      this.publish(MSG.status, { execution_state: 'idle' }, parent);
    }
    if (after) await after();
  }

  private context(request: Message, channel: RequestChannel, identities: Buffer[]): RequestContext {
    return {
      request,
      channel,
      publish: (msgType, content, options = {}) => this.publish(msgType, content, request.header, options.buffers),
      input: (prompt, password) => this.requestInput(request, identities, prompt, password),
    };
  }

  private requestInput(request: Message, identities: Buffer[], prompt: string, password: boolean): Promise<string> {
    if (!(request.content as Partial<ExecuteRequest>).allow_stdin) {
      return Promise.reject(
        new StdinNotAllowedError('input() was called, but this frontend does not support input requests (allow_stdin is false)'),
      );
    }
    const message = createMessage(MSG.inputRequest, { prompt, password }, this.identity, { parent: request.header });
    return new Promise<string>((resolve, reject) => {
      this.pendingInput.set(message.header.msg_id, { resolve, reject });
      void this.stdinQueue.send(encodeMessage(message, this.signer, identities));
    });
  }

  private async serveStdin(): Promise<void> {
    try {
      for await (const frames of this.stdin) {
        const decoded = this.decode(frames, 'stdin');
        if (!decoded?.ok || decoded.message.header.msg_type !== MSG.inputReply) continue;
        const id = parentId(decoded.message);
        const pending = id ? this.pendingInput.get(id) : undefined;
        if (!id || !pending) {
          this.log(`input_reply for unknown input_request ${id}; ignored`);
          continue;
        }
        this.pendingInput.delete(id);
        pending.resolve(String((decoded.message.content as Partial<InputReplyContent>).value ?? ''));
      }
    } catch (e) {
      if (!this.closing) this.log(`stdin loop stopped: ${(e as Error).stack ?? e}`);
    }
  }
}

/** Compiled: out/kernel/protocol/controlWorker.js. From source (tests under tsx): register tsx's CommonJS hook in the worker first. */
function createControlWorker(workerData: ControlWorkerData): Worker {
  const fromSource = __filename.endsWith('.ts');
  const file = path.join(__dirname, `controlWorker${fromSource ? '.ts' : '.js'}`);
  if (!fromSource) return new Worker(file, { workerData });
  const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`;
  return new Worker(bootstrap, { eval: true, workerData, execArgv: [] });
}
