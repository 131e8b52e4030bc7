// The one input of a KAN layer: tfjs hands call()/build() a tensor or a list of them, and every
// KAN layer takes exactly one; the dense layers (KANLinear, BasisKANLinear) check it the same way.
import type * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, show } from '../conv/argumentError';

export function singleShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  const first = inputShape[0];
  return Array.isArray(first) ? (first as tf.Shape) : (inputShape as tf.Shape);
}

/** The single input of a layer call; a list must hold exactly one tensor. */
export function singleTensor(inputs: tf.Tensor | tf.Tensor[], context: string): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) throw new ConvKanArgumentError(context, 'inputs', 'one tensor', `${inputs.length} tensors`);
  return inputs[0] as tf.Tensor;
}

export function checkMargin(margin: number | undefined, context: string): number {
  const m = margin ?? 0.01;
  if (typeof m !== 'number' || !Number.isFinite(m) || m < 0)
    throw new ConvKanArgumentError(context, 'margin', 'a finite number ≥ 0', show(margin));
  return m;
}

/**
 * The one check of a dense KAN layer's input [..., inFeatures] (build, call, computeOutputShape):
 * rank ≥ 2, a known last axis, the layer's own feature count once known. Returns the features.
 */
export function checkFeatureShape(shape: tf.Shape, inFeatures: number | null, context: string): number {
  if (shape.length < 2)
    throw new ConvKanArgumentError(context, 'input', 'rank ≥ 2 [..., inFeatures]', `rank ${shape.length} (shape ${show(shape)})`);
  const last = shape[shape.length - 1];
  if (inFeatures != null && last !== inFeatures) {
    throw new ConvKanArgumentError(context, 'input', `[..., ${inFeatures}] (inFeatures = ${inFeatures})`, `shape ${show(shape)}`);
  }
  if (last == null || last < 1)
    throw new ConvKanArgumentError(context, 'input', 'a known, positive last dimension (inFeatures)', `shape ${show(shape)}`);
  return last;
}
