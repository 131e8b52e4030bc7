// Runs an export of basisKernels.wat over a range [0, count) split across threads: Node worker_threads
// that instantiate the same wasm module on the SAME shared memory as tfjs-backend-wasm's threaded build
// (so pointers are tfjs tensors, as on the main thread), plus the main thread, which takes the first
// share. One pool per wasm memory (a new backend instance has a new memory), created on first use, with
// the backend's thread count − 1 workers. Jobs go through a small SharedArrayBuffer control block:
// the main thread writes the export, its arguments and one range per worker, bumps a generation
// counter and notifies; each worker (idle in Atomics.wait) runs its range and decrements a pending
// counter; the main thread runs its own range, then waits (Atomics.wait; Node allows it on the main
// thread) until pending is 0. A worker's exception comes back as text through a MessagePort that the
// main thread reads synchronously (receiveMessageOnPort). Workers are unref()ed and never print.
import type { WasmBackendLike, WasmMemory } from './basisWasm';
import { basisWasm, basisWasmModule, isSharedMemory, wasmMemoryOf } from './basisWasm';

/** Exports that take (…, begin, end) as their last two parameters. */
export type RangeExport =
  | 'conv2dFilterGradTaps'
  | 'bspline3Coefs'
  | 'sparseKanConv2d'
  | 'bspline3Forward'
  | 'bspline3Backward'
  | 'polyForward'
  | 'polyBackward'
  | 'polyRangeForward'
  | 'polyRangeBackward'
  | 'rbfForward'
  | 'rbfBackward'
  | 'reluKanForward'
  | 'reluKanBackward'
  | 'bernsteinForward'
  | 'bernsteinBackward'
  | 'waveletForward'
  | 'waveletBackward';

// control block layout (Int32 slots)
const GEN = 0; // job generation, bumped per job
const PENDING = 1; // workers that have not finished the current job
const EXPORT = 2; // index of the export in the module's function exports
const ARGC = 3;
const ARGS = 4;
const MAX_ARGS = 32;
const SLOTS = ARGS + MAX_ARGS;
// per worker: begin, end, status (0 ok, 1 failed), ready (1 once its instance exists or failed to)
const SLOT_SIZE = 4;
const BEGIN = 0;
const END = 1;
const STATUS = 2;
const READY = 3;
/** How long the main thread waits for a new worker to start before it gives up (it starts in well under a second). */
const START_LIMIT_MS = 30_000;

/** The worker, as CommonJS source text run with `eval: true`. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, index, names, port } = workerData;
const ctl = new Int32Array(control);
const base = ${SLOTS} + index * ${SLOT_SIZE};
let exports, initError;
try {
  exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
} catch (e) {
  initError = e;
}
Atomics.store(ctl, base + ${READY}, 1);
Atomics.notify(ctl, base + ${READY});
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${GEN}, seen);
  const gen = Atomics.load(ctl, ${GEN});
  if (gen === seen) continue;
  seen = gen;
  const begin = ctl[base + ${BEGIN}];
  const end = ctl[base + ${END}];
  ctl[base + ${STATUS}] = 0;
  if (begin < end) {
    try {
      if (initError) throw initError;
      const args = [];
      for (let i = 0; i < ctl[${ARGC}]; i++) args.push(ctl[${ARGS} + i]);
      exports[names[ctl[${EXPORT}]]](...args, begin, end);
    } catch (e) {
      ctl[base + ${STATUS}] = 1;
      port.postMessage(String(e));
    }
  }
  if (Atomics.sub(ctl, ${PENDING}, 1) === 1) Atomics.notify(ctl, ${PENDING});
}
`;

/** What we use of Node's worker_threads, typed loosely (this module also loads where there is none). */
interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'exit' | 'error', fn: (arg: unknown) => void): void;
}
interface NodeMessagePort {
  close(): void;
}
interface WorkerThreads {
  Worker: new (source: string, options: Record<string, unknown>) => NodeWorker;
  MessageChannel: new () => { port1: NodeMessagePort; port2: NodeMessagePort };
  receiveMessageOnPort(port: NodeMessagePort): { message: unknown } | undefined;
}

interface Pool {
  workers: NodeWorker[];
  ports: NodeMessagePort[];
  ctl: Int32Array;
  names: string[];
  /** Set when a worker exited or failed to start: the pool is not used again. */
  broken?: string;
}

const pools = new WeakMap<WasmMemory, Pool>();
let serial = 0;
const stats = { parallelCalls: 0, serialCalls: 0 };

