// ConvKAN2D and KANLinear as tfjs layers: shapes, config, parameter counts, seeded init, the two
// exact forward paths agreeing, and tf.sequential use.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ConvKAN2D, convKan2d } from '../../kernel/convkan/layers/convKan2d';
import { KANLinear, kanLinear } from '../../kernel/convkan/layers/kanLinear';
import { CONV_KAN_2D_CLASS_NAME, KAN_LINEAR_CLASS_NAME } from '../../kernel/convkan/layers/classNames';
import { kaimingUniformBound } from '../../kernel/convkan/layers/kanInit';

tf.setBackend('cpu');

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
/** What tf.loadLayersModel does per layer: look the class up by its registered name, then fromConfig. */
function revive(className: string, config: tf.serialization.ConfigDict): tf.serialization.Serializable {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  assert.ok(entry, `${className} is registered`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, config);
}
const disposeLayer = (l: tf.layers.Layer) => l.weights.forEach((w) => w.dispose());

describe('ConvKAN2D layer', () => {
  test('output shapes: computeOutputShape agrees with the real output (strides, dilation, padding, both formats)', () => {
    const cases = [
      { args: { filters: 5, kernelSize: 3, padding: 1 }, input: [2, 7, 6, 3] },
      {
        args: {
          filters: 4,
          kernelSize: [3, 5] as [number, number],
          strides: [1, 2] as [number, number],
          padding: [1, 0] as [number, number],
        },
        input: [1, 8, 10, 3],
      },
      {
        args: {
          filters: 4,
          kernelSize: [3, 5] as [number, number],
          dilation: [1, 2] as [number, number],
          padding: 'same' as const,
          paddingMode: 'reflect' as const,
        },
        input: [1, 8, 9, 2],
      },
      { args: { filters: 6, kernelSize: 2, strides: 2, groups: 3, dataFormat: 'channelsFirst' as const }, input: [2, 3, 7, 7] },
    ];
    for (const { args, input } of cases) {
      const layer = new ConvKAN2D({ ...args, seed: 1 });
      const y = layer.apply(tf.randomNormal(input)) as tf.Tensor;
      assert.deepEqual(layer.computeOutputShape(input), y.shape, JSON.stringify(args));
      const symbolic = layer.computeOutputShape([null, ...input.slice(1)]);
      assert.deepEqual(symbolic, [null, ...y.shape.slice(1)]);
      tf.dispose(y);
      disposeLayer(layer);
    }
  });

  test('parameter count: Conv2d kernel count × (gridSize + order + 2) trainable, plus the knots', () => {
    const layer = new ConvKAN2D({ filters: 8, kernelSize: 3, inChannels: 6, groups: 2, seed: 0 });
    layer.build([null, 5, 5, 6]);
    const conv = tf.layers.conv2d({ filters: 8, kernelSize: 3, useBias: false });
    conv.build([null, 5, 5, 6]);
    const edges = conv.countParams() / 2; // tfjs has no groups: grouped Conv2d has 8·(6/2)·9 = 216 weights
    const K = 5 + 3; // gridSize + order bases per edge
    assert.equal(edges, 216);
    const trainable = layer.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => (a as number) * (b as number), 1)!, 0);
    assert.equal(trainable, edges * (K + 2), 'base + K spline + scaler per edge');
    assert.equal(layer.countParams(), edges * (K + 2) + 6 * 9 * (5 + 2 * 3 + 1), 'plus the knots of every (channel, tap) feature');
    assert.deepEqual(
      layer.nonTrainableWeights.map((w) => w.originalName),
      ['grid'],
    );
    disposeLayer(layer);
    disposeLayer(conv);
  });

  test('getConfig → fromConfig rebuilds the same layer; className constants are registered', () => {
    const layer = convKan2d({
      filters: 4,
      kernelSize: [3, 5],
      strides: 1,
      padding: 'same',
      dilation: [1, 2],
      groups: 2,
      paddingMode: 'circular',
      gridSize: 4,
      splineOrder: 2,
      gridRange: [-2, 3],
      dataFormat: 'channelsFirst',
      checkFinite: true,
      seed: 5,
      name: 'ck',
    });
    const config = layer.getConfig();
    assert.equal(ConvKAN2D.className, CONV_KAN_2D_CLASS_NAME);
    const revived = revive(CONV_KAN_2D_CLASS_NAME, config) as ConvKAN2D;
    assert.ok(revived instanceof ConvKAN2D);
    assert.deepEqual(revived.getConfig(), config);
    assert.equal(config.paddingMode, 'circular');
    assert.deepEqual(config.gridRange, [-2, 3]);
  });

  test('a seed fixes the initialization; base weights lie within the kaiming bound', () => {
    const make = (seed: number) => {
      const l = new ConvKAN2D({ filters: 4, kernelSize: 3, seed });
      l.build([null, 6, 6, 2]);
      const values = l.getWeights().map((w) => Array.from(w.dataSync()));
      disposeLayer(l);
      return values;
    };
    const a = make(7);
    assert.deepEqual(make(7), a);
    assert.notDeepEqual(make(8)[0], a[0]);
    const bound = kaimingUniformBound(Math.sqrt(5), 2 * 9);
    assert.ok(
      a[0].every((v) => Math.abs(v) <= bound),
      'base_weight within ±bound',
    );
    assert.ok(
      a[1].every((v) => Math.abs(v) < 0.1),
      'spline weights fitted to noise of scale 0.1/gridSize stay small',
    );
  });

  test("the 'expanded' and 'unfold' paths agree (values and gradients) for groups, stride, dilation, padding modes", () => {
    const configs = [
      { filters: 6, kernelSize: 3, strides: 2, padding: 1, groups: 3, paddingMode: 'reflect' as const },
      {
        filters: 4,
        kernelSize: [2, 3] as [number, number],
        dilation: [2, 1] as [number, number],
        padding: 'same' as const,
        paddingMode: 'circular' as const,
      },
      {
        filters: 2,
        kernelSize: 3,
        padding: [
          [0, 2],
          [1, 0],
        ] as [[number, number], [number, number]],
        paddingMode: 'replicate' as const,
        enableStandaloneScaleSpline: false,
      },
    ];
    for (const cfg of configs) {
      const before = tf.memory().numTensors;
      const inC = 3;
      const a = new ConvKAN2D({ ...cfg, forwardPath: 'expanded', seed: 3 });
      const b = new ConvKAN2D({ ...cfg, forwardPath: 'unfold', seed: 3 });
      const x = tf.randomUniform([2, 7, 8, inC], -2.5, 2.5, 'float32', 1);
      const ya = a.apply(x) as tf.Tensor;
      const yb = b.apply(x) as tf.Tensor;
      const diff = maxAbsDiff(ya, yb);
      assert.ok(diff < 1e-5, `${JSON.stringify(cfg)}: max |Δ| ${diff}`);
      const ga = tf.grad((t: tf.Tensor) => tf.sum(tf.square(a.apply(t) as tf.Tensor)))(x);
      const gb = tf.grad((t: tf.Tensor) => tf.sum(tf.square(b.apply(t) as tf.Tensor)))(x);
      const gdiff = maxAbsDiff(ga, gb);
      assert.ok(gdiff < 1e-4, `${JSON.stringify(cfg)}: grad max |Δ| ${gdiff}`);
      tf.dispose([x, ya, yb, ga, gb]);
      disposeLayer(a);
      disposeLayer(b);
      assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
    }
  });

  test('integer input is computed in float32', () => {
    const layer = new ConvKAN2D({ filters: 2, kernelSize: 3, padding: 1, seed: 4 });
    const [fromInt, fromFloat] = tf.tidy(() => {
      const ints = tf.tensor4d([0, 1, 2, 3, 1, 0, 2, 1, 0], [1, 3, 3, 1], 'int32');
      return [(layer.apply(ints) as tf.Tensor).dataSync(), (layer.apply(tf.cast(ints, 'float32')) as tf.Tensor).dataSync()];
    });
    assert.deepEqual(Array.from(fromInt), Array.from(fromFloat));
    disposeLayer(layer);
  });

  test('inside tf.sequential with flatten + dense, from an inputShape', () => {
    const model = tf.sequential({
      layers: [
        convKan2d({ inputShape: [8, 8, 2], filters: 3, kernelSize: 3, padding: 'same', seed: 1 }),
        convKan2d({ filters: 4, kernelSize: 3, strides: 2, padding: 1, seed: 2 }),
        tf.layers.flatten(),
        kanLinear({ units: 5, seed: 3 }),
        tf.layers.dense({ units: 2 }),
      ],
    });
    assert.deepEqual(model.outputShape, [null, 2]);
    assert.deepEqual(model.layers[1].outputShape, [null, 4, 4, 4]);
    const y = model.predict(tf.randomNormal([3, 8, 8, 2])) as tf.Tensor;
    assert.deepEqual(y.shape, [3, 2]);
    tf.dispose(y);
    model.dispose();
  });
});

