// What our cpu kernels use of tfjs' MathBackendCPU, and reading a tensor's data as float32 there
// (the cpu backend's int32 → float32 cast keeps an Int32Array as the float tensor's data).
import type * as tf from '@tensorflow/tfjs';

export interface CpuBackendLike {
  readSync(dataId: tf.DataId): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array): tf.TensorInfo;
}

/** The tensor's values as a Float32Array (the backend's own array when it already is one). */
export function cpuFloats(backend: CpuBackendLike, t: tf.TensorInfo): Float32Array {
  const v = backend.readSync(t.dataId);
  return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
}

/** Number of elements of a tensor. */
export function elementCount(t: tf.TensorInfo): number {
  return t.shape.reduce((a, c) => a * c, 1);
}
