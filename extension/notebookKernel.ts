// The kernel of one open notebook: starts its process on the first run, runs queued cells one
// after another (Jupyter order: a failing cell cancels the cells queued behind it), streams each
// cell's iopub messages into its outputs, interrupts, restarts (optionally with another
// backend), and reports an unexpected exit to its host.

import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { parentId, type Message } from '../kernel/protocol/messages';
import { CellOutputStream, DisplayRegistry } from './cellOutputStream';
import { ExecutionTarget } from './executionTarget';
import type { BackendChoice } from '../kernel/convkan/backend/backendChoices';
import { KernelSession, type KernelExit } from './kernelProcess';
import { resolveNodeRuntime } from './nodeRuntime';
import { RunRecordWriter } from './runRecordWriter';
import { readKernelSettings } from './settings';

export type KernelState = 'stopped' | 'starting' | 'idle' | 'busy' | 'dead';

export interface NotebookKernelHost {
  readonly controller: vscode.NotebookController;
  /** Absolute path of out/kernel/main.js. */
  readonly kernelMain: string;
  log(line: string): void;
  /** The process ended while nobody asked it to: tell the user. */
  onCrash(kernel: NotebookKernel, exit: KernelExit): void;
}

/** How many finished requests still route late output (timers, rejected promises) to their cell. */
const LATE_OUTPUT_REQUESTS = 50;
/** While TensorFlow.js loads in the kernel, ask kernel_info for the backend this often, this many times. */
const BACKEND_POLL_MS = 1500;
const BACKEND_POLLS = 40;

export class NotebookKernel implements vscode.Disposable {
  state: KernelState = 'stopped';
  /** Backend chosen with "Switch Backend" for this notebook; the setting applies otherwise. */
  backendOverride: BackendChoice | undefined;

  private readonly changed = new vscode.EventEmitter<NotebookKernel>();
  readonly onDidChange = this.changed.event;

  private session: KernelSession | undefined;
  private starting: Promise<KernelSession> | undefined;
  private readonly displays = new DisplayRegistry<vscode.NotebookCellOutput>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pending = new Set<vscode.NotebookCellExecution>();
  private readonly finished = new Map<string, CellOutputStream<vscode.NotebookCellOutput>>();
  private lateOutput: Promise<void> = Promise.resolve();
  private stopReason: string | undefined;
  private disposed = false;
  /** metadata.convkan.run and each cell's duration, for the current kernel session. */
  private readonly runRecord = new RunRecordWriter();

  constructor(
    readonly notebook: vscode.NotebookDocument,
    private readonly host: NotebookKernelHost,
  ) {}

  get name(): string {
    return path.basename(this.notebook.uri.path);
  }

  get backend() {
    return this.session?.backend;
  }

  get pid(): number | undefined {
    return this.session?.pid;
  }

  /** Queues cells; they show as pending until their turn. */
  run(cells: readonly vscode.NotebookCell[]): Promise<unknown> {
    const executions: vscode.NotebookCellExecution[] = [];
    for (const cell of cells) {
      try {
        const execution = this.host.controller.createNotebookCellExecution(cell);
        executions.push(execution);
        this.pending.add(execution);
      } catch (e) {
        this.host.log(`[${this.name}] cell ${cell.index + 1} not queued: ${(e as Error).message}`);
      }
    }
    if (executions.length) this.host.log(`[${this.name}] queued cell(s) ${executions.map((e) => e.cell.index + 1).join(', ')}`);
    const job = this.queue.then(async () => {
      for (const execution of executions) {
        if (!this.pending.delete(execution)) continue; // cancelled by an error, restart or close
        const ok = await this.runCell(execution);
        if (!ok) this.cancelPending();
      }
    });
    this.queue = job.catch((e) => this.host.log(`[${this.name}] queue error: ${(e as Error).message}`));
    return this.queue;
  }

  async interrupt(): Promise<void> {
    this.cancelPending();
    if (!this.session) return;
    this.host.log(`[${this.name}] interrupt requested`);
    await this.session.interrupt();
  }

