// convkan.seed governs every unseeded random number: layer initializers (tfjs' own and ours),
// tf random ops, model.fit's shuffle (Math.random in tfjs-layers), tf.data's shuffle and the
// augmentations' default seed.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { augmentBatch, randomCrop, randomHorizontalFlip } from '../../kernel/convkan/data/augment';
import { currentSeed, defaultSeed, seed, seedFromEnv, SEED_ENV, unseed } from '../../kernel/convkan/repro/globalSeed';
import { runEnvironment } from '../../kernel/convkan/repro/runEnvironment';
import { ConvKAN2D } from '../../kernel/convkan/layers/convKan2d';
import { BasisKANLinear } from '../../kernel/convkan/variants/basisKanLinear';

/** Everything random a short session draws, as plain numbers. */
async function draw(): Promise<number[]> {
  const dense = tf.layers.dense({ units: 3, inputShape: [4] });
  const conv = new ConvKAN2D({ filters: 2, kernelSize: 3, gridSize: 3 });
  const lin = new BasisKANLinear({ basis: 'chebyshev', units: 2 });
  const model = tf.sequential({ layers: [dense, tf.layers.dropout({ rate: 0.5 }), lin] });
  tf.dispose(tf.tidy(() => conv.apply(tf.zeros([1, 5, 5, 1])) as tf.Tensor));
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const x = tf.randomNormal([8, 4]);
  const y = tf.randomUniform([8, 2]);
  const h = await model.fit(x, y, { epochs: 2, batchSize: 2, shuffle: true, verbose: 0 });
  const order = await tf.data.array([0, 1, 2, 3, 4, 5]).shuffle(6).toArray();
  const img = tf.tidy(() => tf.range(0, 2 * 4 * 4).reshape([2, 4, 4, 1]) as tf.Tensor4D);
  const aug = augmentBatch(img, [randomHorizontalFlip(0.5), randomCrop(1)]);
  const out = [
    ...model.getWeights().flatMap((w) => Array.from(w.dataSync())),
    ...conv.getWeights().flatMap((w) => Array.from(w.dataSync())),
    ...(h.history.loss as number[]),
    ...order,
    ...Array.from(aug.dataSync()),
  ];
  tf.dispose([x, y, img, aug]);
  model.dispose();
  conv.dispose();
  return out;
}

describe('convkan.seed', () => {
  afterEach(() => unseed());

  test('the same seed draws the same initial weights, random ops, fit shuffle, tf.data shuffle and augmentations', async () => {
    await tf.setBackend('cpu');
    seed(42);
    const before = tf.memory().numTensors;
    const a = await draw();
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    seed(42);
    const b = await draw();
    assert.deepEqual(a, b);
    seed(43);
    const c = await draw();
    assert.notDeepEqual(a, c, 'another seed, other numbers');
    unseed();
    assert.notDeepEqual(await draw(), a, 'unseeded draws differ');
  });

  test('the augmentations default to the global seed (0 when unseeded)', () => {
    const img = tf.tidy(() => tf.range(0, 4 * 6 * 6).reshape([4, 6, 6, 1]) as tf.Tensor4D);
    const augs = [randomHorizontalFlip(0.5), randomCrop(2)];
    const values = (s?: number) => {
      const t = s === undefined ? augmentBatch(img, augs) : augmentBatch(img, augs, s);
      const v = Array.from(t.dataSync());
      t.dispose();
      return v;
    };
    assert.deepEqual(values(), values(0));
    seed(5);
    assert.equal(defaultSeed(), 5);
    assert.deepEqual(values(), values(5));
    img.dispose();
  });

  test('unseed restores Math.random; currentSeed and the run environment report the seed', () => {
    const native = Math.random;
    seed(9);
    assert.notEqual(Math.random, native);
    assert.equal(currentSeed(), 9);
    assert.equal(runEnvironment().seed, 9);
    unseed();
    assert.equal(Math.random, native);
    assert.equal(currentSeed(), null);
    assert.equal(runEnvironment().seed, null);
  });

  test('CONVKAN_SEED seeds, empty unseeds, anything else is refused naming the value', () => {
    assert.equal(SEED_ENV, 'CONVKAN_SEED');
    assert.equal(seedFromEnv({ CONVKAN_SEED: '12' }), 12);
    assert.equal(currentSeed(), 12);
    assert.equal(seedFromEnv({}), null);
    assert.equal(currentSeed(), null);
    assert.throws(() => seedFromEnv({ CONVKAN_SEED: 'abc' }), /Error in CONVKAN_SEED: the seed must be an integer, but got "abc"/);
    assert.throws(() => seed(1.5), /Error in convkan.seed: the seed must be an integer, but got 1.5/);
    assert.throws(() => seed('3' as unknown as number), /but got "3"/);
  });

  test('the run environment names backend, threads and versions', async () => {
    await tf.setBackend('cpu');
    const env = runEnvironment();
    assert.equal(env.backend, 'cpu');
    assert.equal(env.threads, 1);
    assert.equal(env.tfjs, tf.version.tfjs);
    assert.equal(env.convkan, require('../../package.json').version);
    assert.equal(env.node, process.version);
  });
});
