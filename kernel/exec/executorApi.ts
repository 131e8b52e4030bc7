// The contract between the Jupyter side (kernel/*.ts handler, kernel/protocol) and the
// TypeScript executor (kernel/exec). The handler maps protocol messages onto these calls, so it
// can be tested with a fake executor, and the executor knows nothing of ZeroMQ.

import type { MimeBundle } from '../display/mimeTypes';

export type { MimeBundle };

/** The TensorFlow.js backend the cells run on (initBackend's answer, kernel/convkan/backend). */
export interface BackendDescription {
  /** tfjs backend name: 'tensorflow', 'wasm', 'cpu', … */
  name: string;
  label: string;
  /** Why this backend was chosen. */
  reason: string;
}

/** Side channels of one running cell; each maps onto an iopub (or stdin) message. */
export interface ExecuteHooks {
  stdout(text: string): void;
  stderr(text: string): void;
  /** display_data, or update_display_data when `update` is true (requires displayId). */
  display(bundle: MimeBundle, options: { displayId?: string; update?: boolean }): void;
  clearOutput(wait: boolean): void;
  /** stdin input_request; rejects when the client did not allow stdin. */
  input(prompt: string, password: boolean): Promise<string>;
}

/** Optional details of an execute_request; an executor works without them. */
export interface ExecuteOptions {
  /** The execution_count the client shows (In [n]); tracebacks and type errors name the cell after it. */
  executionCount?: number;
  /** silent requests and user_expressions: no type-error report, and nothing is added for completion. */
  silent?: boolean;
}

export type ExecuteOutcome =
  { status: 'ok'; result?: MimeBundle } | { status: 'error'; ename: string; evalue: string; traceback: string[] };

export interface CompleteResult {
  matches: string[];
  cursorStart: number;
  cursorEnd: number;
  metadata?: Record<string, unknown>;
}

export interface InspectResult {
  found: boolean;
  data: Record<string, string>;
}

export interface IsCompleteResult {
  status: 'complete' | 'incomplete' | 'invalid' | 'unknown';
  indent?: string;
}

export interface Executor {
  /** Runs one cell; resolves (never rejects) with its outcome. An interrupted cell resolves with ename "KeyboardInterrupt". */
  execute(code: string, hooks: ExecuteHooks, options?: ExecuteOptions): Promise<ExecuteOutcome>;
  /** Stops the running cell (sync loop, pending await or training loop); variables defined before it are kept. */
  interrupt(): void;
  complete(code: string, cursorPos: number): Promise<CompleteResult>;
  inspect(code: string, cursorPos: number, detailLevel: number): Promise<InspectResult>;
  isComplete(code: string): IsCompleteResult;
  /** Text for kernel_info's banner: versions and the TensorFlow.js backend with the reason it was chosen. */
  banner(): Promise<string>;
  /** The same backend as data, for kernel_info's `convkan` field; undefined when TensorFlow.js did not load. */
  backend(): Promise<BackendDescription | undefined>;
  /** The run environment (backend, threads, versions, seed) after the last cell; execute_reply metadata carries it. */
  environment?(): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}
