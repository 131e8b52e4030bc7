// The headless runner: start a kernel, run every code cell of an .ipynb through the Jupyter
// protocol, and write the outputs back as a valid nbformat 4 notebook. No Python involved.

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startKernel, type StartKernelOptions } from '../protocol/connection';
import type { ExecuteReply, KernelInfoReply, Message } from '../protocol/messages';
import { awaitCell, DEFAULT_CELL_TIMEOUT_S } from './cellDeadline';
import { CellOutputs, DisplayRegistry, joinLines, splitLines, stringifyNotebook, toDiskOutput, type NbOutput } from './nbOutputs';
import { writeFileAtomic } from './partialNotebook';
import { DEFAULT_DISPLAY_NAME, DEFAULT_KERNEL_NAME } from './kernelspec';
import { RunRecorder, type RecordOptions } from './runRecorder';

interface NbCell {
  id?: string;
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: Record<string, unknown> & { tags?: string[] };
  outputs?: unknown[];
  execution_count?: number | null;
}

interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NbCell[];
}

export interface RunOptions {
  /**
   * Seconds per cell (default DEFAULT_CELL_TIMEOUT_S; 0: no limit). On timeout the cell is
   * interrupted and fails, and so does the run; a kernel that does not answer the interrupt is
   * given up and the run stops.
   */
  timeoutSeconds?: number;
  /** Seconds an interrupted (timed-out) cell has to end before the kernel is given up (default INTERRUPT_GRACE_S). */
  interruptGraceSeconds?: number;
  /** Called with the notebook as it would be written, after each cell (write it: a killed run keeps its work). */
  onCellDone?: (nb: Notebook) => void;
  /** Aborting stops the run: the kernel is shut down, the cells not run are left empty. */
  signal?: AbortSignal;
  /** Keep executing after a failing cell (default: stop, like nbclient). */
  allowErrors?: boolean;
  /** Progress lines (cell n/N, status, seconds). */
  log?: (line: string) => void;
  kernel?: StartKernelOptions;
  /** Seed and parameters of the run record (nb.metadata.convkan.run). */
  record?: RecordOptions;
}

export interface CellReport {
  index: number;
  status: 'ok' | 'error' | 'timeout' | 'skipped';
  seconds: number;
}

export interface RunResult {
  notebook: Notebook;
  cells: CellReport[];
  /** True when a cell failed (and was not tagged raises-exception), or the run was stopped. */
  failed: boolean;
  /** Why the run stopped before the last cell other than a failing cell: kernel died, unresponsive, aborted. */
  stopReason?: string;
}

export function readNotebook(file: string): Notebook {
  let nb: Notebook;
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
  } catch (e) {
    throw new Error(`Error in notebook ${file}: cannot read it as JSON (${(e as Error).message})`);
  }
  if (nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new Error(`Error in notebook ${file}: expected nbformat 4 with a cells array, but got nbformat ${JSON.stringify(nb.nbformat)}`);
  }
  return nb;
}

/** Cells tagged raises-exception may fail without failing the run (nbclient's convention). */
const RAISES_TAG = 'raises-exception';

