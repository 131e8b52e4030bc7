// matMulFastGrad: same value and gradients as tf.matMul, on cpu and wasm, without leaks.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { matMulFastGrad } from '../../kernel/convkan/linalg/matMulFastGrad';
import { TEST_BACKENDS, useBackend } from '../reference/backends';

for (const backend of TEST_BACKENDS) {
  describe(`matMulFastGrad on ${backend}`, () => {
    before(async () => useBackend(backend));
    test('value and both gradients equal tf.matMul’s', () => {
      const a = tf.randomNormal([37, 23], 0, 1, 'float32', 1) as tf.Tensor2D;
      const b = tf.randomNormal([23, 11], 0, 1, 'float32', 2) as tf.Tensor2D;
      const up = tf.randomNormal([37, 11], 0, 1, 'float32', 3);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const loss = (f: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) =>
          tf.sum(tf.mul(f(x as tf.Tensor2D, y as tf.Tensor2D), up));
        const [da, db] = tf.grads(loss(matMulFastGrad))([a, b]);
        const [ea, eb] = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
        const close = (x: tf.Tensor, y: tf.Tensor, what: string) => assert.ok(tf.max(tf.abs(tf.sub(x, y))).dataSync()[0] < 1e-4, what);
        close(matMulFastGrad(a, b), tf.matMul(a, b), 'value');
        close(da, ea, 'd/da');
        close(db, eb, 'd/db');
      });
      assert.equal(tf.memory().numTensors, before);
      tf.dispose([a, b, up]);
    });
  });
}