function workerThreads(): WorkerThreads | undefined {
  if (typeof process === 'undefined' || !process.versions?.node || typeof SharedArrayBuffer === 'undefined') return undefined;
  try {
    return require('node:worker_threads') as WorkerThreads;
  } catch {
    return undefined;
  }
}

/** The wasm backend's thread count (tfjs' pool size, main thread included); 1 where it does not say. */
export function wasmThreadCount(backend: WasmBackendLike): number {
  const n = backend.wasm?.tfjs?.getThreadsCount?.();
  return typeof n === 'number' && Number.isInteger(n) && n > 1 ? n : 1;
}

/** Runs fn with parallelFor forced to one call on the main thread (before/after benchmarks, bit-for-bit tests), then restores it. */
export function withSerialParallelFor<T>(fn: () => T): T {
  serial++;
  try {
    return fn();
  } finally {
    serial--;
  }
}

/** How many parallelFor calls ran split across threads and how many ran as one call (tests and benchmarks). */
export function parallelForStats(): { parallelCalls: number; serialCalls: number } {
  return { ...stats };
}

function createPool(wt: WorkerThreads, memory: WasmMemory, workers: number): Pool {
  const module = basisWasmModule(true);
  const WA = (globalThis as unknown as { WebAssembly: { Module: { exports(m: object): { name: string; kind: string }[] } } }).WebAssembly;
  const names = WA.Module.exports(module)
    .filter((e) => e.kind === 'function')
    .map((e) => e.name);
  const ctl = new Int32Array(new SharedArrayBuffer((SLOTS + workers * SLOT_SIZE) * 4));
  const pool: Pool = { workers: [], ports: [], ctl, names };
  for (let index = 0; index < workers; index++) {
    const { port1, port2 } = new wt.MessageChannel();
    const worker = new wt.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module, memory, control: ctl.buffer, index, names, port: port2 },
      transferList: [port2],
      stdout: true,
      stderr: true,
    });
    worker.unref();
    worker.on('error', (e) => (pool.broken ??= `worker ${index + 1} failed: ${String(e)}`));
    worker.on('exit', (code) => (pool.broken ??= `worker ${index + 1} exited with code ${String(code)}`));
    pool.workers.push(worker);
    pool.ports.push(port1);
  }
  return pool;
}

function poolFor(memory: WasmMemory, workers: number): Pool | undefined {
  let pool = pools.get(memory);
  if (pool && (pool.broken || pool.workers.length !== workers)) {
    discard(memory, pool);
    pool = undefined;
  }
  if (!pool) {
    const wt = workerThreads();
    if (!wt) return undefined;
    pool = createPool(wt, memory, workers);
    pools.set(memory, pool);
  }
  return pool;
}

function discard(memory: WasmMemory, pool: Pool): void {
  pools.delete(memory);
  for (const w of pool.workers) void w.terminate();
  for (const p of pool.ports) p.close();
}

function rangeText(begin: number, end: number): string {
  return `[${begin}, ${end})`;
}

/**
 * Calls `exports[exportName](...args, begin, end)` of basisKernels.wat over contiguous, disjoint ranges
 * that cover [0, count), each at least `minChunk` long, at most one per thread (the main thread takes the
 * first), and returns when all are done. The export must treat its ranges independently (each range
 * writes its own outputs), so the result is the same as one call `(...args, 0, count)`, bit for bit.
 * Runs that one call on the main thread instead when the memory is not shared (single-threaded build),
 * the backend has 1 thread, count < 2·minChunk, not in Node, or inside withSerialParallelFor.
 * args are int32 values (pointers, sizes), at most 32. count ≤ 0 calls nothing.
 * A range that throws (on a worker or the main thread) becomes an Error naming the export and the range,
 * thrown after every thread has finished.
 */
