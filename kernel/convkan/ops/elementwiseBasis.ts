// The fused bases of rbf (FastKAN), the wavelets (Wav-KAN), reluKan (ReLU-KAN) and bernstein (KABN): one tfjs kernel each,
// with its gradient kernel, on cpu (elementwiseBasisMath.ts) and wasm (ops/wasm/basisKernels.wat,
// on the tfjs heap, split over the wasm threads); elsewhere null, and the family uses its composite
// of tfjs ops. x [M] (read flat) → [M, K], differentiable w.r.t. x.
import * as tf from '@tensorflow/tfjs';
import {
  bernsteinBackward,
  bernsteinForward,
  rbfBackward,
  rbfForward,
  rbfParams,
  reluKanBackward,
  reluKanForward,
  reluKanParams,
  waveletBackward,
  waveletForward,
  WAVELET_KINDS,
} from './elementwiseBasisMath';
import { heapPointer, type WasmBackendLike } from './wasm/basisWasm';
import { MIN_BASIS_VALUES_PER_THREAD, parallelFor, type RangeExport } from './wasm/wasmThreadPool';
import { cpuFloats, elementCount, type CpuBackendLike } from './cpuKernelData';

/** The kernels' attributes: K, and which wavelet (the wavelet kernel only). */
interface Attrs {
  size: number;
  kind: number;
}

/** One family's kernel (the three wavelets share one, by `kind`): `params` (float32) fixes its K functions. */
interface ElementwiseKernel {
  kernelName: string;
  gradName: string;
  forwardExport: RangeExport;
  backwardExport: RangeExport;
  /** The wasm exports' arguments between the tensors (x / dy, x) and the output. */
  wasmArgs(a: Attrs, params: number): number[];
  cpuForward(x: Float32Array, params: Float32Array, a: Attrs, out: Float32Array): void;
  cpuBackward(dy: Float32Array, x: Float32Array, params: Float32Array, a: Attrs, dx: Float32Array): void;
}

const KERNELS = {
  rbf: {
    kernelName: 'ConvKanRbfBasis',
    gradName: 'ConvKanRbfBasisGrad',
    forwardExport: 'rbfForward',
    backwardExport: 'rbfBackward',
    wasmArgs: (a, params) => [a.size, params],
    cpuForward: (x, p, _size, out) => rbfForward(x, p, out),
    cpuBackward: (dy, x, p, _size, dx) => rbfBackward(dy, x, p, dx),
  },
  reluKan: {
    kernelName: 'ConvKanReluKanBasis',
    gradName: 'ConvKanReluKanBasisGrad',
    forwardExport: 'reluKanForward',
    backwardExport: 'reluKanBackward',
    wasmArgs: (a, params) => [a.size, params],
    cpuForward: (x, p, _size, out) => reluKanForward(x, p, out),
    cpuBackward: (dy, x, p, _size, dx) => reluKanBackward(dy, x, p, dx),
  },
  bernstein: {
    kernelName: 'ConvKanBernsteinBasis',
    gradName: 'ConvKanBernsteinBasisGrad',
    forwardExport: 'bernsteinForward',
    backwardExport: 'bernsteinBackward',
    wasmArgs: (a) => [a.size - 1], // the degree; its params are unused
    cpuForward: (x, _p, a, out) => bernsteinForward(x, a.size - 1, out),
    cpuBackward: (dy, x, _p, a, dx) => bernsteinBackward(dy, x, a.size - 1, dx),
  },
  wavelet: {
    kernelName: 'ConvKanWaveletBasis',
    gradName: 'ConvKanWaveletBasisGrad',
    forwardExport: 'waveletForward',
    backwardExport: 'waveletBackward',
    wasmArgs: (a, params) => [a.kind, a.size, params],
    cpuForward: (x, p, a, out) => waveletForward(x, a.kind, p, out),
    cpuBackward: (dy, x, p, a, dx) => waveletBackward(dy, x, a.kind, p, dx),
  },
} satisfies Record<string, ElementwiseKernel>;

export type ElementwiseBasisName = keyof typeof KERNELS;

type Inputs = { x: tf.TensorInfo; params: tf.TensorInfo; dy?: tf.TensorInfo };

