// The timed step of every layer benchmark: the forward pass, or the forward pass and the gradients
// of loss = mean(y²) (every output gets a gradient) w.r.t. the input and every trainable weight.
// dataSync makes the backend finish inside the timing; tidy frees each step's tensors.
import * as tf from '@tensorflow/tfjs';

export type Phase = 'forward' | 'forward+backward';

export interface TimedLayer {
  forward: () => tf.Tensor;
  /** The input variable and the layer's weights. */
  trainables: () => tf.Tensor[];
}

export function phaseRunner(c: TimedLayer, phase: Phase): () => void {
  if (phase === 'forward')
    return () =>
      tf.tidy(() => {
        c.forward().dataSync();
      });
  return () =>
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.mean(tf.square(c.forward())) as tf.Scalar, c.trainables() as tf.Variable[]);
      for (const g of Object.values(grads)) g.dataSync();
    });
}
