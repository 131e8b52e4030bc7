// Starting a kernel as a child process: free ports, a connection file in a private temp dir,
// spawn, connect a KernelClient and wait until it is ready. The only launcher: the headless
// runner, the tests, the benchmark and the VS Code extension (extension/kernelProcess.ts) use it.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { KernelClient } from './client';
import { createConnectionInfo, writeConnectionFile, type ConnectionInfo } from './connectionInfo';
import { spawnKernelEnv } from './kernelEnv';
import { PARENT_PID_ENV } from './parentWatch';
import type { KernelInfoReply, Message } from './messages';

export * from './connectionInfo';

/** Flag of kernel/main.ts: shutdown_request with restart=true resets the executor instead of exiting. */
export const IN_PROCESS_RESTART_FLAG = '--restart-in-process';

export interface StartKernelOptions {
  /**
   * Program and arguments that start the kernel; "--connection-file <file>" is appended.
   * Default: defaultKernelCommand(). A bundled caller (the extension) passes its own path to out/kernel/main.js.
   */
  command?: string[];
  /** Extra kernel arguments, e.g. ['--block-on-type-errors']. */
  args?: string[];
  cwd?: string;
  /** Added to process.env; a GLIBC_TUNABLES here or in process.env is merged with ours (kernelEnv.ts). */
  env?: Record<string, string | undefined>;
  /** Default true: restart keeps the process (fast); Jupyter's own managers respawn instead. */
  inProcessRestart?: boolean;
  /** Kernel stderr/stdout lines (its log). Default: discarded. */
  onLog?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface StartedKernel {
  client: KernelClient;
  process: ChildProcess;
  connectionFile: string;
  connectionInfo: ConnectionInfo;
  kernelInfo: Message<KernelInfoReply>;
  /** Resolves with the exit code (or signal name) once the process ended. */
  exited: Promise<number | string | null>;
  /** Asks the kernel to shut down, kills it if it does not exit within timeoutMs, removes the connection file. */
  dispose(timeoutMs?: number): Promise<void>;
}

/** `node out/kernel/main.js`, or `node --import tsx kernel/main.ts` when this file itself runs from source. */
export function defaultKernelCommand(): string[] {
  const fromSource = __filename.endsWith('.ts');
  const main = path.resolve(__dirname, '..', fromSource ? 'main.ts' : 'main.js');
  if (!fromSource) return [process.execPath, main];
  // An absolute loader URL: the kernel's cwd (the notebook's folder) may have no node_modules/tsx.
  const tsx = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;
  return [process.execPath, '--import', tsx, main];
}

/**
 * Kernels still running when the process that started them exits (VS Code closed, a runner
 * stopped) would stay behind holding their ports: kill them and remove their files on the way out.
 */
const running = new Map<ChildProcess, () => void>();
let exitHookInstalled = false;
function killOnExit(child: ChildProcess, removeFiles: () => void): void {
  running.set(child, removeFiles);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [c, remove] of running) {
      c.kill('SIGKILL');
      remove();
    }
  });
}

/**
 * The one kernel launcher (runner, CLIs, tests, benchmark, VS Code extension): writes a connection
 * file with free ports, spawns the kernel, connects a KernelClient and waits until it is ready;
 * gives up at once when the process exits first.
 */
export async function startKernel(options: StartKernelOptions = {}): Promise<StartedKernel> {
  const info = await createConnectionInfo();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-kernel-'));
  const connectionFile = path.join(dir, 'connection.json');
  writeConnectionFile(connectionFile, info);
  const removeFiles = () => fs.rmSync(dir, { recursive: true, force: true });

  const [program, ...programArgs] = options.command ?? defaultKernelCommand();
  const args = [...programArgs, ...(options.args ?? [])];
  if (options.inProcessRestart ?? true) args.push(IN_PROCESS_RESTART_FLAG);
  args.push('--connection-file', connectionFile);
  const child = spawn(program, args, {
    cwd: options.cwd,
    env: spawnKernelEnv({ [PARENT_PID_ENV]: String(process.pid), ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killOnExit(child, removeFiles);
  // The connection file holds the signing key: it goes with the process, however that ends.
  child.once('exit', removeFiles);
  const log = options.onLog ?? (() => undefined);
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) log(line);
    });
  }
  let ended = false;
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = true;
      resolve(code ?? signal);
    });
    child.once('error', (e) => {
      ended = true;
      log(`kernel process failed to start: ${e.message}`);
      removeFiles();
      resolve(null);
    });
  });

  const client = await KernelClient.connect(info, { log });
  let kernelInfo: Message<KernelInfoReply>;
  try {
    const early = exited.then((code) => {
      throw new Error(
        `Kernel process exited with ${code} before it answered kernel_info_request (command: ${[program, ...args].join(' ')})`,
      );
    });
    kernelInfo = await Promise.race([client.ready(options.readyTimeoutMs ?? 60_000), early]);
  } catch (e) {
    // Closing the client also ends ready()'s retries, which stop once the client is closed.
    await client.close();
    child.kill('SIGKILL');
    removeFiles();
    throw e;
  }

  let disposed: Promise<void> | undefined;
  // A kernel that dies (crash, process.exit, OOM) fails what waits for it instead of leaving it waiting forever.
  void exited.then((code) => {
    if (!disposed) void client.close(new Error(`Kernel process exited (${code}) while requests were pending; see the kernel log`));
  });
  const dispose = (timeoutMs = 5000): Promise<void> =>
    (disposed ??= (async () => {
      if (!ended) {
        await client.shutdown(false, timeoutMs).catch(() => undefined);
        await Promise.race([exited, delay(timeoutMs)]);
      }
      await client.close();
      if (!ended) {
        child.kill('SIGKILL');
        await Promise.race([exited, delay(timeoutMs)]);
      }
      removeFiles();
    })());

  return { client, process: child, connectionFile, connectionInfo: info, kernelInfo, exited, dispose };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