  /** Stops the process (if any) and starts a fresh one, with `backend` when given. */
  async restart(backend?: BackendChoice): Promise<void> {
    if (backend) this.backendOverride = backend;
    this.cancelPending();
    await this.stopSession('the kernel was restarted');
    await this.ensureSession();
  }

  async shutdown(): Promise<void> {
    this.cancelPending();
    await this.stopSession('the kernel was shut down');
    this.setState('stopped');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.shutdown().finally(() => this.changed.dispose());
  }

  /** The running session, started if needed (concurrent callers share one start). */
  ensureSession(): Promise<KernelSession> {
    if (this.session?.isAlive) return Promise.resolve(this.session);
    this.starting ??= this.startSession().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async startSession(): Promise<KernelSession> {
    const settings = readKernelSettings(this.notebook.uri);
    const runtime = resolveNodeRuntime({ setting: settings.nodePath, pathEnv: process.env.PATH, execPath: process.execPath });
    const backend = this.backendOverride ?? settings.backend;
    const cwd =
      this.notebook.uri.scheme === 'file'
        ? path.dirname(this.notebook.uri.fsPath)
        : ((vscode.workspace.getWorkspaceFolder(this.notebook.uri) ?? vscode.workspace.workspaceFolders?.[0])?.uri.fsPath ?? os.homedir());
    this.setState('starting');
    this.host.log(
      `[${this.name}] starting kernel: ${runtime.command} ` +
        `(${runtime.source}) ${this.host.kernelMain} ${settings.kernelArgs.join(' ')} · backend ${backend} · cwd ${cwd}`,
    );
    this.stopReason = undefined;
    let session: KernelSession;
    try {
      session = await KernelSession.start(
        { kernelMain: this.host.kernelMain, runtime, kernelArgs: settings.kernelArgs, backend, cwd },
        (line) => this.host.log(`[${this.name}] ${line}`),
        (exit) => this.onExit(session, exit),
      );
    } catch (e) {
      this.setState('dead');
      this.host.log(`[${this.name}] ${(e as Error).message}`);
      throw e;
    }
    this.session = session;
    this.runRecord.reset();
    session.client.onIopub((m) => this.routeLateOutput(m));
    this.host.log(`[${this.name}] kernel ready (pid ${session.pid}) · backend ${session.backend?.label ?? 'not reported yet'}`);
    this.setState('idle');
    void this.pollBackend(session);
    return session;
  }

  private async pollBackend(session: KernelSession): Promise<void> {
    for (let i = 0; i < BACKEND_POLLS && !session.backend && this.session === session && session.isAlive; i++) {
      await new Promise((r) => setTimeout(r, BACKEND_POLL_MS));
      if (await session.refreshBackend()) this.backendChanged(session);
    }
  }

  private backendChanged(session: KernelSession): void {
    this.host.log(`[${this.name}] backend: ${session.backend?.label}${session.backend?.reason ? ` (${session.backend.reason})` : ''}`);
    this.changed.fire(this);
  }

  private onExit(session: KernelSession, exit: KernelExit): void {
    if (this.session !== session) return;
    this.session = undefined;
    this.stopReason = `the kernel process exited (${exit.code})`;
    this.host.log(`[${this.name}] kernel process exited unexpectedly (${exit.code})`);
    this.cancelPending();
    this.setState('dead');
    if (!this.disposed) this.host.onCrash(this, exit);
  }

  private async stopSession(reason: string): Promise<void> {
    const session = this.session ?? (await this.starting?.catch(() => undefined));
    this.session = undefined;
    this.finished.clear();
    if (!session) return;
    this.stopReason = reason;
    this.host.log(`[${this.name}] stopping kernel (pid ${session.pid}): ${reason}`);
    await session.shutdown();
  }

  private cancelPending(): void {
    if (this.pending.size)
      this.host.log(`[${this.name}] cancelled queued cell(s) ${[...this.pending].map((e) => e.cell.index + 1).join(', ')}`);
    for (const execution of this.pending) execution.end(undefined);
    this.pending.clear();
  }

  private async runCell(execution: vscode.NotebookCellExecution): Promise<boolean> {
    const cell = execution.cell;
    const key = cell.document.uri.toString();
    execution.start(Date.now());
    this.displays.forgetCell(key);
    await execution.clearOutput();
    const target = new ExecutionTarget(this.host.controller, cell, execution);
    const stream = new CellOutputStream(target, this.displays, key);
    let session: KernelSession;
    try {
      session = await this.ensureSession();
    } catch (e) {
      await stream.appendError({ ename: 'KernelStartError', evalue: (e as Error).message });
      execution.end(false, Date.now());
      return false;
    }
    this.setState('busy');
    let success = false;
    let msgId: string | undefined;
    const started = new Date();
    try {
      const run = session.client.execute(cell.document.getText(), {
        stopOnError: true,
        onInput: async (prompt, password) =>
          (await vscode.window.showInputBox({ prompt: prompt || 'Input requested by the kernel', password, ignoreFocusOut: true })) ?? '',
      });
      msgId = run.msgId;
      this.host.log(`[${this.name}] cell ${cell.index + 1} running`);
      for await (const message of run) {
        const content = message.content as Record<string, unknown>;
        if (message.header.msg_type === 'execute_input' && typeof content.execution_count === 'number') {
          execution.executionOrder = content.execution_count;
        }
        await stream.handle(message.header.msg_type, content);
      }
      this.rememberFinished(msgId, stream);
      const replyMessage = await run.reply;
      const replyMetadata = replyMessage.metadata as Record<string, unknown>;
      const reply = replyMessage.content;
      if (typeof reply.execution_count === 'number') execution.executionOrder = reply.execution_count;
      success = reply.status === 'ok';
      // Before execution.end(): the ipynb serializer answers the end by rewriting the cell's
      // metadata from its own earlier copy, which would drop a record written after it.
      const finished = new Date();
      const timing = {
        started: started.toISOString(),
        finished: finished.toISOString(),
        seconds: (finished.getTime() - started.getTime()) / 1000,
      };
      await this.runRecord
        .cellFinished(cell, timing, replyMetadata)
        .catch((e) => this.host.log(`[${this.name}] run record not written: ${(e as Error).message}`));
    } catch (e) {
      const why = this.stopReason ?? (e as Error).message;
      const tail = session.logTail().slice(-10);
      await stream.appendError({
        ename: 'KernelStopped',
        evalue: `The cell did not finish: ${why}.`,
        traceback: [`KernelStopped: The cell did not finish: ${why}.`, ...(tail.length ? ['', 'Last kernel output:', ...tail] : [])],
      });
    } finally {
      target.detach();
      execution.end(success, Date.now());
      this.host.log(`[${this.name}] cell ${cell.index + 1} ${success ? 'done' : 'failed'}`);
      if (this.session === session) this.setState('idle');
    }
    if (this.session === session && !session.backend && (await session.refreshBackend())) this.backendChanged(session);
    return success;
  }

  private rememberFinished(msgId: string, stream: CellOutputStream<vscode.NotebookCellOutput>): void {
    this.finished.set(msgId, stream);
    if (this.finished.size > LATE_OUTPUT_REQUESTS) this.finished.delete(this.finished.keys().next().value as string);
  }

  /** Output that arrives after its cell finished (a timer, a late rejection) still lands in that cell. */
  private routeLateOutput(message: Message): void {
    const id = parentId(message);
    const stream = id ? this.finished.get(id) : undefined;
    if (!stream || message.header.msg_type === 'status') return;
    this.lateOutput = this.lateOutput
      .then(() => stream.handle(message.header.msg_type, message.content as Record<string, unknown>))
      .catch((e) => this.host.log(`[${this.name}] late output lost: ${(e as Error).message}`));
  }

  private setState(state: KernelState): void {
    if (this.state === state) return;
    this.state = state;
    this.changed.fire(this);
  }
}
