// Picks the TensorFlow.js backend ConvKAN runs on and says why, trying the backends of
// backendChoices.ts in order: tfjs-node-gpu, then tfjs-node (both optional dependencies whose
// install downloads libtensorflow, so they are often missing), then wasm (multithreaded when it
// starts, see wasmThreads.ts), then cpu.
// CONVKAN_BACKEND (or opts.prefer) forces one; a forced backend that cannot start is an error.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type * as TfWasm from '@tensorflow/tfjs-backend-wasm';
import { BACKEND_CHOICES, BACKEND_ENV, BACKENDS, backendDefinition, type BackendChoice, type BackendId } from './backendChoices';
import { patchNodeWorkerForWasmThreads, withLogicalCpus } from './wasmThreads';

export { BACKEND_CHOICES, BACKEND_ENV, type BackendChoice };
/** Threads for the wasm backend; 1 selects the single-threaded SIMD build (no workers). */
export const WASM_THREADS_ENV = 'CONVKAN_WASM_THREADS';
/** XNNPACK in tfjs-backend-wasm pre-creates 8 workers: more threads would spawn extra ones lazily. */
export const MAX_WASM_THREADS = 8;

export interface BackendInfo {
  /** tfjs backend name: one of BACKENDS' ids (or what tf.getBackend() says when set elsewhere). */
  name: string;
  /** 'GPU (tfjs-node-gpu)' | 'tensorflow (tfjs-node)' | 'wasm (SIMD, N threads)' | 'cpu' */
  label: string;
  /** Why this backend: what was asked for and what failed before it. */
  reason: string;
  simd?: boolean;
  threads?: number;
}

export interface InitBackendOptions {
  /** One of BACKEND_CHOICES; CONVKAN_BACKEND, when set, takes precedence. */
  prefer?: string;
  /** Environment to read CONVKAN_BACKEND / CONVKAN_WASM_THREADS from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Module loader for the optional tfjs-node packages (default require); tests inject one. */
  requireModule?: (id: string) => unknown;
}

let current: BackendInfo | undefined;

/**
 * The wasm backend package, loaded on first use: importing it registers a 'wasm' backend with a
 * higher priority than cpu, which would silently change the default backend of every program
 * that merely imports this module.
 */
function wasmPackage(): typeof TfWasm {
  return require('@tensorflow/tfjs-backend-wasm') as typeof TfWasm;
}

/** Validates the requested backend; env wins over opts.prefer. Throws naming the source, the allowed values and the value. */
export function resolveBackendChoice(env: Record<string, string | undefined>, prefer?: string): { choice: BackendChoice; source: string } {
  const fromEnv = env[BACKEND_ENV];
  const [raw, source] =
    fromEnv !== undefined && fromEnv !== ''
      ? [fromEnv, BACKEND_ENV]
      : prefer !== undefined
        ? [prefer, 'initBackend({ prefer })']
        : ['auto', 'default'];
  const value = raw.trim().toLowerCase();
  if (!(BACKEND_CHOICES as readonly string[]).includes(value)) {
    throw new Error(`${source} must be one of ${BACKEND_CHOICES.join(', ')}, but got ${JSON.stringify(raw)}.`);
  }
  return { choice: value as BackendChoice, source };
}

/** Number of wasm threads from CONVKAN_WASM_THREADS, else one per logical CPU (at most 8). */
export function resolveWasmThreads(env: Record<string, string | undefined>): number {
  const raw = env[WASM_THREADS_ENV];
  if (raw === undefined || raw === '') return Math.max(1, Math.min(MAX_WASM_THREADS, os.cpus().length));
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new Error(`${WASM_THREADS_ENV} must be an integer from 1 to ${MAX_WASM_THREADS}, but got ${JSON.stringify(raw)}.`);
  }
  return n;
}

/**
 * Starts one backend; on failure pushes why (one entry per package tried) to `failures` and
 * answers undefined. The reason it returns is appended to those of the backends tried before.
 */
type BackendStarter = (
  failures: string[],
  env: Record<string, string | undefined>,
  requireModule: (id: string) => unknown,
) => Promise<BackendInfo | undefined>;

const STARTERS: Record<BackendId, BackendStarter> = {
  tensorflow: (failures, _env, requireModule) => tryTensorflow(requireModule, failures),
  wasm: async (failures, env) => {
    try {
      return await startWasm(resolveWasmThreads(env));
    } catch (e) {
      failures.push(`wasm failed: ${message(e)}`);
      return undefined;
    }
  },
  cpu: async (failures) => {
    if (await tf.setBackend('cpu'))
      return { name: 'cpu', label: backendDefinition('cpu').packages[0].label, reason: 'using the plain JavaScript cpu backend' };
    failures.push("tf.setBackend('cpu') returned false");
    return undefined;
  },
};

