// The executor's side of the language-service worker: each call is a message, answered in order.

import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CompleteResult, InspectResult } from './executorApi';
import type { LanguageCall, LanguageResponse } from './languageMessages';
import type { GlobalTypes, TypeDiagnostic } from './languageService';

/** Under tsx (tests, development) the worker is TypeScript too: register tsx in it first. */
function workerEntry(): { script: string; eval: boolean } {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `languageWorker${ext}`);
  if (ext !== '.ts') return { script: file, eval: false };
  return { script: `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(file)});`, eval: true };
}

export class LanguageServiceClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(cwd: string, globals: GlobalTypes, kernelDir: string) {
    const entry = workerEntry();
    this.worker = new Worker(entry.script, { eval: entry.eval, workerData: { cwd, globals, kernelDir } });
    this.worker.on('message', (res: LanguageResponse) => {
      const waiter = this.pending.get(res.id);
      this.pending.delete(res.id);
      if (res.error !== undefined) waiter?.reject(new Error(`language service: ${res.error}`));
      else waiter?.resolve(res.result);
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const waiter of this.pending.values()) waiter.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', (err) => fail(new Error(`language service worker failed: ${err.message}`)));
    this.worker.on('exit', (code) => fail(new Error(`language service worker exited (code ${code})`)));
  }

  /** Whether the worker is gone (crashed or closed); a new client is needed then. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  private call<T>(request: LanguageCall): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  check(code: string): Promise<TypeDiagnostic[]> {
    return this.call({ method: 'check', code });
  }

  commit(code: string): Promise<void> {
    return this.call({ method: 'commit', code });
  }

  complete(code: string, cursorPos: number): Promise<CompleteResult> {
    return this.call({ method: 'complete', code, cursorPos });
  }

  inspect(code: string, cursorPos: number, detailLevel: number): Promise<InspectResult> {
    return this.call({ method: 'inspect', code, cursorPos, detailLevel });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
