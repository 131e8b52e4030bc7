// The headless runner: start a kernel, run every code cell of an .ipynb through the Jupyter
// protocol, and write the outputs back as a valid nbformat 4 notebook. No Python involved.

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startKernel, type StartKernelOptions } from '../protocol/connection';
import type { ExecuteReply, KernelInfoReply, Message } from '../protocol/messages';
import { CellOutputs, DisplayRegistry, joinLines, splitLines, stringifyNotebook, toDiskOutput, type NbOutput } from './nbOutputs';
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
  /** Seconds per cell; on timeout the kernel is interrupted and the cell fails. Default: none. */
  timeoutSeconds?: number;
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
  /** True when a cell failed (and was not tagged raises-exception). */
  failed: boolean;
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
  const kernel = await startKernel({ cwd, ...options.kernel, env: { ...options.kernel?.env, ...recorder.kernelEnv() } });
  const reports: CellReport[] = [];
  let failed = false;
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
      if (stopped || !source.trim()) {
        reports.push({ index, status: 'skipped', seconds: 0 });
        continue;
      }
      const started = process.hrtime.bigint();
      const recordStart = recorder.cellStarted();
      const collected = new CellOutputs(displays);
      const run = kernel.client.execute(source, { allowStdin: false, stopOnError: true });
      const iterate = (async () => {
        for await (const message of run) collected.add(message);
      })();
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      if (options.timeoutSeconds !== undefined) {
        timer = setTimeout(() => {
          timedOut = true;
          void kernel.client.interrupt().catch(() => undefined);
        }, options.timeoutSeconds * 1000);
      }
      let reply: Message<ExecuteReply>;
      try {
        [reply] = await Promise.all([run.reply, iterate]);
      } finally {
        clearTimeout(timer);
      }
      const outputs: NbOutput[] = collected.outputs;
      if (timedOut) {
        outputs.push({ output_type: 'error', ename: 'CellTimeoutError', evalue: `cell did not finish within ${options.timeoutSeconds} s and was interrupted`, traceback: [] });
      }
      cell.outputs = outputs as unknown[];
      cell.execution_count = (reply.content as { execution_count?: number }).execution_count ?? null;
      recorder.cellFinished(cell, recordStart, reply);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = timedOut ? 'timeout' : reply.content.status === 'ok' ? 'ok' : 'error';
      reports.push({ index, status, seconds });
      log(`cell ${n + 1}/${codeCells.length} (notebook cell ${index + 1}): ${status} in ${seconds.toFixed(2)} s`);
      if (status !== 'ok' && !(cell.metadata?.tags ?? []).includes(RAISES_TAG)) {
        failed = true;
        if (!options.allowErrors) stopped = true;
      }
    }
  } finally {
    await kernel.dispose();
  }
  nb.metadata = recorder.finish(nb.metadata);
  // Only now: update_display_data may have changed outputs of earlier cells.
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    cell.outputs = ((cell.outputs ?? []) as NbOutput[]).map(toDiskOutput);
    if (typeof cell.source === 'string') cell.source = splitLines(cell.source);
    cell.execution_count ??= null;
  }
  return { notebook: nb, cells: reports, failed };
}

export function writeNotebook(file: string, nb: Notebook): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, stringifyNotebook(nb));
}
