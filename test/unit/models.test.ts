// Every model builder: builds, reports its parameter count (checked by hand for the CKAN family),
// and takes one model.fit step on tiny data that changes its weights, without leaking tensors.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  kancMlp,
  kkan,
  convAndKan,
  cnnBaseline,
  simpleConvKan4,
  simpleConvKan8,
  hybridConvKan,
  convStack,
  describeModel,
  compileClassifier,
  ChannelsToBatch,
  BatchToChannels,
} from '../../kernel/convkan/models';

async function oneFitStep(model: tf.LayersModel, inputShape: number[], numClasses = 10): Promise<void> {
  compileClassifier(model, 1e-2);
  const n = 4;
  const x = tf.randomUniform([n, ...inputShape], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), numClasses);
  const w0 = model.trainableWeights.map((w) => w.read().dataSync().slice());
  const before = tf.memory().numTensors;
  const h = await model.fit(x, y, { epochs: 1, batchSize: n, verbose: 0 });
  const loss = h.history.loss[0] as number;
  assert.ok(Number.isFinite(loss), `${model.name}: loss ${loss}`);
  const changed = model.trainableWeights.filter((w, i) =>
    w
      .read()
      .dataSync()
      .some((v, j) => v !== w0[i][j]),
  ).length;
  assert.ok(
    changed >= model.trainableWeights.length / 2,
    `${model.name}: only ${changed} of ${model.trainableWeights.length} weights moved`,
  );
  const p = model.predict(x) as tf.Tensor;
  assert.deepEqual(p.shape, [n, numClasses]);
  p.dispose();
  // fit may create optimizer slots on its first call only; a second step must not grow memory
  const mid = tf.memory().numTensors;
  await model.fit(x, y, { epochs: 1, batchSize: n, verbose: 0 });
  assert.equal(tf.memory().numTensors, mid, `${model.name}: fit leaked (before first fit ${before})`);
  tf.dispose([x, y]);
}

describe('CKAN family (Convolutional-KANs paper)', () => {
  test('parameter counts match the paper architectures (CNN Small: 2 740, as the paper reports)', () => {
    // KAN conv kernel (B-spline, grid 10, order 3): 9 inputs × (base + 13 spline + scaler) = 135 trainable; 5 kernels per layer
    const cases: Array<[tf.LayersModel, number]> = [
      [cnnBaseline(), 50 + 230 + 2460],
      [cnnBaseline({ size: 'medium' }), 50 + 1150 + 625 * 245 + 245 + 2460],
      [kancMlp(), 2 * 5 * 135 + 6260],
      [kancMlp({ size: 'medium' }), 2 * 5 * 135 + 625 * 256 + 256 + 2570],
      [kkan(), 2 * 5 * 135 + 625 * 10 * 15],
      [kkan({ size: 'medium' }), 2 * 5 * 135 + 625 * 256 * 15 + 256 * 10 * 15],
      [convAndKan(), 50 + 230 + 245 * 10 * 15],
      [convAndKan({ size: 'medium' }), 50 + 1150 + 625 * 10 * 15],
    ];
    for (const [model, trainable] of cases) {
      const r = describeModel(model);
      assert.equal(r.trainableParams, trainable, `${r.name} trainable parameters`);
      assert.ok(r.params >= r.trainableParams);
    }
    assert.equal(describeModel(kancMlp({ gridSize: 5 })).trainableParams, 2 * 5 * 9 * 10 + 6260);
    assert.equal(kancMlp().name, 'KANC_MLP_Small');
  });

  test('KANC-MLP and CNN baseline take a fit step on 28×28×1 images', async () => {
    await oneFitStep(kancMlp({ seed: 1 }), [28, 28, 1]);
    await oneFitStep(cnnBaseline(), [28, 28, 1]);
  });

  test('KKAN and Conv & KAN take a fit step; other bases and 3-channel inputs work too', async () => {
    await oneFitStep(kkan({ gridSize: 3, seed: 2 }), [28, 28, 1]);
    await oneFitStep(convAndKan({ size: 'medium', gridSize: 3 }), [28, 28, 1]);
    await oneFitStep(kancMlp({ basis: 'chebyshev', size: 'medium', inputShape: [16, 16, 3], numClasses: 4 }), [16, 16, 3], 4);
  });

  test('ChannelsToBatch → BatchToChannels applies one kernel per channel and restores channel order c·F + f', () => {
    const x = tf.tensor4d(
      Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => i),
      [2, 2, 2, 3],
    );
    const split = new ChannelsToBatch({}).apply(x) as tf.Tensor;
    assert.deepEqual(split.shape, [6, 2, 2, 1]);
    const doubled = tf.concat([split, tf.mul(split, 10)], 3); // F = 2: f0 = x, f1 = 10x
    const merged = new BatchToChannels({ channels: 3 }).apply(doubled) as tf.Tensor;
    assert.deepEqual(merged.shape, [2, 2, 2, 6]);
    const m = merged.arraySync() as number[][][][];
    const xs = x.arraySync() as number[][][][];
    assert.equal(m[1][0][1][2 * 2 + 1], 10 * xs[1][0][1][2]);
    assert.equal(m[0][1][0][1 * 2 + 0], xs[0][1][0][1]);
    tf.dispose([x, split, doubled, merged]);
  });
});

