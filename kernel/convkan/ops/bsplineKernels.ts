// Fused B-spline basis kernels for the cpu and wasm backends, with their gradient kernel.
// Why: evaluating the basis with broadcast tfjs ops (one pass and one output tensor per
// recursion level) was 53–85 % of ConvKAN's forward time; these run one loop over x.
// cpu: reads/writes the backend's typed arrays. wasm: wasm SIMD kernels on the tfjs heap
// (ops/wasm/), or the JavaScript loop on views of the heap where those do not apply.
import * as tf from '@tensorflow/tfjs';
import { bsplineBackward, bsplineForward, evenlySpacedRows, type BasisLayout, basisStride } from './bsplineMath';
import { heapPointer, type WasmBackendLike } from './wasm/basisWasm';
import { MIN_BASIS_VALUES_PER_THREAD, parallelFor } from './wasm/wasmThreadPool';
import type { CpuBackendLike } from './cpuKernelData';

export const BSPLINE_BASIS_KERNEL = 'ConvKanBSplineBasis';
export const BSPLINE_BASIS_GRAD_KERNEL = 'ConvKanBSplineBasisGrad';

export interface BsplineAttrs {
  order: number;
  withSilu: boolean;
  [key: string]: number | boolean;
}

type WasmBackend = WasmBackendLike;

/**
 * The wasm SIMD kernels (ops/wasm/basisKernels.wat) cover efficient-kan's default: order 3 on
 * evenly spaced knots (the initial grid). Other orders and knots after a grid update take the
 * JavaScript loop (bsplineMath.ts), which the wasm kernels are tested against.
 */
function wasmCovers(b: WasmBackend, knots: tf.TensorInfo, l: BasisLayout): boolean {
  return l.order === 3 && evenlySpacedRows(b.typedArrayFromHeap(knots), l.features, l.knotsPerFeature).every(Boolean);
}

function layoutOf(x: tf.TensorInfo, knots: tf.TensorInfo, attrs: BsplineAttrs): BasisLayout {
  const F = knots.shape[0] as number;
  return { features: F, knotsPerFeature: knots.shape[1] as number, order: attrs.order, withSilu: attrs.withSilu };
}

function outShape(x: tf.TensorInfo, l: BasisLayout): number[] {
  return [...x.shape.slice(0, -1), l.features * basisStride(l)];
}

function f32(v: unknown, what: string): Float32Array {
  if (v instanceof Float32Array) return v;
  // The cpu backend's int32 → float32 cast keeps the Int32Array as the float tensor's data.
  if (v instanceof Int32Array || v instanceof Uint8Array) return Float32Array.from(v);
  if (!(v instanceof Float32Array))
    throw new Error(`Error in ${BSPLINE_BASIS_KERNEL}: ${what} must be float32 data, but got ${Object.prototype.toString.call(v)}.`);
  return v;
}

const cpuForward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, knots } = inputs as { x: tf.TensorInfo; knots: tf.TensorInfo };
  const b = backend as unknown as CpuBackendLike;
  const l = layoutOf(x, knots, attrs as unknown as BsplineAttrs);
  const shape = outShape(x, l);
  const out = new Float32Array(shape.reduce((a, c) => a * c, 1));
  bsplineForward(f32(b.readSync(x.dataId), 'x'), f32(b.readSync(knots.dataId), 'knots'), l, out);
  return b.makeTensorInfo(shape, 'float32', out);
};

const cpuBackward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, knots } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; knots: tf.TensorInfo };
  const b = backend as unknown as CpuBackendLike;
  const l = layoutOf(x, knots, attrs as unknown as BsplineAttrs);
  const dx = new Float32Array(x.shape.reduce((a, c) => a * c, 1));
  bsplineBackward(f32(b.readSync(dy.dataId), 'dy'), f32(b.readSync(x.dataId), 'x'), f32(b.readSync(knots.dataId), 'knots'), l, dx);
  return b.makeTensorInfo([...x.shape], 'float32', dx);
};

const wasmForward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, knots } = inputs as { x: tf.TensorInfo; knots: tf.TensorInfo };
  const b = backend as unknown as WasmBackend;
  const l = layoutOf(x, knots, attrs as unknown as BsplineAttrs);
  const out = b.makeOutput(outShape(x, l), 'float32');
  if (wasmCovers(b, knots, l)) {
    const n = x.shape.reduce((a, c) => a * c, 1);
    const args = [heapPointer(b, x), l.features, l.knotsPerFeature, heapPointer(b, knots), heapPointer(b, out), l.withSilu ? 1 : 0];
    parallelFor(b, 'bspline3Forward', args, n, MIN_BASIS_VALUES_PER_THREAD);
    return out;
  }
  // views only after makeOutput: allocating may grow (and so detach) the heap
  bsplineForward(b.typedArrayFromHeap(x), b.typedArrayFromHeap(knots), l, b.typedArrayFromHeap(out));
  return out;
};

const wasmBackward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, knots } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; knots: tf.TensorInfo };
  const b = backend as unknown as WasmBackend;
  const l = layoutOf(x, knots, attrs as unknown as BsplineAttrs);
  const dx = b.makeOutput([...x.shape], 'float32');
  if (wasmCovers(b, knots, l)) {
    const n = x.shape.reduce((a, c) => a * c, 1);
    const args = [
      heapPointer(b, dy),
      heapPointer(b, x),
      l.features,
      l.knotsPerFeature,
      heapPointer(b, knots),
      heapPointer(b, dx),
      l.withSilu ? 1 : 0,
    ];
    parallelFor(b, 'bspline3Backward', args, n, MIN_BASIS_VALUES_PER_THREAD);
    return dx;
  }
  bsplineBackward(b.typedArrayFromHeap(dy), b.typedArrayFromHeap(x), b.typedArrayFromHeap(knots), l, b.typedArrayFromHeap(dx));
  return dx;
};

let registered = false;

/** Registers the kernels and the gradient once per process (tfjs' registries are global). */
export function registerBsplineKernels(): void {
  if (registered || tf.getKernel(BSPLINE_BASIS_KERNEL, 'cpu')) {
    registered = true;
    return;
  }
  tf.registerKernel({ kernelName: BSPLINE_BASIS_KERNEL, backendName: 'cpu', kernelFunc: cpuForward });
  tf.registerKernel({ kernelName: BSPLINE_BASIS_GRAD_KERNEL, backendName: 'cpu', kernelFunc: cpuBackward });
  tf.registerKernel({ kernelName: BSPLINE_BASIS_KERNEL, backendName: 'wasm', kernelFunc: wasmForward });
  tf.registerKernel({ kernelName: BSPLINE_BASIS_GRAD_KERNEL, backendName: 'wasm', kernelFunc: wasmBackward });
  tf.registerGradient({
    kernelName: BSPLINE_BASIS_KERNEL,
    inputsToSave: ['x', 'knots'],
    gradFunc: (dy, saved, attrs) => {
      const [x, knots] = saved as [tf.Tensor, tf.Tensor];
      return {
        x: () =>
          tf
            .engine()
            .runKernel(BSPLINE_BASIS_GRAD_KERNEL, { dy: dy as tf.Tensor, x, knots }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
        // the knots are a non-trainable buffer; their gradient is not defined here
        knots: () => tf.zerosLike(knots),
      };
    },
  });
  registered = true;
}

/** True when the fused kernel exists for the backend tfjs is using now. */
export function hasFusedBsplineKernel(): boolean {
  return tf.getKernel(BSPLINE_BASIS_KERNEL, tf.getBackend()) !== undefined;
}
