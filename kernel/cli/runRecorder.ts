// The runner's side of the run record (kernel/protocol/runRecord.ts): seeds the kernel through its
// environment, times each cell and writes the record into the notebook's metadata at the end.

import type * as Convkan from '../convkan';
import type { Message } from '../protocol/messages';
import { environmentFromReply, recordCell, startRunRecord, withCellTiming, withRunRecord, type RunRecord } from '../protocol/runRecord';

export const RUNNER_NAME = 'convkan-notebook run';

export interface RecordOptions {
  /** convkan.seed(seed) before the first cell (through CONVKAN_SEED, so restarts reseed too). */
  seed?: number;
  /** The injected --param values, as typed. */
  parameters?: Record<string, unknown>;
}

export class RunRecorder {
  private record: RunRecord;

  constructor(private readonly options: RecordOptions = {}) {
    this.record = startRunRecord(RUNNER_NAME, options.parameters ?? {});
    if (options.seed !== undefined) this.record.seed = options.seed;
  }

  /** Environment variables for the kernel process. */
  kernelEnv(): Record<string, string> {
    if (this.options.seed === undefined) return {};
    // The library's index loads TF.js (about a second), so the runner requires it only for a seed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SEED_ENV } = require('../convkan') as typeof Convkan;
    return { [SEED_ENV]: String(this.options.seed) };
  }

  /** Call just before a cell's execute_request; pass the result to cellFinished. */
  cellStarted(): { at: Date; hr: bigint } {
    return { at: new Date(), hr: process.hrtime.bigint() };
  }

  /** Stores the cell's duration in its metadata and the kernel's reported environment in the record. */
  cellFinished(
    cell: { metadata?: Record<string, unknown> },
    start: { at: Date; hr: bigint },
    reply: Pick<Message, 'metadata'> | undefined,
  ): void {
    const seconds = Number(process.hrtime.bigint() - start.hr) / 1e9;
    const timing = { started: start.at.toISOString(), finished: new Date(start.at.getTime() + seconds * 1000).toISOString(), seconds };
    cell.metadata = withCellTiming(cell.metadata ?? {}, timing);
    this.record = recordCell(this.record, timing, environmentFromReply(reply?.metadata as Record<string, unknown> | undefined));
  }

  /** The notebook metadata with the record in it. */
  finish(metadata: Record<string, unknown>): Record<string, unknown> {
    return withRunRecord(metadata, this.record);
  }
}
