// One running kernel process for one notebook: starts it (startKernel, kernel/protocol/connection.ts) with
// the user's Node, arguments and backend, keeps the tail of its log for crash reports,
// notices an unexpected exit, interrupts (interrupt_request, then SIGINT if the kernel does not
// answer) and shuts it down. No `vscode` import: the log goes to a callback, so this is tested
// against the real kernel in plain Node.

import type { ChildProcess } from 'node:child_process';
import type { KernelClient } from '../kernel/protocol/client';
import { startKernel, type StartedKernel } from '../kernel/protocol/connection';
import { BACKEND_ENV, type BackendChoice } from '../kernel/convkan/backend/backendChoices';
import { backendFromKernelInfo, type KernelBackend } from './kernelInfo';
import type { NodeRuntime } from './nodeRuntime';

export interface KernelLaunch {
  /** Absolute path of out/kernel/main.js (inside the installed extension). */
  kernelMain: string;
  runtime: NodeRuntime;
  kernelArgs: string[];
  backend: BackendChoice;
  /** Working directory of the kernel: the notebook's folder, so relative imports resolve. */
  cwd: string;
  readyTimeoutMs?: number;
}

export interface KernelExit {
  /** Exit code, or the signal name, or null when the process could not start. */
  code: number | string | null;
  /** The last lines the kernel wrote to stdout/stderr. */
  logTail: string[];
}

const LOG_TAIL_LINES = 40;
const INTERRUPT_REPLY_TIMEOUT_MS = 3000;
const SHUTDOWN_TIMEOUT_MS = 3000;
/** Generous: a cold start on a busy 2-core machine loads the TypeScript service first. */
const DEFAULT_READY_TIMEOUT_MS = 60_000;

export class KernelSession {
  /** The TensorFlow.js backend, once the kernel has reported it. */
  backend: KernelBackend | undefined;
  private readonly tail: string[];
  private stopping = false;

  private constructor(
    private readonly started: StartedKernel,
    readonly launch: KernelLaunch,
    tail: string[],
    onExit: (exit: KernelExit) => void,
  ) {
    this.tail = tail;
    this.backend = backendFromKernelInfo(started.kernelInfo.content);
    // By then startKernel has closed the client: pending requests and running cells have failed.
    void started.exited.then((code) => {
      if (!this.stopping) onExit({ code, logTail: [...this.tail] });
    });
  }

  /**
   * Spawns the kernel and waits until it answers kernel_info. `log` receives every line the
   * kernel prints; `onExit` is called when the process ends without shutdown() having been asked.
   */
  static async start(launch: KernelLaunch, log: (line: string) => void, onExit: (exit: KernelExit) => void): Promise<KernelSession> {
    const tail: string[] = [];
    const onLog = (line: string) => {
      tail.push(line);
      if (tail.length > LOG_TAIL_LINES) tail.shift();
      log(line);
    };
    const env: Record<string, string> = { ...launch.runtime.env };
    if (launch.backend !== 'auto') env[BACKEND_ENV] = launch.backend;
    let started: StartedKernel;
    try {
      started = await startKernel({
        command: [launch.runtime.command, launch.kernelMain],
        args: launch.kernelArgs,
        cwd: launch.cwd,
        env,
        // A restart from VS Code starts a fresh process (new settings, backend).
        inProcessRestart: false,
        onLog,
        readyTimeoutMs: launch.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
      });
    } catch (e) {
      const detail = tail.length ? `\nLast kernel output:\n${tail.join('\n')}` : '';
      throw new Error(`ConvKAN kernel did not start: ${(e as Error).message}${detail}`);
    }
    return new KernelSession(started, launch, tail, onExit);
  }

  get client(): KernelClient {
    return this.started.client;
  }

  get process(): ChildProcess {
    return this.started.process;
  }

  get connectionFile(): string {
    return this.started.connectionFile;
  }

  get pid(): number | undefined {
    return this.started.process.pid;
  }

  get isAlive(): boolean {
    return this.started.process.exitCode === null && this.started.process.signalCode === null;
  }

  logTail(): string[] {
    return [...this.tail];
  }

  /**
   * Asks kernel_info again while the backend is unknown (the kernel answers before TensorFlow.js
   * has loaded). Returns true when the backend changed.
   */
  async refreshBackend(): Promise<boolean> {
    if (!this.isAlive) return false;
    try {
      const reply = await this.client.kernelInfo(5000);
      const next = backendFromKernelInfo(reply.content);
      if (!next || (this.backend && next.name === this.backend.name && next.label === this.backend.label)) return false;
      this.backend = next;
      return true;
    } catch {
      return false;
    }
  }

  /** interrupt_request on control; if the kernel does not answer in time, SIGINT (which it also handles). */
  async interrupt(): Promise<void> {
    if (!this.isAlive) return;
    try {
      await this.client.interrupt(INTERRUPT_REPLY_TIMEOUT_MS);
    } catch {
      this.started.process.kill('SIGINT');
    }
  }

  /** shutdown_request, then kill if it does not exit; onExit is not called for this. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await this.started.dispose(SHUTDOWN_TIMEOUT_MS);
  }
}
