// Messages between the main thread (shell, iopub, stdin, executor) and the control thread
// (control + heartbeat sockets, kernel/protocol/controlWorker.ts). The control thread exists so
// that interrupt_request and heartbeats are served while a cell blocks the main thread.

import type { ConnectionInfo } from './connectionInfo';
import type { Message, MessageHeader, SessionIdentity } from './messages';

export interface ControlWorkerData {
  info: ConnectionInfo;
  identity: SessionIdentity;
  /** SigintGate's shared memory: where the main thread is, and which shell request runs. */
  sigintGate: SharedArrayBuffer;
}

export type FromControl =
  | { kind: 'ready' }
  | { kind: 'log'; line: string }
  /** A verified control request other than interrupt_request, for the main thread to handle. */
  | { kind: 'request'; message: Message; identities: Uint8Array[]; signature: string }
  /**
   * interrupt_request was answered; `seq` is the shell request it was sent for (0: none ran). The
   * main thread interrupts that request if it still runs, and publishes busy/idle.
   */
  | { kind: 'interrupted'; parent: MessageHeader; seq: number };

export type ToControl = { kind: 'reply'; message: Message; identities: Uint8Array[] } | { kind: 'close' };

/** postMessage turns Buffers into plain Uint8Arrays; this turns them back without copying. */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function reviveMessage(message: Message): Message {
  return { ...message, buffers: (message.buffers ?? []).map(toBuffer) };
}