export async function runNotebook(nb: Notebook, cwd: string, options: RunOptions = {}): Promise<RunResult> {
  const log = options.log ?? (() => undefined);
  const recorder = new RunRecorder(options.record);
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_CELL_TIMEOUT_S;
  const kernel = await startKernel({ cwd, ...options.kernel, env: { ...options.kernel?.env, ...recorder.kernelEnv() } });
  // Shut the kernel down at once on abort: what waits for it then fails, and the loop stops.
  const onAbort = () => void kernel.dispose(1000);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const reports: CellReport[] = [];
  let failed = false;
  let stopReason: string | undefined;
  try {
    nb.metadata = {
      ...nb.metadata,
      kernelspec: { name: DEFAULT_KERNEL_NAME, display_name: DEFAULT_DISPLAY_NAME, language: 'typescript' },
      language_info: (kernel.kernelInfo.content as KernelInfoReply).language_info,
    };
    if (nb.nbformat_minor >= 5) for (const cell of nb.cells) cell.id ??= randomUUID().slice(0, 8);
    // Like "Restart & Run All": no stale output survives, also in cells after a stop.
    for (const cell of nb.cells) if (cell.cell_type === 'code') Object.assign(cell, { outputs: [], execution_count: null });
    const displays = new DisplayRegistry();
    const codeCells = nb.cells.map((c, i) => [c, i] as const).filter(([c]) => c.cell_type === 'code');
    let stopped = false;
    for (const [n, [cell, index]] of codeCells.entries()) {
      const source = joinLines(cell.source);
      if (options.signal?.aborted && !stopReason) {
        stopReason = `stopped: ${(options.signal.reason as Error)?.message ?? 'aborted'}`;
        stopped = true;
      }
      if (stopped || !source.trim()) {
        reports.push({ index, status: 'skipped', seconds: 0 });
        continue;
      }
      const started = process.hrtime.bigint();
      const recordStart = recorder.cellStarted();
      const collected = new CellOutputs(displays);
      const run = kernel.client.execute(source, { allowStdin: false, stopOnError: true });
      const outputsDone = (async () => {
        for await (const message of run) collected.add(message);
      })();
      const done = Promise.all([run.reply, outputsDone]).then(([reply]) => reply);
      const end = await awaitCell(done, () => kernel.client.interrupt(), timeoutSeconds, options.interruptGraceSeconds);
      const outputs: NbOutput[] = collected.outputs;
      let status: CellReport['status'];
      if (end.kind === 'reply') {
        cell.execution_count = (end.reply.content as { execution_count?: number }).execution_count ?? null;
        status = end.timedOut ? 'timeout' : end.reply.content.status === 'ok' ? 'ok' : 'error';
      } else {
        status = end.kind === 'unresponsive' ? 'timeout' : 'error';
        stopReason =
          end.kind === 'unresponsive'
            ? `the kernel did not answer the interrupt of cell ${n + 1} within its grace period`
            : options.signal?.aborted
              ? `stopped: ${(options.signal.reason as Error)?.message ?? 'aborted'}`
              : `the kernel failed during cell ${n + 1}: ${end.error.message}`;
        stopped = true;
      }
      if (status === 'timeout') {
        outputs.push({
          output_type: 'error',
          ename: 'CellTimeoutError',
          evalue: `cell did not finish within ${timeoutSeconds} s and was interrupted`,
          traceback: [],
        });
      } else if (end.kind === 'failed') {
        outputs.push({ output_type: 'error', ename: 'KernelDiedError', evalue: stopReason ?? end.error.message, traceback: [] });
      }
      cell.outputs = outputs as unknown[];
      recorder.cellFinished(cell, recordStart, end.kind === 'reply' ? end.reply : undefined);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      reports.push({ index, status, seconds });
      log(`cell ${n + 1}/${codeCells.length} (notebook cell ${index + 1}): ${status} in ${seconds.toFixed(2)} s`);
      const allowed = status === 'error' && end.kind === 'reply' && (cell.metadata?.tags ?? []).includes(RAISES_TAG);
      if (status !== 'ok' && !allowed) {
        failed = true;
        // A timed-out cell fails the run and stops it even with allowErrors: its state is unknown.
        if (!options.allowErrors || status === 'timeout') stopped = true;
      }
      options.onCellDone?.(toDiskNotebook(nb));
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await kernel.dispose();
  }
  nb.metadata = recorder.finish(nb.metadata);
  if (stopReason) {
    failed = true;
    log(stopReason);
  }
  return { notebook: toDiskNotebook(nb), cells: reports, failed, stopReason };
}

/**
 * The notebook as written to disk: outputs in nbformat's on-disk form, sources as line lists. A
 * copy, taken after each cell: update_display_data may still change outputs of earlier cells.
 */
export function toDiskNotebook(nb: Notebook): Notebook {
  const copy = structuredClone(nb);
  for (const cell of copy.cells) {
    if (cell.cell_type !== 'code') continue;
    cell.outputs = ((cell.outputs ?? []) as NbOutput[]).map(toDiskOutput);
    if (typeof cell.source === 'string') cell.source = splitLines(cell.source);
    cell.execution_count ??= null;
  }
  return copy;
}

export function writeNotebook(file: string, nb: Notebook): void {
  writeFileAtomic(file, stringifyNotebook(nb));
}
