// polynomialBasis(x, coeffs): P_0 … P_d of tanh(x) for every value, one fused kernel with its
// gradient kernel on cpu (polynomialMath.ts) and wasm (ops/wasm/basisKernels.wat, on the tfjs
// heap); elsewhere null, and the caller uses its composite of tfjs ops.
import * as tf from '@tensorflow/tfjs';
import { polynomialBackward, polynomialForward, type RecurrenceCoefficients } from './polynomialMath';
import { heapPointer, type WasmBackendLike } from './wasm/basisWasm';
import { MIN_BASIS_VALUES_PER_THREAD, parallelFor } from './wasm/wasmThreadPool';
import { cpuFloats, elementCount, type CpuBackendLike } from './cpuKernelData';

export const POLYNOMIAL_BASIS_KERNEL = 'ConvKanPolynomialBasis';
export const POLYNOMIAL_BASIS_GRAD_KERNEL = 'ConvKanPolynomialBasisGrad';

const degreeOf = (coeffs: tf.TensorInfo) => (coeffs.shape[0] as number) / 3;

const cpuForward: tf.KernelFunc = ({ inputs, backend }) => {
  const { x, coeffs } = inputs as { x: tf.TensorInfo; coeffs: tf.TensorInfo };
  const b = backend as unknown as CpuBackendLike;
  const out = new Float32Array(elementCount(x) * (degreeOf(coeffs) + 1));
  polynomialForward(cpuFloats(b, x), cpuFloats(b, coeffs), out);
  return b.makeTensorInfo([elementCount(x), degreeOf(coeffs) + 1], 'float32', out);
};

const cpuBackward: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, x, coeffs } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; coeffs: tf.TensorInfo };
  const b = backend as unknown as CpuBackendLike;
  const dx = new Float32Array(elementCount(x));
  polynomialBackward(cpuFloats(b, dy), cpuFloats(b, x), cpuFloats(b, coeffs), dx);
  return b.makeTensorInfo([...x.shape], 'float32', dx);
};

const wasmForward: tf.KernelFunc = ({ inputs, backend }) => {
  const { x, coeffs } = inputs as { x: tf.TensorInfo; coeffs: tf.TensorInfo };
  const b = backend as unknown as WasmBackendLike;
  const out = b.makeOutput([elementCount(x), degreeOf(coeffs) + 1], 'float32');
  const args = [heapPointer(b, x), degreeOf(coeffs), heapPointer(b, coeffs), heapPointer(b, out)];
  parallelFor(b, 'polyForward', args, elementCount(x), MIN_BASIS_VALUES_PER_THREAD);
  return out;
};

const wasmBackward: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, x, coeffs } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; coeffs: tf.TensorInfo };
  const b = backend as unknown as WasmBackendLike;
  const dx = b.makeOutput([...x.shape], 'float32');
  const args = [heapPointer(b, dy), heapPointer(b, x), degreeOf(coeffs), heapPointer(b, coeffs), heapPointer(b, dx)];
  parallelFor(b, 'polyBackward', args, elementCount(x), MIN_BASIS_VALUES_PER_THREAD);
  return dx;
};

let registered = false;

function register(): void {
  if (registered || tf.getKernel(POLYNOMIAL_BASIS_KERNEL, 'cpu')) {
    registered = true;
    return;
  }
  tf.registerKernel({ kernelName: POLYNOMIAL_BASIS_KERNEL, backendName: 'cpu', kernelFunc: cpuForward });
  tf.registerKernel({ kernelName: POLYNOMIAL_BASIS_GRAD_KERNEL, backendName: 'cpu', kernelFunc: cpuBackward });
  tf.registerKernel({ kernelName: POLYNOMIAL_BASIS_KERNEL, backendName: 'wasm', kernelFunc: wasmForward });
  tf.registerKernel({ kernelName: POLYNOMIAL_BASIS_GRAD_KERNEL, backendName: 'wasm', kernelFunc: wasmBackward });
  tf.registerGradient({
    kernelName: POLYNOMIAL_BASIS_KERNEL,
    inputsToSave: ['x', 'coeffs'],
    gradFunc: (dy, saved) => {
      const [x, coeffs] = saved as [tf.Tensor, tf.Tensor];
      return {
        x: () => tf.engine().runKernel(POLYNOMIAL_BASIS_GRAD_KERNEL, { dy: dy as tf.Tensor, x, coeffs }) as tf.Tensor,
        coeffs: () => tf.zerosLike(coeffs), // constants of the family, not trained
      };
    },
  });
  registered = true;
}

/**
 * x: [M] (any shape, read flat) → [M, d + 1]: P_0 … P_d of tanh(x), d = coeffs.length / 3, by the
 * recurrence with `coeffs` (bases/<family>.ts builds them). Differentiable w.r.t. x.
 * Returns null on backends without the fused kernel (not cpu or wasm).
 */
export function polynomialBasis(x: tf.Tensor, coeffs: RecurrenceCoefficients): tf.Tensor2D | null {
  register();
  if (!tf.getKernel(POLYNOMIAL_BASIS_KERNEL, tf.getBackend())) return null;
  if (coeffs.length === 0 || coeffs.length % 3 !== 0)
    throw new Error(`Error in polynomialBasis: coeffs must hold 3 numbers per degree (d ≥ 1), but got ${coeffs.length}.`);
  return tf.tidy(() => {
    const xf = tf.reshape(x.dtype === 'float32' ? x : tf.cast(x, 'float32'), [x.size]);
    return tf.engine().runKernel(POLYNOMIAL_BASIS_KERNEL, { x: xf, coeffs: tf.tensor1d(coeffs, 'float32') }) as tf.Tensor2D;
  });
}
