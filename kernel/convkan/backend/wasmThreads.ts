// Makes tfjs-backend-wasm's multithreaded (SIMD + pthreads) build start in Node.
//
// Out of the box it cannot, for three reasons (all in tfjs-backend-wasm 4.22):
//  1. the flag WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to false when IS_NODE;
//  2. the emscripten glue creates each pthread worker with `new Worker(blobUrl)`, and Node's
//     Worker refuses blob: URLs (ERR_WORKER_PATH); the worker is then sent the main script as a
//     Blob, which it can only load through a blob: URL again;
//  3. the C++ side caps the XNNPACK pool at os.cpus().length / 2 (it assumes 2 hyper-threads
//     per core), so on a 2-vCPU machine the pool has 1 thread even when the workers start.
// We fix 2 by handing Node's Worker the same worker script as source text (`eval: true`) with
// the main script given as a file path instead of a Blob, and 3 by reporting 2·N logical CPUs
// to the glue while the backend initializes. Nothing here touches tfjs' own files.
import * as path from 'node:path';

/** The pieces of Node's `os` and `worker_threads` modules we replace, typed loosely on purpose. */
type WorkerCtor = new (filename: string | URL, options?: Record<string, unknown>) => unknown;
interface WorkerThreadsModule {
  Worker: WorkerCtor;
}
interface OsModule {
  cpus: () => unknown[];
}

const WORKER_PATCHED = Symbol.for('convkan.wasmThreadsWorkerPatched');

function wasmPackageDir(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
}

/** Source of the pthread worker as tfjs embeds it, with the main script loaded from a file path. */
function workerSource(): string {
  const dir = wasmPackageDir();
  // The package ships the worker as a CommonJS module exporting its source text.
  const shipped = require(path.join(dir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  const glue = path.join(dir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  // The text holds "\n" escapes that the template literal turned into newlines inside string
  // literals: escape them again, as tfjs does before it makes its Blob.
  const body = shipped.wasmWorkerContents.replace(/\n/g, '\\n');
  const redirect = [
    'const convkanOnMessage = globalThis.onmessage;',
    'globalThis.onmessage = (e) => {',
    "  if (e.data && e.data.cmd === 'load' && typeof e.data.urlOrBlob !== 'string') e.data.urlOrBlob = " + JSON.stringify(glue) + ';',
    '  return convkanOnMessage(e);',
    '};',
  ].join('\n');
  return body + '\n' + redirect;
}

/**
 * Replaces worker_threads.Worker by a subclass that runs blob: URL workers from source text.
 * Only blob: URLs change (Node rejects them anyway); every other Worker is created unchanged.
 */
export function patchNodeWorkerForWasmThreads(): void {
  const wt = require('node:worker_threads') as WorkerThreadsModule & { [WORKER_PATCHED]?: boolean };
  if (wt[WORKER_PATCHED]) return;
  const Base = wt.Worker;
  let source: string | undefined;
  class BlobAwareWorker extends (Base as unknown as new (f: string | URL, o?: Record<string, unknown>) => object) {
    constructor(filename: string | URL, options?: Record<string, unknown>) {
      if (typeof filename === 'string' && filename.startsWith('blob:')) {
        source ??= workerSource();
        super(source, { ...options, eval: true });
        this.pthread = true;
        (this as unknown as { unref(): void }).unref();
      } else {
        super(filename, options);
      }
    }
    private readonly pthread?: boolean;
    // XNNPACK's pool threads live as long as the process; emscripten ref()s a worker while its
    // thread runs, which would keep Node from ever exiting. The main thread waits for them
    // synchronously anyway, so they need not hold the event loop.
    ref(): void {
      if (!this.pthread) (Base.prototype as unknown as { ref(this: object): void }).ref.call(this);
    }
  }
  wt.Worker = BlobAwareWorker as unknown as WorkerCtor;
  wt[WORKER_PATCHED] = true;
}

/**
 * Runs `init` while os.cpus() reports 2·threads entries, so that the wasm module's pool
 * (capped at cpus/2) gets `threads` threads; restores os.cpus afterwards.
 */
export async function withLogicalCpus<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const os = require('node:os') as OsModule;
  const original = os.cpus;
  os.cpus = () => {
    const real = original();
    return Array.from({ length: 2 * threads }, (_, i) => real[i % Math.max(1, real.length)]);
  };
  try {
    return await init();
  } finally {
    os.cpus = original;
  }
}
