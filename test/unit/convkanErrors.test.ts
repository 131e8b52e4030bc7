// Bad input: every error names the layer, the argument, the expected and the actual value, and
// the layer or model keeps working after it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ConvKAN2D, type ConvKAN2DArgs } from '../../kernel/convkan/layers/convKan2d';
import { KANLinear } from '../../kernel/convkan/layers/kanLinear';
import { ConvKanArgumentError } from '../../kernel/convkan/conv/argumentError';

tf.setBackend('cpu');

const base: ConvKAN2DArgs = { filters: 4, kernelSize: 3, name: 'bad' };
const ctor = (over: Partial<ConvKAN2DArgs>) => () => new ConvKAN2D({ ...base, ...over } as ConvKAN2DArgs);

describe('ConvKAN2D constructor arguments', () => {
  const cases: Array<[string, Partial<ConvKAN2DArgs>, RegExp]> = [
    [
      'in channels not divisible by groups',
      { inChannels: 3, groups: 2 },
      /^ConvKAN2D 'bad': inChannels must be divisible by groups \(2\), but got 3\.$/,
    ],
    [
      'out channels not divisible by groups',
      { filters: 3, groups: 2 },
      /^ConvKAN2D 'bad': filters must be divisible by groups \(2\), but got 3\.$/,
    ],
    ['zero filters', { filters: 0 }, /^ConvKAN2D 'bad': filters must be a positive integer, but got 0\.$/],
    ['missing filters', { filters: undefined }, /^ConvKAN2D 'bad': filters must be a positive integer, but got undefined\.$/],
    [
      'zero kernel size',
      { kernelSize: [0, 3] },
      /^ConvKAN2D 'bad': kernelSize must be a number or \[h, w\] of positive integers, but got \[0,3\]\.$/,
    ],
    ['negative stride', { strides: -1 }, /^ConvKAN2D 'bad': strides must be a number or \[h, w\] of positive integers, but got -1\.$/],
    ['zero dilation', { dilation: [1, 0] }, /^ConvKAN2D 'bad': dilation must be .* positive integers, but got \[1,0\]\.$/],
    ['non-integer groups', { groups: 1.5 }, /^ConvKAN2D 'bad': groups must be a positive integer, but got 1\.5\.$/],
    ['zero grid size', { gridSize: 0 }, /^ConvKAN2D 'bad': gridSize must be a positive integer, but got 0\.$/],
    [
      'unknown padding mode',
      { paddingMode: 'mirror' as never },
      /^ConvKAN2D 'bad': paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', but got "mirror"\.$/,
    ],
    ['grid range lo ≥ hi', { gridRange: [1, -1] }, /^ConvKAN2D 'bad': gridRange must be \[lo, hi\] with lo < hi, but got \[1,-1\]\.$/],
    ['grid range lo = hi', { gridRange: [0, 0] }, /^ConvKAN2D 'bad': gridRange must be \[lo, hi\] with lo < hi, but got \[0,0\]\.$/],
    ['spline order 0', { splineOrder: 0 }, /^ConvKAN2D 'bad': splineOrder must be an integer ≥ 1, but got 0\.$/],
    [
      'unknown data format',
      { dataFormat: 'NHWC' as never },
      /^ConvKAN2D 'bad': dataFormat must be 'channelsLast' or 'channelsFirst', but got "NHWC"\.$/,
    ],
  ];
  for (const [what, over, message] of cases) {
    test(what, () => {
      assert.throws(ctor(over), (e: unknown) => e instanceof ConvKanArgumentError && message.test(e.message));
    });
  }

  test('KANLinear: units, grid range, spline order', () => {
    assert.throws(() => new KANLinear({ units: 0, name: 'lin' }), /KANLinear 'lin': units must be a positive integer, but got 0\.$/);
    assert.throws(
      () => new KANLinear({ units: 2, gridRange: [2, 1], name: 'lin' }),
      /KANLinear 'lin': gridRange must be \[lo, hi\] with lo < hi, but got \[2,1\]\./,
    );
    assert.throws(
      () => new KANLinear({ units: 2, splineOrder: 0, name: 'lin' }),
      /KANLinear 'lin': splineOrder must be an integer ≥ 1, but got 0\./,
    );
  });
});

