// polynomialTail(x, coeffs): P_1 … P_d of tanh(x) (the recurrence of polynomialMath.ts without
// P_0 ≡ 1), one fused kernel with its gradient kernel on cpu and wasm (basisKernels.wat's
// polyRange*). The polynomial conv layers convolve only these: P_0's share is a constant
// (constantFirstConv.ts). Elsewhere null, and the caller keeps the full basis.
import * as tf from '@tensorflow/tfjs';
import { polynomialBackward, polynomialForward, type RecurrenceCoefficients } from './polynomialMath';
import { heapPointer, type WasmBackendLike } from './wasm/basisWasm';
import { MIN_BASIS_VALUES_PER_THREAD, parallelFor } from './wasm/wasmThreadPool';
import { cpuFloats, elementCount, type CpuBackendLike } from './cpuKernelData';

export const POLYNOMIAL_TAIL_KERNEL = 'ConvKanPolynomialTail';
export const POLYNOMIAL_TAIL_GRAD_KERNEL = 'ConvKanPolynomialTailGrad';

const degreeOf = (coeffs: tf.TensorInfo) => (coeffs.shape[0] as number) / 3;

/** x [n] → [n, d]: the JavaScript reference's full rows [n, d + 1] without column 0. */
export function polynomialTailForward(x: Float32Array, coeffs: Float32Array, out: Float32Array): void {
  const d = coeffs.length / 3;
  const full = new Float32Array(x.length * (d + 1));
  polynomialForward(x, coeffs, full);
  for (let i = 0; i < x.length; i++) out.set(full.subarray(i * (d + 1) + 1, (i + 1) * (d + 1)), i * d);
}

/** dy [n, d] (dL/dP_1 … dL/dP_d) → dx [n]: the reference gradient with dL/dP_0 = 0. */
export function polynomialTailBackward(dy: Float32Array, x: Float32Array, coeffs: Float32Array, dx: Float32Array): void {
  const d = coeffs.length / 3;
  const full = new Float32Array(x.length * (d + 1));
  for (let i = 0; i < x.length; i++) full.set(dy.subarray(i * d, (i + 1) * d), i * (d + 1) + 1);
  polynomialBackward(full, x, coeffs, dx);
}

const cpuForward: tf.KernelFunc = ({ inputs, backend }) => {
  const { x, coeffs } = inputs as { x: tf.TensorInfo; coeffs: tf.TensorInfo };
  const b = backend as unknown as CpuBackendLike;
  const out = new Float32Array(elementCount(x) * degreeOf(coeffs));
  polynomialTailForward(cpuFloats(b, x), cpuFloats(b, coeffs), out);
  return b.makeTensorInfo([elementCount(x), degreeOf(coeffs)], 'float32', out);
};

const cpuBackward: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, x, coeffs } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; coeffs: tf.TensorInfo };
  const b = backend as unknown as CpuBackendLike;
  const dx = new Float32Array(elementCount(x));
  polynomialTailBackward(cpuFloats(b, dy), cpuFloats(b, x), cpuFloats(b, coeffs), dx);
  return b.makeTensorInfo([...x.shape], 'float32', dx);
};

const wasmForward: tf.KernelFunc = ({ inputs, backend }) => {
  const { x, coeffs } = inputs as { x: tf.TensorInfo; coeffs: tf.TensorInfo };
  const b = backend as unknown as WasmBackendLike;
  const out = b.makeOutput([elementCount(x), degreeOf(coeffs)], 'float32');
  const args = [heapPointer(b, x), degreeOf(coeffs), heapPointer(b, coeffs), heapPointer(b, out), 1];
  parallelFor(b, 'polyRangeForward', args, elementCount(x), MIN_BASIS_VALUES_PER_THREAD);
  return out;
};

const wasmBackward: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, x, coeffs } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; coeffs: tf.TensorInfo };
  const b = backend as unknown as WasmBackendLike;
  const dx = b.makeOutput([...x.shape], 'float32');
  const args = [heapPointer(b, dy), heapPointer(b, x), degreeOf(coeffs), heapPointer(b, coeffs), heapPointer(b, dx), 1];
  parallelFor(b, 'polyRangeBackward', args, elementCount(x), MIN_BASIS_VALUES_PER_THREAD);
  return dx;
};

let registered = false;

function register(): void {
  if (registered || tf.getKernel(POLYNOMIAL_TAIL_KERNEL, 'cpu')) {
    registered = true;
    return;
  }
  tf.registerKernel({ kernelName: POLYNOMIAL_TAIL_KERNEL, backendName: 'cpu', kernelFunc: cpuForward });
  tf.registerKernel({ kernelName: POLYNOMIAL_TAIL_GRAD_KERNEL, backendName: 'cpu', kernelFunc: cpuBackward });
  tf.registerKernel({ kernelName: POLYNOMIAL_TAIL_KERNEL, backendName: 'wasm', kernelFunc: wasmForward });
  tf.registerKernel({ kernelName: POLYNOMIAL_TAIL_GRAD_KERNEL, backendName: 'wasm', kernelFunc: wasmBackward });
  tf.registerGradient({
    kernelName: POLYNOMIAL_TAIL_KERNEL,
    inputsToSave: ['x', 'coeffs'],
    gradFunc: (dy, saved) => {
      const [x, coeffs] = saved as [tf.Tensor, tf.Tensor];
      return {
        x: () => tf.engine().runKernel(POLYNOMIAL_TAIL_GRAD_KERNEL, { dy: dy as tf.Tensor, x, coeffs }) as tf.Tensor,
        coeffs: () => tf.zerosLike(coeffs), // constants of the family, not trained
      };
    },
  });
  registered = true;
}

/** Whether polynomialTail runs on the current backend (cpu, wasm). */
export function hasPolynomialTail(): boolean {
  register();
  return tf.getKernel(POLYNOMIAL_TAIL_KERNEL, tf.getBackend()) != null;
}

/**
 * x: [M] (any shape, read flat) → [M, d]: P_1 … P_d of tanh(x), d = coeffs.length / 3 ≥ 1.
 * Differentiable w.r.t. x. Throws where hasPolynomialTail() is false.
 */
export function polynomialTail(x: tf.Tensor, coeffs: RecurrenceCoefficients): tf.Tensor2D {
  if (!hasPolynomialTail())
    throw new Error(`Error in polynomialTail: backend '${tf.getBackend()}' has no ${POLYNOMIAL_TAIL_KERNEL} kernel (cpu and wasm have).`);
  if (coeffs.length === 0 || coeffs.length % 3 !== 0)
    throw new Error(`Error in polynomialTail: coeffs must hold 3 numbers per degree (d ≥ 1), but got ${coeffs.length}.`);
  return tf.tidy(() => {
    const xf = tf.reshape(x.dtype === 'float32' ? x : tf.cast(x, 'float32'), [x.size]);
    return tf.engine().runKernel(POLYNOMIAL_TAIL_KERNEL, { x: xf, coeffs: tf.tensor1d(coeffs, 'float32') }) as tf.Tensor2D;
  });
}
