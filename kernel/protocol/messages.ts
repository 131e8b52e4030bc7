// Jupyter messaging protocol 5.3: message shapes, every msg_type this kernel speaks, and the one
// request → reply table (tslab answered comm_info_request with "complete_reply"; a table plus a
// conformance test over every entry makes that class of bug impossible).
// Spec: https://jupyter-client.readthedocs.io/en/stable/messaging.html

import { randomUUID } from 'node:crypto';

export const PROTOCOL_VERSION = '5.3';
/** Separates the ZeroMQ routing identities from the signed message parts. */
export const DELIMITER = '<IDS|MSG>';

export type Channel = 'shell' | 'control' | 'iopub' | 'stdin' | 'hb';
export const CHANNELS: readonly Channel[] = ['shell', 'control', 'iopub', 'stdin', 'hb'];

export const MSG = {
  kernelInfoRequest: 'kernel_info_request',
  kernelInfoReply: 'kernel_info_reply',
  executeRequest: 'execute_request',
  executeReply: 'execute_reply',
  completeRequest: 'complete_request',
  completeReply: 'complete_reply',
  inspectRequest: 'inspect_request',
  inspectReply: 'inspect_reply',
  isCompleteRequest: 'is_complete_request',
  isCompleteReply: 'is_complete_reply',
  historyRequest: 'history_request',
  historyReply: 'history_reply',
  commInfoRequest: 'comm_info_request',
  commInfoReply: 'comm_info_reply',
  shutdownRequest: 'shutdown_request',
  shutdownReply: 'shutdown_reply',
  interruptRequest: 'interrupt_request',
  interruptReply: 'interrupt_reply',
  commOpen: 'comm_open',
  commMsg: 'comm_msg',
  commClose: 'comm_close',
  // iopub
  status: 'status',
  executeInput: 'execute_input',
  stream: 'stream',
  executeResult: 'execute_result',
  displayData: 'display_data',
  updateDisplayData: 'update_display_data',
  clearOutput: 'clear_output',
  error: 'error',
  // stdin
  inputRequest: 'input_request',
  inputReply: 'input_reply',
} as const;

export type MsgType = (typeof MSG)[keyof typeof MSG];

/** Every request the kernel answers, and the msg_type of its answer. comm_* messages get no reply. */
export const REPLY_TYPE = {
  [MSG.kernelInfoRequest]: MSG.kernelInfoReply,
  [MSG.executeRequest]: MSG.executeReply,
  [MSG.completeRequest]: MSG.completeReply,
  [MSG.inspectRequest]: MSG.inspectReply,
  [MSG.isCompleteRequest]: MSG.isCompleteReply,
  [MSG.historyRequest]: MSG.historyReply,
  [MSG.commInfoRequest]: MSG.commInfoReply,
  [MSG.shutdownRequest]: MSG.shutdownReply,
  [MSG.interruptRequest]: MSG.interruptReply,
} as const;

export type RequestType = keyof typeof REPLY_TYPE;

/** Messages accepted on shell/control that need no reply. */
export const NO_REPLY_TYPES: readonly string[] = [MSG.commOpen, MSG.commMsg, MSG.commClose];

export function isRequestType(msgType: string): msgType is RequestType {
  return Object.prototype.hasOwnProperty.call(REPLY_TYPE, msgType);
}

export interface MessageHeader {
  msg_id: string;
  username: string;
  session: string;
  date: string;
  msg_type: string;
  version: string;
}

export type JsonObject = Record<string, unknown>;

export interface Message<C = JsonObject> {
  header: MessageHeader;
  /** Empty object when the message has no parent. */
  parent_header: MessageHeader | Record<string, never>;
  metadata: JsonObject;
  content: C;
  /** Extra binary frames after the four JSON parts; kept as raw bytes, never JSON-encoded. */
  buffers: Buffer[];
}

export interface SessionIdentity {
  session: string;
  username: string;
}

export function newSessionIdentity(username = 'convkan'): SessionIdentity {
  return { session: randomUUID(), username };
}

export function createMessage<C>(
  msgType: string,
  content: C,
  from: SessionIdentity,
  options: { parent?: MessageHeader | Record<string, never>; metadata?: JsonObject; buffers?: Buffer[] } = {},
): Message<C> {
  return {
    header: {
      msg_id: randomUUID(),
      username: from.username,
      session: from.session,
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    },
    parent_header: options.parent ?? {},
    metadata: options.metadata ?? {},
    content,
    buffers: options.buffers ?? [],
  };
}

/** msg_id of the message's parent, or undefined when it has none. */
export function parentId(message: Message<unknown>): string | undefined {
  const id = (message.parent_header as Partial<MessageHeader>).msg_id;
  return typeof id === 'string' ? id : undefined;
}

// ---- content of the messages the kernel and its clients exchange ----

export interface LanguageInfo {
  name: string;
  version: string;
  mimetype: string;
  file_extension: string;
  codemirror_mode?: string | JsonObject;
  pygments_lexer?: string;
  nbconvert_exporter?: string;
}

/**
 * kernel_info_reply's `convkan` field: the TensorFlow.js backend the cells run on, as data (the
 * banner says the same in words). Absent until TensorFlow.js has loaded.
 */
export interface ConvkanKernelInfo {
  /** tfjs backend name (tf.getBackend()): 'tensorflow', 'wasm', 'cpu', … */
  backend: string;
  /** Human label, e.g. 'wasm (SIMD, 2 threads)' or 'GPU (tfjs-node-gpu)'. */
  label: string;
  /** Why this backend: what was asked for and what failed before it. */
  reason: string;
}

export interface KernelInfoReply {
  status: 'ok';
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: LanguageInfo;
  banner: string;
  convkan?: ConvkanKernelInfo;
  help_links?: Array<{ text: string; url: string }>;
  debugger?: boolean;
}

export interface ExecuteRequest {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  user_expressions?: Record<string, string>;
  allow_stdin?: boolean;
  stop_on_error?: boolean;
}

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

export type ExecuteReply =
  | { status: 'ok'; execution_count: number; payload: JsonObject[]; user_expressions: JsonObject }
  | ({ status: 'error'; execution_count: number } & ErrorContent)
  | { status: 'aborted'; execution_count?: number };

export interface StatusContent {
  execution_state: 'busy' | 'idle' | 'starting';
}

export interface StreamContent {
  name: 'stdout' | 'stderr';
  text: string;
}

export interface DisplayDataContent {
  data: JsonObject;
  metadata: JsonObject;
  transient?: { display_id?: string };
}

export interface ExecuteResultContent extends DisplayDataContent {
  execution_count: number;
}

export interface InputRequestContent {
  prompt: string;
  password: boolean;
}

export interface InputReplyContent {
  value: string;
}

export interface HistoryRequest {
  output?: boolean;
  raw?: boolean;
  hist_access_type: 'range' | 'tail' | 'search';
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}
