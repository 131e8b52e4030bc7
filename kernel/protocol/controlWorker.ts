// The control thread: owns the control (ROUTER) and heartbeat (REP) sockets so both keep
// answering while the main thread runs a synchronous cell. interrupt_request is tied to the shell
// request running when it came: the main thread is told (it interrupts an await), and SIGINT is
// raised in this process while, and only while, that request's code runs inside a breakOnSigint
// vm run (see sigintGate.ts), which stops a synchronous loop. Other control requests go to the
// main thread.

import { parentPort, workerData } from 'node:worker_threads';
import * as zmq from 'zeromq';
import { endpoint, MAX_MESSAGE_BYTES } from './connectionInfo';
import { createSigner } from './hmac';
import { MSG, REPLY_TYPE, createMessage } from './messages';
import { ReplayGuard } from './replayGuard';
import { SendQueue } from './sendQueue';
import { SigintGate } from './sigintGate';
import { launcherPid, watchLauncher } from './parentWatch';
import { decodeMessage, encodeMessage } from './wire';
import { reviveMessage, toBuffer, type ControlWorkerData, type FromControl, type ToControl } from './workerMessages';

const port = parentPort!;
const { info, identity, sigintGate } = workerData as ControlWorkerData;
const gate = new SigintGate(sigintGate);
const signer = createSigner(info.key, info.signature_scheme);
const post = (m: FromControl) => port.postMessage(m);
const log = (line: string) => post({ kind: 'log', line });

// A context of this thread's own: sharing zeromq's process-wide default context between threads
// corrupted the heap at process exit (seen as "corrupted double-linked list" aborts).
const context = new zmq.Context({ blocky: false });
const control = new zmq.Router({ linger: 0, sendTimeout: 0, context, maxMessageSize: MAX_MESSAGE_BYTES });
const heartbeat = new zmq.Reply({ linger: 0, context, maxMessageSize: 64 * 1024 });
const replays = new ReplayGuard();
const controlQueue = new SendQueue(control, (e) => log(`control send failed: ${e.message}`));

async function serveHeartbeat(): Promise<void> {
  for await (const frames of heartbeat) await heartbeat.send(frames);
}

async function serveControl(): Promise<void> {
  for await (const frames of control) {
    const decoded = decodeMessage(frames, signer);
    if (!decoded.ok) {
      log(`dropped a control message: ${decoded.reason}`);
      continue;
    }
    const { message, identities, signature } = decoded;
    if (replays.isReplay(signature)) {
      log(`dropped a control message: replay of an earlier message (same signature), msg_id ${message.header.msg_id}`);
      continue;
    }
    if (message.header.msg_type === MSG.interruptRequest) {
      const seq = gate.running();
      interruptRequest(seq);
      const reply = createMessage(REPLY_TYPE[MSG.interruptRequest], { status: 'ok' }, identity, { parent: message.header });
      await controlQueue.send(encodeMessage(reply, signer, identities));
      post({ kind: 'interrupted', parent: message.header, seq });
    } else {
      post({ kind: 'request', message, identities, signature });
    }
  }
}

/**
 * Interrupts shell request `seq`: marks it (its next vm run does not start, which ends a loop of
 * awaits), and raises SIGINT into a vm run of it that lasts LONG_RUN_MS (a synchronous loop),
 * again every RESIGNAL_MS while it runs (a loop may catch KeyboardInterrupt). Stops the moment
 * that request ends: no signal of an old interrupt can reach a later request.
 */
const POLL_MS = 5;
const LONG_RUN_MS = 50;
const RESIGNAL_MS = 500;
const GIVE_UP_MS = 60_000;
let poll: NodeJS.Timeout | undefined;
function interruptRequest(seq: number): void {
  clearInterval(poll);
  if (seq === 0) return;
  gate.markInterrupted(seq);
  const started = Date.now();
  let lastSignal = -Infinity;
  let run = gate.run();
  let runSeen = started;
  poll = setInterval(() => {
    const now = Date.now();
    if (gate.running() !== seq || now - started > GIVE_UP_MS) {
      clearInterval(poll);
      return;
    }
    const current = gate.run();
    if (current !== run) {
      run = current;
      runSeen = now;
    } else if (
      now - runSeen >= LONG_RUN_MS &&
      now - lastSignal >= RESIGNAL_MS &&
      gate.trySignal(seq, run, () => process.kill(process.pid, 'SIGINT'))
    ) {
      lastSignal = now;
    }
  }, POLL_MS);
}

port.on('message', (m: ToControl) => {
  if (m.kind === 'reply') {
    void controlQueue.send(encodeMessage(reviveMessage(m.message), signer, m.identities.map(toBuffer)));
  } else if (m.kind === 'close') {
    void closeThread();
  }
});

/**
 * zeromq sends Buffers without copying and frees them later through this thread's event loop.
 * Ending the thread while the I/O thread still holds one (the shutdown_reply just sent) corrupted
 * the heap at exit, so: flush, close, and give the loop a moment before ending the thread.
 */
async function closeThread(): Promise<void> {
  clearInterval(poll);
  await controlQueue.flushed();
  await new Promise((resolve) => setTimeout(resolve, 50));
  control.close();
  heartbeat.close();
  await new Promise((resolve) => setTimeout(resolve, 50));
  port.close();
}

(async () => {
  await control.bind(endpoint(info, 'control'));
  await heartbeat.bind(endpoint(info, 'hb'));
  post({ kind: 'ready' });
  const launcher = launcherPid();
  if (launcher !== undefined) {
    watchLauncher(launcher, () => {
      log(`launcher process ${launcher} is gone: the kernel exits`);
      // The main thread may be stuck in a cell; only a signal ends the process for sure.
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 100);
    });
  }
  await Promise.all([serveHeartbeat(), serveControl()]);
})().catch((e: Error) => {
  // Closing the sockets ends the loops with an error that is expected during shutdown.
  if (!control.closed) log(`control thread failed: ${e.stack ?? e.message}`);
});
