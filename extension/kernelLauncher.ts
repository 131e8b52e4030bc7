// Spawns a kernel process and connects a KernelClient to it, like kernel/protocol/connection.ts's
// startKernel, but waits for readiness in a way that stops as soon as the process has exited:
// KernelClient.ready() retries in a tight loop once its client is closed, which would starve the
// extension host's event loop for the whole ready timeout when a kernel fails to start.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KernelClient } from '../kernel/protocol/client';
import { createConnectionInfo, writeConnectionFile } from '../kernel/protocol/connectionInfo';
import { spawnKernelEnv } from '../kernel/protocol/kernelEnv';
import { PARENT_PID_ENV } from '../kernel/protocol/parentWatch';
import { parentId, type KernelInfoReply, type Message } from '../kernel/protocol/messages';

export interface LaunchedKernel {
  client: KernelClient;
  process: ChildProcess;
  kernelInfo: Message<KernelInfoReply>;
  /** The connection file (in a private temp folder, removed when the process ends). */
  connectionFile: string;
  /** Exit code, or signal name, or null when the process could not be spawned. */
  exited: Promise<number | string | null>;
  /** shutdown_request, then SIGKILL if it has not exited within timeoutMs; removes the connection file. */
  dispose(timeoutMs: number): Promise<void>;
}

export interface LaunchOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  onLog(line: string): void;
  readyTimeoutMs: number;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Kernels still running when the extension host exits (VS Code closed, window reloaded) would
 * stay behind holding their ports: kill them on the way out.
 */
const running = new Map<ChildProcess, () => void>();
let exitHookInstalled = false;
function killOnHostExit(child: ChildProcess, removeFiles: () => void): void {
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

export async function launchKernel(opts: LaunchOptions): Promise<LaunchedKernel> {
  const info = await createConnectionInfo();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-vscode-'));
  const connectionFile = path.join(dir, 'connection.json');
  writeConnectionFile(connectionFile, info);
  const removeFiles = () => fs.rmSync(dir, { recursive: true, force: true });

  const args = [...opts.args, '--connection-file', connectionFile];
  const child = spawn(opts.command, args, {
    cwd: opts.cwd,
    env: spawnKernelEnv({ [PARENT_PID_ENV]: String(process.pid), ...opts.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killOnHostExit(child, removeFiles);
  // The connection file (it holds the signing key) goes with the process, however it ends.
  child.once('exit', removeFiles);
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) opts.onLog(line);
    });
  }
  let exitCode: number | string | null | undefined;
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => resolve((exitCode = code ?? signal)));
    child.once('error', (e) => {
      opts.onLog(`kernel process failed to start: ${e.message}`);
      resolve((exitCode = null));
    });
  });

  const client = await KernelClient.connect(info, { log: opts.onLog });
  let kernelInfo: Message<KernelInfoReply>;
  try {
    kernelInfo = await waitReady(client, () => exitCode !== undefined, opts.readyTimeoutMs);
  } catch (e) {
    await client.close();
    child.kill('SIGKILL');
    removeFiles();
    const how = exitCode !== undefined ? `the process exited with ${exitCode}` : (e as Error).message;
    throw new Error(`${how} before it answered kernel_info_request (command: ${[opts.command, ...args].join(' ')})`);
  }

  let disposing: Promise<void> | undefined;
  const dispose = (timeoutMs: number) =>
    (disposing ??= (async () => {
      if (exitCode === undefined) {
        await client.shutdown(false, timeoutMs).catch(() => undefined);
        await Promise.race([exited, delay(timeoutMs)]);
      }
      await client.close();
      if (exitCode === undefined) {
        child.kill('SIGKILL');
        await Promise.race([exited, delay(timeoutMs)]);
      }
      removeFiles();
    })());
  return { client, process: child, kernelInfo, connectionFile, exited, dispose };
}

/**
 * kernel_info until it is answered AND its iopub status arrived (then the iopub subscription is
 * live and no output of the first cell is lost). Gives up at once when the process has exited.
 */
async function waitReady(client: KernelClient, hasExited: () => boolean, timeoutMs: number): Promise<Message<KernelInfoReply>> {
  const deadline = Date.now() + timeoutMs;
  const statusFor = new Set<string>();
  const unsubscribe = client.onIopub((m) => {
    const id = parentId(m);
    if (id && m.header.msg_type === 'status') statusFor.add(id);
  });
  try {
    while (!hasExited()) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no kernel_info_reply with iopub status within ${timeoutMs} ms`);
      const reply = await client.kernelInfo(Math.min(remaining, 1000)).catch(() => undefined);
      if (!reply) {
        await delay(50); // the kernel is still starting (or gone): never spin
        continue;
      }
      const requestId = parentId(reply);
      for (let waited = 0; waited < 500 && !hasExited(); waited += 10) {
        if (requestId && statusFor.has(requestId)) return reply;
        await delay(10);
      }
    }
    throw new Error('the kernel process exited');
  } finally {
    unsubscribe();
  }
}