describe('bad inputs leave the layer usable', () => {
  const good = () => tf.randomNormal([2, 6, 6, 3]);

  test('wrong rank, wrong channel count, too small, then a good call works', () => {
    const layer = new ConvKAN2D({ ...base, seed: 1, name: 'c1' });
    const ok1 = tf.tidy(() => (layer.apply(good()) as tf.Tensor).shape);
    const before = tf.memory().numTensors;
    const rejects = (x: () => tf.Tensor, message: RegExp) => assert.throws(() => tf.tidy(() => layer.apply(x()) as tf.Tensor), message);
    rejects(
      () => tf.zeros([6, 6, 3]),
      /ConvKAN2D 'c1': input must be rank 4 \[batch, height, width, channels\], but got rank 3 \(shape \[6,6,3\]\)\./,
    );
    rejects(
      () => tf.zeros([2, 6, 6, 4]),
      /ConvKAN2D 'c1': input channels must be 3 \(axis 3 of \[batch, height, width, channels\]\), but got 4 \(shape \[2,6,6,4\]\)\./,
    );
    rejects(
      () => tf.zeros([2, 2, 6, 3]),
      /ConvKAN2D 'c1': input \[height, width\] must be at least the dilated kernel extent \[3,3\] after padding, but got \[2, 6\]/,
    );
    assert.equal(tf.memory().numTensors, before, 'a refused call leaks nothing');
    assert.deepEqual(
      tf.tidy(() => (layer.apply(good()) as tf.Tensor).shape),
      ok1,
    );
  });

  test('channelsFirst names its own layout', () => {
    const layer = new ConvKAN2D({ ...base, inChannels: 3, dataFormat: 'channelsFirst', name: 'cf' });
    assert.throws(
      () => layer.apply(tf.zeros([2, 6, 6, 3])),
      /ConvKAN2D 'cf': input channels must be 3 \(axis 1 of \[batch, channels, height, width\]\), but got 6/,
    );
  });

  test('reflect padding wider than the input is refused', () => {
    const layer = new ConvKAN2D({ ...base, padding: 3, paddingMode: 'reflect', name: 'rf' });
    assert.throws(
      () => tf.tidy(() => layer.apply(tf.zeros([1, 3, 8, 2])) as tf.Tensor),
      /ConvKAN2D 'rf': input height must be greater than the padding 3 for paddingMode 'reflect', but got 3\./,
    );
    assert.deepEqual(
      tf.tidy(() => (layer.apply(tf.zeros([1, 4, 8, 2])) as tf.Tensor).shape),
      [1, 8, 12, 4],
    );
  });

  test('checkFinite: NaN and Infinity are reported with count and position; the model still predicts', () => {
    const model = tf.sequential({
      layers: [new ConvKAN2D({ ...base, inputShape: [4, 4, 1], padding: 1, checkFinite: true, name: 'cf2', seed: 2 }), tf.layers.flatten()],
    });
    const x = tf.tensor4d([1, 2, NaN, 4, 5, 6, 7, Infinity, 0, 0, 0, 0, 0, 0, 0, 0], [1, 4, 4, 1]);
    assert.throws(
      () => model.predict(x),
      new RegExp(
        /ConvKAN2D 'cf2': input must be finite everywhere \(checkFinite is on\), but got 2 non-finite value\(s\) /.source +
          /in shape \[1,4,4,1\], the first NaN at flat index 2\./.source,
      ),
    );
    const y = model.predict(tf.ones([1, 4, 4, 1])) as tf.Tensor;
    assert.deepEqual(y.shape, [1, 64]);
    assert.ok(y.dataSync().every(Number.isFinite));
    tf.dispose([x, y]);
    model.dispose();
  });

  test('without checkFinite a NaN flows through (no hidden cost)', () => {
    const layer = new ConvKAN2D({ ...base, padding: 1, name: 'nf', seed: 3 });
    const y = tf.tidy(() => Array.from((layer.apply(tf.fill([1, 3, 3, 1], NaN)) as tf.Tensor).dataSync()));
    assert.ok(y.every(Number.isNaN));
  });

  test('KANLinear: wrong feature count and rank, then a good call works', () => {
    const layer = new KANLinear({ units: 2, name: 'kl', seed: 1 });
    tf.tidy(() => layer.apply(tf.zeros([3, 5])) as tf.Tensor);
    assert.throws(
      () => layer.apply(tf.zeros([3, 4])),
      /KANLinear 'kl': input must be \[\.\.\., 5\] \(inFeatures = 5\), but got shape \[3,4\]\./,
    );
    assert.throws(
      () => layer.apply(tf.zeros([5])),
      /KANLinear 'kl': input must be rank ≥ 2 \[\.\.\., inFeatures\], but got rank 1 \(shape \[5\]\)\./,
    );
    assert.deepEqual(
      tf.tidy(() => (layer.apply(tf.ones([3, 5])) as tf.Tensor).shape),
      [3, 2],
    );
  });

  test('updateGrid margin and unbuilt-layer calls are refused with the value', () => {
    const layer = new KANLinear({ units: 2, name: 'kg' });
    assert.throws(
      () => layer.updateGrid(tf.zeros([4, 3])),
      /KANLinear 'kg': updateGrid must be called on a built layer \(call or build it first\), but got an unbuilt layer\./,
    );
    tf.tidy(() => layer.apply(tf.zeros([4, 3])) as tf.Tensor);
    assert.throws(
      () => layer.updateGrid(tf.randomNormal([8, 3]), { margin: -1 }),
      /KANLinear 'kg': margin must be a finite number ≥ 0, but got -1\./,
    );
  });
});
