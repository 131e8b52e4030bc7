// Instantiates basisKernels.wat on tfjs-backend-wasm's own memory, so the basis kernels read and
// write tfjs tensors in place (pointers are the tensors' heap offsets). One instance per wasm
// memory (a new backend instance has a new memory); undefined where the backend is not wasm.
import * as tf from '@tensorflow/tfjs';
import { BASIS_WASM_PLAIN, BASIS_WASM_SHARED } from './basisWasm.generated';

/** The exported kernels; every pointer is a byte offset in the tfjs heap. */
export interface BasisWasm {
  /** Each takes a range [begin, end) of the n values of x last (wasmThreadPool.parallelFor splits it). */
  bspline3Forward(
    x: number,
    features: number,
    knotsPerFeature: number,
    knots: number,
    out: number,
    withSilu: number,
    begin: number,
    end: number,
  ): void;
  bspline3Backward(
    dy: number,
    x: number,
    features: number,
    knotsPerFeature: number,
    knots: number,
    dx: number,
    withSilu: number,
    begin: number,
    end: number,
  ): void;
  polyForward(x: number, degree: number, coeffs: number, out: number, begin: number, end: number): void;
  polyBackward(dy: number, x: number, degree: number, coeffs: number, dx: number, begin: number, end: number): void;
  /** P_first … P_d only (first 0 or 1), rows of d + 1 − first values. */
  polyRangeForward(x: number, degree: number, coeffs: number, out: number, first: number, begin: number, end: number): void;
  polyRangeBackward(dy: number, x: number, degree: number, coeffs: number, dx: number, first: number, begin: number, end: number): void;
  /** rbf: params f32 [K + 1] = centres, spacing; out [n, K]. */
  rbfForward(x: number, K: number, params: number, out: number, begin: number, end: number): void;
  rbfBackward(dy: number, x: number, K: number, params: number, dx: number, begin: number, end: number): void;
  /** reluKan: params f32 [2K + 1] = starts, ends, norm; out [n, K]. */
  reluKanForward(x: number, K: number, params: number, out: number, begin: number, end: number): void;
  reluKanBackward(dy: number, x: number, K: number, params: number, dx: number, begin: number, end: number): void;
  /** bernstein of (tanh x + 1)/2: out [n, degree + 1]. */
  bernsteinForward(x: number, degree: number, out: number, begin: number, end: number): void;
  bernsteinBackward(dy: number, x: number, degree: number, dx: number, begin: number, end: number): void;
  /** Wavelets (kind 0 Mexican hat, 1 Morlet, 2 derivative of Gaussian): params as rbf's; out [n, K]. */
  waveletForward(x: number, kind: number, K: number, params: number, out: number, begin: number, end: number): void;
  waveletBackward(dy: number, x: number, kind: number, K: number, params: number, dx: number, begin: number, end: number): void;
  /** Sparse cubic B-spline basis of zero-padded x [N, H, W, F], padded rows [begin, end): per value 4 bases from `start`, SiLU, start. */
  bspline3Coefs(
    x: number,
    N: number,
    H: number,
    W: number,
    features: number,
    top: number,
    left: number,
    Hp: number,
    Wp: number,
    knotsPerFeature: number,
    knots: number,
    out: number,
    begin: number,
    end: number,
  ): void;
  /** filter [R, Cout] → [Cout/W, R, W] (W = 16 or 8, the sparse kernel's output block); see the .wat. */
  packSparseFilter(filter: number, packed: number, R: number, Cout: number, W: number): void;
  /** ConvKAN's grouped 'valid' conv over bspline3Coefs' output, work units (output block, output row) [begin, end); see the .wat. */
  sparseKanConv2d(
    coef: number,
    filter: number,
    out: number,
    Hp: number,
    Wp: number,
    Cin: number,
    OH: number,
    OW: number,
    Cout: number,
    kh: number,
    kw: number,
    sH: number,
    sW: number,
    dH: number,
    dW: number,
    groups: number,
    nb: number,
    block: number,
    rows: number,
    begin: number,
    end: number,
  ): void;
  /** Taps [tapBegin, tapEnd) of a 'valid' NHWC conv2d's filter gradient, tap t into out + t·Cin·Cout·4; see the .wat. */
  conv2dFilterGradTaps(
    x: number,
    dy: number,
    out: number,
    N: number,
    H: number,
    W: number,
    Cin: number,
    OH: number,
    OW: number,
    Cout: number,
    kW: number,
    dH: number,
    dW: number,
    top: number,
    left: number,
    sH: number,
    sW: number,
    tapBegin: number,
    tapEnd: number,
  ): void;
}

/** The WebAssembly API we use (this project's TypeScript libs declare no WebAssembly types). */
export interface WasmMemory {
  buffer: ArrayBufferLike;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** What we use of BackendWasm. */
export interface WasmBackendLike {
  wasm: { wasmMemory?: WasmMemory; asm?: { memory?: WasmMemory }; tfjs?: { getThreadsCount?: () => number } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

const instances = new WeakMap<WasmMemory, BasisWasm>();
const modules: { shared?: object; plain?: object } = {};

/** The emscripten module's memory: `wasmMemory` in the threaded build, the export `memory` otherwise. */
export function wasmMemoryOf(backend: WasmBackendLike): WasmMemory | undefined {
  return backend.wasm?.wasmMemory ?? backend.wasm?.asm?.memory;
}

export function basisWasm(backend: WasmBackendLike): BasisWasm {
  const memory = wasmMemoryOf(backend);
  if (!memory) throw new Error('basisWasm: the wasm backend exposes no memory (expected Module.wasmMemory or Module.asm.memory).');
  let inst = instances.get(memory);
  if (!inst) {
    inst = new WA.Instance(basisWasmModule(isSharedMemory(memory)), { env: { memory } }).exports as unknown as BasisWasm;
    instances.set(memory, inst);
  }
  return inst;
}

/** Whether a wasm memory is shared (the threaded tfjs build): its buffer is a SharedArrayBuffer. */
export function isSharedMemory(memory: WasmMemory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/** The compiled kernels (a WebAssembly.Module) for a shared or a plain memory, compiled once each. */
export function basisWasmModule(shared: boolean): object {
  const key = shared ? 'shared' : 'plain';
  return (modules[key] ??= new WA.Module(Buffer.from(shared ? BASIS_WASM_SHARED : BASIS_WASM_PLAIN, 'base64')));
}

/** Byte offset of a tensor's data in the wasm heap. */
export function heapPointer(backend: WasmBackendLike, t: tf.TensorInfo): number {
  return backend.typedArrayFromHeap(t).byteOffset;
}
