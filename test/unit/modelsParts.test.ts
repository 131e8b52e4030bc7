// The pieces the model builders add: GroupedConv2D against tf.conv2d (per group, after padding)
// and the classification metrics against values worked out by hand (as sklearn reports them).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { GroupedConv2D, classificationReport, confusionMatrix, evaluateClassifier } from '../../kernel/convkan/models';
import type { ImageSet } from '../../kernel/convkan/data';

describe('GroupedConv2D', () => {
  test('equals tf.conv2d of each group on the padded input, plus bias and ReLU', () => {
    const layer = new GroupedConv2D({
      filters: 4,
      kernelSize: 3,
      padding: [
        [1, 0],
        [2, 1],
      ],
      paddingMode: 'zeros',
      groups: 2,
      activation: 'relu',
      seed: 3,
    });
    const x = tf.randomNormal([2, 5, 6, 4], 0, 1, 'float32', 9);
    const y = layer.apply(x) as tf.Tensor;
    const [kernel, bias] = layer.getWeights();
    const want = tf.tidy(() => {
      const xp = tf.pad(x, [
        [0, 0],
        [1, 0],
        [2, 1],
        [0, 0],
      ]) as tf.Tensor4D;
      const parts = [0, 1].map((g) =>
        tf.conv2d(
          tf.slice(xp, [0, 0, 0, 2 * g], [-1, -1, -1, 2]),
          tf.slice(kernel, [0, 0, 0, 2 * g], [-1, -1, -1, 2]) as tf.Tensor4D,
          1,
          'valid',
        ),
      );
      return tf.relu(tf.add(tf.concat(parts, 3), bias));
    });
    assert.deepEqual(y.shape, [2, 4, 7, 4]);
    assert.deepEqual(layer.computeOutputShape([2, 5, 6, 4]), [2, 4, 7, 4]);
    const [a, b] = [y.dataSync(), want.dataSync()];
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-5, `index ${i}: ${v} vs ${b[i]}`));
    tf.dispose([x, y, want]);
  });

  test('reflect padding, stride and errors', () => {
    const layer = new GroupedConv2D({ filters: 1, kernelSize: 3, padding: 1, paddingMode: 'reflect', strides: 2, useBias: false });
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const y = layer.apply(x) as tf.Tensor;
    assert.deepEqual(y.shape, [1, 2, 2, 1]);
    tf.dispose([x, y]);
    assert.throws(
      () => new GroupedConv2D({ filters: 3, kernelSize: 3, groups: 2, name: 'g' }),
      /GroupedConv2D 'g': filters must be divisible by groups \(2\), but got 3/,
    );
    assert.throws(
      () => new GroupedConv2D({ filters: 3, kernelSize: 3, activation: 'tanh' as 'relu' }),
      /activation must be 'linear' or 'relu', but got "tanh"/,
    );
  });
});

describe('classification metrics', () => {
  test('accuracy and macro precision / recall / F1 from the confusion matrix', () => {
    const yTrue = [0, 0, 0, 1, 1, 2];
    const yPred = [0, 0, 1, 1, 2, 2];
    assert.deepEqual(confusionMatrix(yTrue, yPred, 3), [
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    const r = classificationReport(yTrue, yPred, 3);
    assert.equal(r.accuracy, 4 / 6);
    // per class: P = [1, 1/2, 1/2], R = [2/3, 1/2, 1], F1 = [0.8, 0.5, 2/3]
    assert.ok(Math.abs(r.precision - 2 / 3) < 1e-12);
    assert.ok(Math.abs(r.recall - (2 / 3 + 1 / 2 + 1) / 3) < 1e-12);
    assert.ok(Math.abs(r.f1 - (0.8 + 0.5 + 2 / 3) / 3) < 1e-12);
    assert.deepEqual(
      r.perClass.map((c) => c.support),
      [3, 2, 1],
    );
    assert.throws(() => confusionMatrix([0, 3], [0, 0], 3), /labels must lie in \[0, 3\), but got true 3, predicted 0 at 1/);
  });

  test('evaluateClassifier predicts in batches without leaking tensors', () => {
    // a "model" that reads the class off the first pixel: pixel value k/255 → class k
    const set: ImageSet = {
      images: Uint8Array.from([0, 1, 2, 1, 0, 2, 2]),
      labels: Uint8Array.from([0, 1, 2, 1, 0, 1, 2]),
      count: 7,
      height: 1,
      width: 1,
      channels: 1,
      numClasses: 3,
    };
    const input = tf.input({ shape: [1, 1, 1] });
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const dense = tf.layers
      .dense({ units: 3, weights: [tf.tensor2d([[0, 255, 510]]), tf.tensor1d([0, -0.5, -2])] })
      .apply(flat) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: dense });
    const before = tf.memory().numTensors;
    const r = evaluateClassifier(model, set, { batchSize: 3 });
    assert.equal(tf.memory().numTensors, before);
    assert.equal(r.count, 7);
    assert.equal(r.accuracy, 6 / 7);
  });
});
