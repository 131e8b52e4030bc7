// Starts a real kernel process (kernel/main.ts under tsx) with the fake executor, over ZeroMQ,
// and small helpers shared by the conformance tests.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKernel, type StartedKernel, type StartKernelOptions } from '../../kernel/protocol/connection';
import type { Message } from '../../kernel/protocol/messages';

export const FAKE_EXECUTOR = path.join(__dirname, 'fakeExecutor.ts');

export interface TestKernel extends StartedKernel {
  log: string[];
  historyDir: string;
}

export async function startTestKernel(options: StartKernelOptions = {}): Promise<TestKernel> {
  const historyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-history-'));
  const log: string[] = [];
  const kernel = await startKernel({
    ...options,
    env: { CONVKAN_EXECUTOR_MODULE: FAKE_EXECUTOR, CONVKAN_HISTORY_DIR: historyDir, ...options.env },
    onLog: (line) => log.push(line),
  });
  const dispose = kernel.dispose;
  return Object.assign(kernel, {
    log,
    historyDir,
    dispose: async (timeoutMs?: number) => {
      await dispose(timeoutMs);
      fs.rmSync(historyDir, { recursive: true, force: true });
    },
  });
}

/** Collects every iopub message whose parent is msgId, until its idle status (status messages included). */
export function iopubOf(kernel: StartedKernel, msgId: string): Promise<Message[]> {
  return new Promise((resolve) => {
    const seen: Message[] = [];
    const stop = kernel.client.onIopub((m) => {
      if ((m.parent_header as { msg_id?: string }).msg_id !== msgId) return;
      seen.push(m);
      if (m.header.msg_type === 'status' && (m.content as { execution_state: string }).execution_state === 'idle') {
        stop();
        resolve(seen);
      }
    });
  });
}

/** Resolves when an iopub message of `msgType` with parent msgId arrives (e.g. execute_input: the cell has started). */
export function waitForIopub(kernel: StartedKernel, msgId: string, msgType: string): Promise<Message> {
  return new Promise((resolve) => {
    const stop = kernel.client.onIopub((m) => {
      if ((m.parent_header as { msg_id?: string }).msg_id === msgId && m.header.msg_type === msgType) {
        stop();
        resolve(m);
      }
    });
  });
}

export async function evaluate(kernel: StartedKernel, code: string): Promise<string | undefined> {
  const { outputs, reply } = await kernel.client.execute(code).done();
  if (reply.content.status !== 'ok') throw new Error(`cell ${JSON.stringify(code)} failed: ${JSON.stringify(reply.content)}`);
  const result = outputs.find((m) => m.header.msg_type === 'execute_result');
  return (result?.content as { data?: Record<string, string> } | undefined)?.data?.['text/plain'];
}

/** Records every iopub message of a kernel; `until(msgId)` resolves with that request's messages once it is idle. */
export function recordIopub(kernel: StartedKernel): { all: Message[]; until(msgId: string): Promise<Message[]> } {
  const all: Message[] = [];
  const waiters: Array<() => void> = [];
  kernel.client.onIopub((m) => {
    all.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const of = (msgId: string) => all.filter((m) => (m.parent_header as { msg_id?: string }).msg_id === msgId);
  const isIdle = (m: Message) => m.header.msg_type === 'status' && (m.content as { execution_state: string }).execution_state === 'idle';
  return {
    all,
    async until(msgId) {
      while (!of(msgId).some(isIdle)) await new Promise<void>((resolve) => waiters.push(resolve));
      return of(msgId);
    },
  };
}
