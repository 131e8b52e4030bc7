// The run record of an executed notebook, shared by the headless runner and the VS Code extension:
// the kernel reports its environment (backend, threads, versions, seed) in every execute_reply's
// metadata; clients write it, with the parameters, start time and per-cell durations, into the
// notebook's metadata. Pure functions over plain JSON, so both clients and tests use them as is.

/** execute_reply metadata key under which the kernel reports its run environment. */
export const REPLY_ENVIRONMENT_KEY = 'convkan_environment';
/** Notebook metadata key of the run record (nb.metadata.convkan). */
export const RUN_RECORD_KEY = 'convkan';
/** Cell metadata key of a cell's duration (cell.metadata.convkan). */
export const CELL_RECORD_KEY = 'convkan';

// What the kernel reports: the same record timing payloads carry (type only, so nothing of the
// payload parsers is bundled into the extension).
import type { RunEnvironment } from '../payloads/runEnvironment';

export type { RunEnvironment };

export interface RunRecord {
  /** Who executed the notebook: 'convkan-notebook run' or 'vscode'. */
  runner: string;
  /** ISO time the run (or, in VS Code, the kernel session) started. */
  started: string;
  /** ISO time the last cell finished. */
  finished?: string;
  /** The seed in force after the last cell (convkan.seed / --seed), null when unseeded. */
  seed: number | null;
  /** --param values, typed as they were injected. */
  parameters: Record<string, unknown>;
  environment?: RunEnvironment;
}

/** Per-cell record, also under nbclient's `execution` timestamps. */
export interface CellTiming {
  started: string;
  finished: string;
  seconds: number;
}

function isEnvironment(value: unknown): value is RunEnvironment {
  const v = value as Partial<RunEnvironment> | null;
  return typeof v === 'object' && v !== null && typeof v.backend === 'string' && typeof v.tfjs === 'string';
}

/** The environment an execute_reply's metadata carries, if any. */
export function environmentFromReply(metadata: Record<string, unknown> | undefined): RunEnvironment | undefined {
  const value = metadata?.[REPLY_ENVIRONMENT_KEY];
  return isEnvironment(value) ? value : undefined;
}

/** A new record at the start of a run. */
export function startRunRecord(runner: string, parameters: Record<string, unknown> = {}, started = new Date()): RunRecord {
  return { runner, started: started.toISOString(), seed: null, parameters };
}

/** The record after one more cell: its environment (the latest wins) and end time. */
export function recordCell(record: RunRecord, timing: CellTiming, environment: RunEnvironment | undefined): RunRecord {
  const next: RunRecord = { ...record, finished: timing.finished };
  if (environment) {
    next.environment = environment;
    next.seed = environment.seed ?? null;
  }
  return next;
}

/** Notebook metadata with the record under RUN_RECORD_KEY (other keys kept). */
export function withRunRecord(metadata: Record<string, unknown>, record: RunRecord): Record<string, unknown> {
  const previous = (metadata[RUN_RECORD_KEY] ?? {}) as Record<string, unknown>;
  return { ...metadata, [RUN_RECORD_KEY]: { ...previous, run: record } };
}

/** Cell metadata with its duration and nbclient-style execution timestamps. */
export function withCellTiming(metadata: Record<string, unknown>, timing: CellTiming): Record<string, unknown> {
  const execution = {
    ...((metadata.execution ?? {}) as Record<string, unknown>),
    'shell.execute_request': timing.started,
    'shell.execute_reply': timing.finished,
  };
  const previous = (metadata[CELL_RECORD_KEY] ?? {}) as Record<string, unknown>;
  return { ...metadata, execution, [CELL_RECORD_KEY]: { ...previous, seconds: Number(timing.seconds.toFixed(6)) } };
}