export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  const env = opts.env ?? process.env;
  const requireModule = opts.requireModule ?? requireTfjsNode;
  const { choice, source } = resolveBackendChoice(env, opts.prefer);
  const asked = source === 'default' ? 'auto (default)' : `${choice} (from ${source})`;
  const failures: string[] = [];
  for (const { id } of choice === 'auto' ? BACKENDS : [backendDefinition(choice)]) {
    const info = await STARTERS[id](failures, env, requireModule);
    if (info) return remember({ ...info, reason: `${asked}: ${[...failures, info.reason].join('; ')}` });
  }
  if (choice !== 'auto') throw new Error(`Backend '${choice}' was requested (${source}) but cannot start: ${failures.join('; ')}.`);
  throw new Error(`No TensorFlow.js backend could start: ${failures.join('; ')}.`);
}

/** The backend tfjs is using now, described like initBackend's answer. */
export function describeBackend(): BackendInfo {
  const name = tf.getBackend();
  if (current && current.name === name) return { ...current };
  if (name === 'wasm') {
    const threads = wasmPackage().getThreadsCount();
    return { name, label: wasmLabel(threads, undefined), reason: 'set outside initBackend', threads };
  }
  return { name, label: name, reason: 'set outside initBackend' };
}

/**
 * require() for tfjs-node(-gpu) that first checks the native addon is there. Why: npm leaves the
 * package in place when its install script (the libtensorflow download) fails; requiring it then
 * registers ~150 'tensorflow' kernels before it throws, and the second package warns about each.
 */
function requireTfjsNode(pkg: string): unknown {
  const dir = path.dirname(require.resolve(`${pkg}/package.json`));
  const lib = path.join(dir, 'lib');
  const built = fs.existsSync(lib) && fs.readdirSync(lib).some((d) => fs.existsSync(path.join(lib, d, 'tfjs_binding.node')));
  if (!built)
    throw new Error(
      `installed, but its native addon ${path.join(lib, 'napi-v*', 'tfjs_binding.node')} is missing (its install script ` +
        `downloads libtensorflow)`,
    );
  return require(pkg);
}

function remember(info: BackendInfo): BackendInfo {
  current = info;
  return { ...info };
}

async function tryTensorflow(requireModule: (id: string) => unknown, failures: string[]): Promise<BackendInfo | undefined> {
  for (const { pkg, label } of backendDefinition('tensorflow').packages) {
    try {
      requireModule(pkg); // registers the 'tensorflow' backend with tfjs-core
    } catch (e) {
      failures.push(`${pkg} not usable (${firstLine(message(e))})`);
      continue;
    }
    try {
      if (await tf.setBackend('tensorflow')) return { name: 'tensorflow', label, reason: `${pkg} loaded` };
      failures.push(`${pkg} loaded but tf.setBackend('tensorflow') returned false`);
    } catch (e) {
      failures.push(`${pkg} loaded but its backend failed: ${firstLine(message(e))}`);
    }
  }
  return undefined;
}

let wasmStarted: { threads: number; simd: boolean } | undefined;

async function startWasm(threads: number): Promise<BackendInfo> {
  if (wasmStarted) {
    // tfjs keeps one wasm module per process; switching back to it reuses it as it was built.
    if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') returned false");
    return wasmInfo(wasmStarted.threads, wasmStarted.simd, `wasm already initialized in this process (${wasmStarted.threads} threads)`);
  }
  const tfwasm = wasmPackage();
  tfwasm.setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  let note = '';
  if (threads > 1 && simd) {
    patchNodeWorkerForWasmThreads();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    tfwasm.setThreadsCount(threads);
    try {
      // tfjs logs the cause and answers false when a backend fails to start
      const ok = await withLogicalCpus(threads, () => tf.setBackend('wasm'));
      if (!ok) throw new Error("tf.setBackend('wasm') returned false");
    } catch (e) {
      // fall back to the single-threaded SIMD build
      note = `threaded build failed (${firstLine(message(e))}), using 1 thread; `;
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      if (!(await tf.setBackend('wasm'))) throw new Error(`${note}and the single-threaded build failed too`);
    }
  } else {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') returned false");
  }
  const actual = tfwasm.getThreadsCount();
  wasmStarted = { threads: actual, simd };
  return wasmInfo(actual, simd, `${note}wasm started with ${simd ? 'SIMD' : 'no SIMD'} and ${actual} thread${actual === 1 ? '' : 's'}`);
}

function wasmInfo(threads: number, simd: boolean, reason: string): BackendInfo {
  return { name: 'wasm', label: wasmLabel(threads, simd), reason, simd, threads };
}

function wasmLabel(threads: number, simd: boolean | undefined): string {
  const s = simd === false ? 'no SIMD' : 'SIMD';
  return `wasm (${s}, ${threads} thread${threads === 1 ? '' : 's'})`;
}

function message(e: unknown): string {
  return e instanceof Error
    ? e.message
    : typeof e === 'object' && e && 'message' in e
      ? String((e as { message: unknown }).message)
      : String(e);
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