describe('KANLinear layer', () => {
  test('any leading dims, config round trip, parameter count', () => {
    const layer = new KANLinear({ units: 3, seed: 2, gridSize: 4, splineOrder: 2 });
    const y = layer.apply(tf.randomNormal([2, 5, 7])) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 5, 3]);
    assert.deepEqual(layer.computeOutputShape([null, 5, 7]), [null, 5, 3]);
    assert.equal(layer.countParams(), 3 * 7 * (4 + 2 + 2) + 7 * (4 + 2 * 2 + 1));
    const config = layer.getConfig();
    const revived = revive(KAN_LINEAR_CLASS_NAME, config) as KANLinear;
    assert.deepEqual(revived.getConfig(), config);
    tf.dispose(y);
    disposeLayer(layer);
  });

  test('is ConvKAN2D with a 1×1 kernel on the same weights', () => {
    const lin = new KANLinear({ units: 4, seed: 1 });
    const conv = new ConvKAN2D({ filters: 4, kernelSize: 1, seed: 9 });
    const x = tf.randomUniform([2, 3, 3, 5], -1.5, 1.5, 'float32', 2);
    lin.apply(x);
    conv.apply(x);
    conv.setWeights(lin.getWeights().map((w) => tf.reshape(w, [1, 1, ...w.shape]))); // [in, …] → [1, 1, in, …]
    const d = tf.tidy(() => maxAbsDiff(lin.apply(x) as tf.Tensor, conv.apply(x) as tf.Tensor));
    assert.ok(d < 1e-5, `max |Δ| ${d}`);
  });
});
