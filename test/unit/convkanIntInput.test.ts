// Integer images (and float32 tensors cast from them, whose cpu data stays an Int32Array) give the
// same output as float input, also with 'valid' padding where no pad copies the data first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ConvKAN2D } from '../../kernel/convkan';

for (const backend of ['cpu', 'wasm'] as const) {
  test(`int32 and cast-int inputs equal float input on ${backend} ('valid' padding)`, async () => {
    if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    assert.ok(await tf.setBackend(backend), `backend ${backend} must start`);
    const layer = new ConvKAN2D({ inChannels: 1, filters: 2, kernelSize: 3, padding: 'valid', seed: 1 });
    const values = Array.from({ length: 25 }, (_, i) => i % 7);
    tf.dispose(layer.apply(tf.zeros([1, 5, 5, 1])) as tf.Tensor); // build the weights first
    const before = tf.memory().numTensors;
    const [fromInt, fromCast, fromFloat] = tf.tidy(() => {
      const xi = tf.tensor4d(values, [1, 5, 5, 1], 'int32');
      return [layer.apply(xi), layer.apply(tf.cast(xi, 'float32')), layer.apply(tf.tensor4d(values, [1, 5, 5, 1]))].map((t) =>
        Array.from((t as tf.Tensor).dataSync()),
      );
    });
    assert.deepEqual(fromInt, fromFloat);
    assert.deepEqual(fromCast, fromFloat);
    assert.equal(tf.memory().numTensors, before);
  });
}
