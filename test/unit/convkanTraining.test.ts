// Training works on cpu and wasm (model.fit lowers the loss on a small synthetic task), and
// forward passes, gradient steps and grid updates leave no tensor behind.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ConvKAN2D, convKan2d } from '../../kernel/convkan/layers/convKan2d';
import { KANLinear, kanLinear } from '../../kernel/convkan/layers/kanLinear';
import { TEST_BACKENDS, useBackend } from '../reference/backends';

/** Horizontal (class 0) vs vertical (class 1) stripes with noise: a task a 3×3 conv can learn. */
function stripes(count: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const size = 8;
  const data = new Float32Array(count * size * size);
  const labels = new Float32Array(count * 2);
  for (let n = 0; n < count; n++) {
    const cls = n % 2;
    const phase = Math.floor(rand() * 2);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const on = ((cls === 0 ? y : x) + phase) % 2 === 0;
        data[(n * size + y) * size + x] = (on ? 1 : -1) + 0.3 * (rand() - 0.5);
      }
    labels[n * 2 + cls] = 1;
  }
  return { xs: tf.tensor4d(data, [count, size, size, 1]), ys: tf.tensor2d(labels, [count, 2]) };
}

function classifier(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      convKan2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: 1, seed: 1 }),
      tf.layers.flatten(),
      kanLinear({ units: 2, seed: 2 }),
      tf.layers.softmax(),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' });
  return model;
}

for (const backend of TEST_BACKENDS) {
  describe(`training on ${backend}`, () => {
    before(async () => useBackend(backend));

    test('model.fit lowers the loss of ConvKAN2D → flatten → KANLinear', async () => {
      const { xs, ys } = stripes(32);
      const model = classifier();
      const history = await model.fit(xs, ys, { epochs: 6, batchSize: 16, shuffle: false, verbose: 0 });
      const loss = history.history.loss as number[];
      assert.ok(loss.every(Number.isFinite), `finite losses ${loss}`);
      assert.ok(loss[loss.length - 1] < 0.6 * loss[0], `loss went from ${loss[0]} to ${loss[loss.length - 1]}`);
      tf.dispose([xs, ys]);
      model.dispose();
    });

    test('no tensor leaks: forward, gradient step, updateGrid, regularizationLoss', () => {
      const conv = new ConvKAN2D({ filters: 3, kernelSize: 3, padding: 1, groups: 1, seed: 4 });
      const lin = new KANLinear({ units: 2, seed: 5 });
      const x = tf.randomUniform([2, 5, 5, 2], -1, 1, 'float32', 6);
      const optimizer = tf.train.sgd(0.01);
      const loss = () => tf.sum(tf.square(lin.apply(tf.reshape(conv.apply(x) as tf.Tensor, [2, -1])) as tf.Tensor)) as tf.Scalar;
      tf.dispose(loss()); // builds both layers
      const trainable = [...conv.trainableWeights, ...lin.trainableWeights].map((w) => w.read() as tf.Variable);
      const step = () => optimizer.minimize(loss, false, trainable);
      step(); // burn-in: creates the optimizer state
      const count = () => tf.memory().numTensors;
      let n0 = count();
      tf.dispose(conv.apply(x) as tf.Tensor);
      assert.equal(count(), n0, 'forward');
      step();
      assert.equal(count(), n0, 'gradient step');
      conv.updateGrid(x);
      assert.equal(count(), n0, 'ConvKAN2D.updateGrid');
      tf.dispose(conv.apply(x) as tf.Tensor); // now on the unfold path
      step();
      assert.equal(count(), n0, 'forward + step on the unfold path');
      tf.tidy(() => lin.updateGrid(tf.reshape(conv.apply(x) as tf.Tensor, [2, -1])));
      assert.equal(count(), n0, 'KANLinear.updateGrid');
      tf.dispose([conv.regularizationLoss(), lin.regularizationLoss(0.5, 2)]);
      assert.equal(count(), n0, 'regularizationLoss');
      n0 = count();
      tf.dispose(x);
      optimizer.dispose();
      [...conv.weights, ...lin.weights].forEach((w) => w.dispose());
      assert.ok(count() < n0);
    });
  });
}
