// The filter gradient of a 'valid' NHWC conv2d as a wasm SIMD kernel (conv2dFilterGradTap in
// ops/wasm/basisKernels.wat) on tfjs-backend-wasm's heap. Why: tfjs-wasm has no
// Conv2DBackpropFilter; conv2dGrads.ts writes it as a forward convolution with a 16×16-or-larger
// "filter" (dy) over transposed tensors, which XNNPACK runs 2–3× slower than an ordinary convolution.
// This kernel reads x and dy in place, tap by tap (conv2dFilterGradTaps), the taps split over the wasm
// backend's threads by wasm/wasmThreadPool.ts (main thread included).
import * as tf from '@tensorflow/tfjs';
import type { Pair, SidePadding } from '../conv/convGeometry';
import { heapPointer, type WasmBackendLike } from './wasm/basisWasm';
import { MIN_MACS_PER_THREAD, parallelFor } from './wasm/wasmThreadPool';
import { kernelSwitch } from './kernelSwitch';

export const CONV2D_FILTER_GRAD_KERNEL = 'ConvKanConv2DFilterGrad';

interface FilterGradAttrs {
  filterShape: [number, number, number, number];
  strides: Pair;
  dilations: Pair;
  padding: SidePadding;
  [key: string]: number[] | SidePadding;
}

const kernel = kernelSwitch();

/** Runs fn with the kernel switched on or off (the benchmark's before/after in one process), then restores it. */
export function withWasmFilterGrad<T>(on: boolean, fn: () => T): T {
  return kernel.with(on, fn);
}

/** Whether the kernel applies: the wasm backend, float32 tensors, Cout a multiple of 8 (its register block). */
export function wasmFilterGradApplies(x: tf.Tensor, dy: tf.Tensor): boolean {
  return kernel.on && tf.getBackend() === 'wasm' && x.dtype === 'float32' && dy.dtype === 'float32' && (dy.shape[3] as number) % 8 === 0;
}

const wasmFilterGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { filterShape, strides, dilations, padding } = attrs as unknown as FilterGradAttrs;
  const b = backend as unknown as WasmBackendLike;
  const [kH, kW, Cin, Cout] = filterShape;
  const [N, H, W] = x.shape as number[];
  const [, OH, OW] = dy.shape as number[];
  const out = b.makeOutput([kH, kW, Cin, Cout], 'float32');
  // pointers only after makeOutput: allocating may grow the heap
  const px = heapPointer(b, x);
  const pdy = heapPointer(b, dy);
  const pout = heapPointer(b, out);
  const [[top], [left]] = padding;
  // taps write disjoint [Cin, Cout] slices: split them over the wasm threads (the valid rows and columns of each tap are found in wasm)
  const macsPerTap = N! * OH! * OW! * Cin * Cout;
  const args = [px, pdy, pout, N!, H!, W!, Cin, OH!, OW!, Cout, kW, dilations[0], dilations[1], top, left, strides[0], strides[1]];
  parallelFor(b, 'conv2dFilterGradTaps', args, kH * kW, Math.max(1, Math.ceil(MIN_MACS_PER_THREAD / Math.max(1, macsPerTap))));
  return out;
};

let registered = false;

/** dL/dfilter [kH, kW, Cin, Cout] of y = conv2d(zero-pad(x, padding), f, strides, 'valid', dilations), by the wasm kernel. */
export function conv2dFilterGradWasm(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: Pair,
  dilations: Pair,
  padding: SidePadding,
): tf.Tensor4D {
  if (!registered) {
    if (!tf.getKernel(CONV2D_FILTER_GRAD_KERNEL, 'wasm'))
      tf.registerKernel({ kernelName: CONV2D_FILTER_GRAD_KERNEL, backendName: 'wasm', kernelFunc: wasmFilterGrad });
    registered = true;
  }
  if (x.shape[3] !== filterShape[2] || dy.shape[3] !== filterShape[3] || x.shape[0] !== dy.shape[0]) {
    throw new Error(
      `Error in ${CONV2D_FILTER_GRAD_KERNEL}: x [${x.shape}] and dy [${dy.shape}] must match the filter [${filterShape}] ` +
        '(x channels = filter in-channels, dy channels = filter out-channels, same batch), but they do not.',
    );
  }
  const attrs: FilterGradAttrs = { filterShape, strides, dilations, padding };
  return tf.engine().runKernel(CONV2D_FILTER_GRAD_KERNEL, { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