export function parallelFor(backend: WasmBackendLike, exportName: RangeExport, args: readonly number[], count: number, minChunk = 1): void {
  if (!Number.isInteger(count) || !Number.isInteger(minChunk) || minChunk < 1)
    throw new Error(`parallelFor(${exportName}): count and minChunk must be integers (minChunk ≥ 1), but got ${count} and ${minChunk}.`);
  if (args.length > MAX_ARGS || args.some((a) => !Number.isInteger(a) || a < -(2 ** 31) || a >= 2 ** 32))
    throw new Error(`parallelFor(${exportName}): expected at most ${MAX_ARGS} int32 arguments, but got [${args.join(', ')}].`);
  if (count <= 0) return;
  const memory = wasmMemoryOf(backend);
  if (!memory)
    throw new Error(`parallelFor(${exportName}): the wasm backend exposes no memory (expected Module.wasmMemory or Module.asm.memory).`);
  const threads = wasmThreadCount(backend);
  const parts = Math.min(threads, Math.floor(count / minChunk));
  const pool = serial === 0 && parts > 1 && isSharedMemory(memory) ? poolFor(memory, threads - 1) : undefined;
  const kernels = basisWasm(backend);
  const run = kernels[exportName] as unknown as (...a: number[]) => void;
  if (typeof run !== 'function') throw new Error(`parallelFor: the wasm kernels have no export ${JSON.stringify(exportName)}.`);
  if (!pool) {
    stats.serialCalls++;
    call(run, exportName, args, 0, count, 'the main thread');
    return;
  }
  stats.parallelCalls++;
  dispatch(pool, memory, exportName, run, args, count, parts);
}

function call(run: (...a: number[]) => void, exportName: string, args: readonly number[], begin: number, end: number, where: string): void {
  try {
    run(...args, begin, end);
  } catch (e) {
    throw new Error(`parallelFor: ${exportName} failed on ${where} for ${rangeText(begin, end)}: ${String(e)}`, {
      cause: e,
    });
  }
}

function dispatch(
  pool: Pool,
  memory: WasmMemory,
  exportName: string,
  run: (...a: number[]) => void,
  args: readonly number[],
  count: number,
  parts: number,
): void {
  const { ctl, workers } = pool;
  const exportIndex = pool.names.indexOf(exportName);
  if (exportIndex < 0) throw new Error(`parallelFor: the wasm module has no export ${JSON.stringify(exportName)}.`);
  const base = Math.floor(count / parts);
  const extra = count % parts;
  const ranges: [number, number][] = [];
  for (let i = 0, b = 0; i < workers.length + 1; i++) {
    const len = i < parts ? base + (i < extra ? 1 : 0) : 0;
    ranges.push([b, b + len]);
    b += len;
  }
  ctl[EXPORT] = exportIndex;
  ctl[ARGC] = args.length;
  args.forEach((a, i) => (ctl[ARGS + i] = a | 0));
  workers.forEach((_, w) => {
    const [b, e] = ranges[w + 1]!;
    ctl[SLOTS + w * SLOT_SIZE + BEGIN] = b;
    ctl[SLOTS + w * SLOT_SIZE + END] = e;
  });
  Atomics.store(ctl, PENDING, workers.length);
  Atomics.add(ctl, GEN, 1);
  Atomics.notify(ctl, GEN);
  let mainError: unknown;
  try {
    call(run, exportName, args, ranges[0]![0], ranges[0]![1], 'the main thread');
  } catch (e) {
    mainError = e;
  }
  // wait for every worker; one that has not started within START_LIMIT_MS breaks the pool
  const started = Date.now();
  for (let p = Atomics.load(ctl, PENDING); p !== 0; p = Atomics.load(ctl, PENDING)) {
    const notReady = workers.findIndex((_, w) => Atomics.load(ctl, SLOTS + w * SLOT_SIZE + READY) === 0);
    if (notReady >= 0 && Date.now() - started > START_LIMIT_MS) {
      discard(memory, pool);
      throw new Error(
        `parallelFor: ${exportName}: worker ${notReady + 1} of ${workers.length} did not start within ${START_LIMIT_MS} ms ` +
          `(its range ${rangeText(...ranges[notReady + 1]!)} did not run).`,
      );
    }
    Atomics.wait(ctl, PENDING, p, notReady >= 0 ? 100 : 1000);
  }
  if (mainError) throw mainError;
  for (let w = 0; w < workers.length; w++) {
    if (ctl[SLOTS + w * SLOT_SIZE + STATUS] !== 1) continue;
    const wt = workerThreads()!;
    // drain this worker's port: the last message is this job's error
    let text = 'no message';
    for (let m = wt.receiveMessageOnPort(pool.ports[w]!); m; m = wt.receiveMessageOnPort(pool.ports[w]!)) text = String(m.message);
    throw new Error(
      `parallelFor: ${exportName} failed on worker ${w + 1} of ${workers.length} for ${rangeText(...ranges[w + 1]!)}: ${text}`,
    );
  }
}

/** Fewest multiply-adds per thread of a convolution kernel (smaller jobs stay on one thread). */
export const MIN_MACS_PER_THREAD = 1 << 18;
/** Fewest values per thread of an elementwise basis kernel (smaller jobs stay on one thread). */
export const MIN_BASIS_VALUES_PER_THREAD = 1 << 12;
