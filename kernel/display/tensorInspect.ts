// console.log(tensor), and a tensor inside a logged object or array, print as the cell result
// does (PyTorch-style), instead of the engine's internal fields (dataId, strides, kept, …).
import * as tf from '@tensorflow/tfjs';
import { inspect } from 'node:util';
import { tensorText } from './tensorBundle';

const INSTALLED = Symbol.for('convkan.display.tensorInspect');

/** Gives tf.Tensor (and so tf.Variable) a util.inspect form; safe to call more than once. */
export function installTensorInspect(): void {
  const proto = tf.Tensor.prototype as unknown as Record<symbol, unknown>;
  if (proto[INSTALLED]) return;
  Object.defineProperty(proto, inspect.custom, {
    configurable: true,
    writable: true,
    value(this: tf.Tensor) {
      return tensorText(this);
    },
  });
  proto[INSTALLED] = true;
}
