// The control thread: owns the control (ROUTER) and heartbeat (REP) sockets so both keep
// answering while the main thread runs a synchronous cell. interrupt_request is answered here by
// raising SIGINT in this process: vm code run with breakOnSigint throws, and main.ts turns a
// SIGINT outside vm code into executor.interrupt(). Other control requests go to the main thread.

import { parentPort, workerData } from 'node:worker_threads';
import * as zmq from 'zeromq';
import { endpoint } from './connectionInfo';
import { createSigner } from './hmac';
import { MSG, REPLY_TYPE, createMessage } from './messages';
import { SendQueue } from './sendQueue';
import { launcherPid, watchLauncher } from './parentWatch';
import { decodeMessage, encodeMessage } from './wire';
import { reviveMessage, toBuffer, type ControlWorkerData, type FromControl, type ToControl } from './workerMessages';

const port = parentPort!;
const { info, identity } = workerData as ControlWorkerData;
const signer = createSigner(info.key, info.signature_scheme);
const post = (m: FromControl) => port.postMessage(m);
const log = (line: string) => post({ kind: 'log', line });

// A context of this thread's own: sharing zeromq's process-wide default context between threads
// corrupted the heap at process exit (seen as "corrupted double-linked list" aborts).
const context = new zmq.Context({ blocky: false });
const control = new zmq.Router({ linger: 0, context });
const heartbeat = new zmq.Reply({ linger: 0, context });
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
    const { message, identities } = decoded;
    if (message.header.msg_type === MSG.interruptRequest) {
      raiseInterrupt();
      const reply = createMessage(REPLY_TYPE[MSG.interruptRequest], { status: 'ok' }, identity, { parent: message.header });
      await controlQueue.send(encodeMessage(reply, signer, identities));
      post({ kind: 'interrupted', parent: message.header });
    } else {
      post({ kind: 'request', message, identities });
    }
  }
}

/**
 * SIGINT, repeated until the main thread reports that the running request ended: a signal that
 * lands while vm switches its breakOnSigint watchdog on or off can be swallowed (seen about once
 * in a few hundred interrupts), and the cell would then never end. Repeats are harmless: the
 * executor's interrupt() is idempotent. At most RESIGNAL_TRIES repeats.
 */
const RESIGNAL_MS = 500;
const RESIGNAL_TRIES = 20;
let resignal: NodeJS.Timeout | undefined;
function raiseInterrupt(): void {
  clearInterval(resignal);
  process.kill(process.pid, 'SIGINT');
  let tries = 0;
  resignal = setInterval(() => {
    if (++tries > RESIGNAL_TRIES) clearInterval(resignal);
    else process.kill(process.pid, 'SIGINT');
  }, RESIGNAL_MS);
}

port.on('message', (m: ToControl) => {
  if (m.kind === 'interruptHandled') {
    clearInterval(resignal);
  } else if (m.kind === 'reply') {
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
  clearInterval(resignal);
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
