// Small input helpers both KAN layers share: tfjs hands call()/build() a tensor or a list of them.
import type * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, show } from '../conv/argumentError';

export function singleShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  const first = inputShape[0];
  return Array.isArray(first) ? (first as tf.Shape) : (inputShape as tf.Shape);
}

export function singleTensor(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
}

export function checkMargin(margin: number | undefined, context: string): number {
  const m = margin ?? 0.01;
  if (typeof m !== 'number' || !Number.isFinite(m) || m < 0) throw new ConvKanArgumentError(context, 'margin', 'a finite number ≥ 0', show(margin));
  return m;
}