describe('stacks and hybrids', () => {
  test('4-layer stacks of several bases, a plain-conv stack and a hybrid each take a fit step', async () => {
    const tiny = { inputShape: [12, 12, 3] as [number, number, number], widths: [4, 4, 8, 8], numClasses: 10, gridSize: 3 };
    for (const basis of ['bspline', 'chebyshev', 'rbf', 'conv'] as const) {
      const model = simpleConvKan4({ ...tiny, basis, seed: 3 });
      assert.equal(model.layers.filter((l) => l.getClassName() === 'BatchNormalization').length, 4);
      assert.equal(
        model.layers.find((l) => l.getClassName() === 'BatchNormalization')!.getConfig().momentum,
        0.9,
        "PyTorch's BatchNorm2d momentum",
      );
      await oneFitStep(model, tiny.inputShape);
    }
    const hybrid = hybridConvKan({ ...tiny, basis: 'legendre' });
    assert.deepEqual(
      hybrid.layers.filter((l) => /Conv/.test(l.getClassName())).map((l) => l.getClassName()),
      ['GroupedConv2D', 'GroupedConv2D', 'BasisConvKAN2D', 'BasisConvKAN2D'],
    );
    await oneFitStep(hybrid, tiny.inputShape);
  });

  test('8-layer stack with a KAN head; explicit mixed kinds; parameter count grows with the basis size', async () => {
    const model = simpleConvKan8({ inputShape: [8, 8, 1], widths: [2, 2, 2, 2, 4, 4, 4, 4], basis: 'gram', head: 'gram', numClasses: 3 });
    assert.equal(model.layers.filter((l) => l.getClassName() === 'BasisConvKAN2D').length, 8);
    await oneFitStep(model, [8, 8, 1], 3);
    const mixed = convStack({
      kinds: ['conv', 'reluKan', 'conv'],
      widths: [4, 4, 4],
      inputShape: [8, 8, 1],
      numClasses: 2,
      batchNorm: false,
      dropout: 0,
    });
    await oneFitStep(mixed, [8, 8, 1], 2);
    const small = describeModel(simpleConvKan4({ basis: 'chebyshev', degree: 2 })).trainableParams;
    const large = describeModel(simpleConvKan4({ basis: 'chebyshev', degree: 5 })).trainableParams;
    assert.ok(large > small);
  });

  test('bad options name the builder, the argument and the value', () => {
    assert.throws(() => kancMlp({ size: 'large' as 'small' }), /kancMlp: size must be 'small' or 'medium', but got "large"/);
    assert.throws(
      () => convStack({ kinds: ['conv'], widths: [1, 2], inputShape: [4, 4, 1], numClasses: 2 }),
      /kinds must be one kind per layer \(2\)/,
    );
    assert.throws(
      () => convStack({ kinds: 'spline' as 'conv', widths: [1], inputShape: [4, 4, 1], numClasses: 2 }),
      /basis must be 'conv' or one of/,
    );
    assert.throws(() => hybridConvKan({ convLayers: 5 }), /convLayers must be an integer in \[0, 4\], but got 5/);
  });
});