function kernelFuncs(k: ElementwiseKernel): Record<'cpuForward' | 'cpuBackward' | 'wasmForward' | 'wasmBackward', tf.KernelFunc> {
  return {
    cpuForward: ({ inputs, backend, attrs }) => {
      const { x, params } = inputs as Inputs;
      const a = attrs as unknown as Attrs;
      const K = a.size;
      const b = backend as unknown as CpuBackendLike;
      const out = new Float32Array(elementCount(x) * K);
      k.cpuForward(cpuFloats(b, x), cpuFloats(b, params), a, out);
      return b.makeTensorInfo([elementCount(x), K], 'float32', out);
    },
    cpuBackward: ({ inputs, backend, attrs }) => {
      const { dy, x, params } = inputs as Required<Inputs>;
      const a = attrs as unknown as Attrs;
      const K = a.size;
      const b = backend as unknown as CpuBackendLike;
      const dx = new Float32Array(elementCount(x));
      k.cpuBackward(cpuFloats(b, dy), cpuFloats(b, x), cpuFloats(b, params), a, dx);
      return b.makeTensorInfo([...x.shape], 'float32', dx);
    },
    wasmForward: ({ inputs, backend, attrs }) => {
      const { x, params } = inputs as Inputs;
      const a = attrs as unknown as Attrs;
      const K = a.size;
      const b = backend as unknown as WasmBackendLike;
      const out = b.makeOutput([elementCount(x), K], 'float32');
      const args = [heapPointer(b, x), ...k.wasmArgs(a, heapPointer(b, params)), heapPointer(b, out)];
      parallelFor(b, k.forwardExport, args, elementCount(x), MIN_BASIS_VALUES_PER_THREAD);
      return out;
    },
    wasmBackward: ({ inputs, backend, attrs }) => {
      const { dy, x, params } = inputs as Required<Inputs>;
      const a = attrs as unknown as Attrs;
      const K = a.size;
      const b = backend as unknown as WasmBackendLike;
      const dx = b.makeOutput([...x.shape], 'float32');
      const args = [heapPointer(b, dy), heapPointer(b, x), ...k.wasmArgs(a, heapPointer(b, params)), heapPointer(b, dx)];
      parallelFor(b, k.backwardExport, args, elementCount(x), MIN_BASIS_VALUES_PER_THREAD);
      return dx;
    },
  };
}

let registered = false;

function register(): void {
  if (registered) return;
  for (const k of Object.values(KERNELS) as ElementwiseKernel[]) {
    if (tf.getKernel(k.kernelName, 'cpu')) continue;
    const f = kernelFuncs(k);
    tf.registerKernel({ kernelName: k.kernelName, backendName: 'cpu', kernelFunc: f.cpuForward });
    tf.registerKernel({ kernelName: k.gradName, backendName: 'cpu', kernelFunc: f.cpuBackward });
    tf.registerKernel({ kernelName: k.kernelName, backendName: 'wasm', kernelFunc: f.wasmForward });
    tf.registerKernel({ kernelName: k.gradName, backendName: 'wasm', kernelFunc: f.wasmBackward });
    tf.registerGradient({
      kernelName: k.kernelName,
      inputsToSave: ['x', 'params'],
      gradFunc: (dy, saved, attrs) => {
        const [x, params] = saved as [tf.Tensor, tf.Tensor];
        return {
          x: () => tf.engine().runKernel(k.gradName, { dy: dy as tf.Tensor, x, params }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
          params: () => tf.zerosLike(params), // constants of the family, not trained
        };
      },
    });
  }
  registered = true;
}

let compositeOnly = 0;

/** Runs fn with the fused kernels of this module off (the families use their composite): tests and before/after benchmarks. */
export function withCompositeBases<T>(fn: () => T): T {
  compositeOnly++;
  try {
    return fn();
  } finally {
    compositeOnly--;
  }
}

/** Whether `elementwiseBasis` would run a fused kernel on the current backend. */
export function hasFusedBasis(name: ElementwiseBasisName): boolean {
  register();
  return compositeOnly === 0 && tf.getKernel(KERNELS[name].kernelName, tf.getBackend()) !== undefined;
}

function run(name: ElementwiseBasisName, x: tf.Tensor, params: Float32Array, size: number, kind = 0): tf.Tensor2D | null {
  if (!hasFusedBasis(name)) return null;
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`Error in ${name} basis kernel: the number of functions must be an integer ≥ 1, but got ${size}.`);
  return tf.tidy(() => {
    const xf = tf.reshape(x.dtype === 'float32' ? x : tf.cast(x, 'float32'), [x.size]);
    const attrs = { size, kind } as unknown as tf.NamedAttrMap;
    return tf.engine().runKernel(KERNELS[name].kernelName, { x: xf, params: tf.tensor1d(params, 'float32') }, attrs) as tf.Tensor2D;
  });
}

/** FastKAN: x [M] → [M, K] of exp(−((x − c_j)/h)²), or null where there is no fused kernel (not cpu or wasm). */
export function rbfBasisFused(x: tf.Tensor, c: readonly number[], h: number): tf.Tensor2D | null {
  return run('rbf', x, rbfParams(c, h), c.length);
}

/** ReLU-KAN: x [M] → [M, K] of (ReLU(e_j − x)·ReLU(x − s_j))²·norm, or null (not cpu or wasm). */
export function reluKanBasisFused(x: tf.Tensor, s: readonly number[], e: readonly number[], norm: number): tf.Tensor2D | null {
  if (s.length !== e.length)
    throw new Error(`Error in reluKan basis kernel: expected as many ends as starts (${s.length}), but got ${e.length}.`);
  return run('reluKan', x, reluKanParams(s, e, norm), s.length);
}

/** KABN: x [M] → [M, d + 1] of the Bernstein polynomials of (tanh x + 1)/2, or null (not cpu or wasm). */
export function bernsteinBasisFused(x: tf.Tensor, degree: number): tf.Tensor2D | null {
  return run('bernstein', x, Float32Array.of(degree), degree + 1);
}

/** Wav-KAN's wavelets on a grid: x [M] → [M, K] of ψ((x − c_j)/h), or null (not cpu or wasm). */
export function waveletBasisFused(x: tf.Tensor, wavelet: keyof typeof WAVELET_KINDS, c: readonly number[], h: number): tf.Tensor2D | null {
  return run('wavelet', x, rbfParams(c, h), c.length, WAVELET_KINDS[wavelet]);
}
