// Training on cpu and wasm with the new arguments: BottleneckConvKAN2D's 1×1 convolutions (once
// tf.conv2d, whose filter gradient wasm lacks) and the bias of every KAN layer, through model.fit;
// the bottleneck's gradients against central differences of the float64 reference.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ConvKAN2D } from '../../kernel/convkan/layers/convKan2d';
import { KANLinear } from '../../kernel/convkan/layers/kanLinear';
import { BasisConvKAN2D } from '../../kernel/convkan/variants/basisConvKan2d';
import { BasisConvKAN1D } from '../../kernel/convkan/variants/basisConvKan1d';
import { BasisKANLinear } from '../../kernel/convkan/variants/basisKanLinear';
import { BottleneckConvKAN2D } from '../../kernel/convkan/variants/bottleneckConvKan2d';
import { geometryFor } from '../../kernel/convkan/conv/convGeometry';
import { TEST_BACKENDS, useBackend } from '../reference/backends';
import { referenceConv2d, referencePointwise, numericGrad, randomHost, type HostTensor } from './variantsReference';

const toTf = (h: HostTensor) => tf.tensor(Float32Array.from(h.data), h.shape);
const weight = (layer: tf.layers.Layer, suffix: string) => layer.weights.find((w) => w.originalName.endsWith(suffix))!;

/** Horizontal (class 0) vs vertical (class 1) stripes with noise, 8×8×2. */
function stripes(count: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  let s = 999;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const data = new Float32Array(count * 64 * 2);
  const labels = new Float32Array(count * 2);
  for (let n = 0; n < count; n++) {
    const cls = n % 2;
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++)
        for (let c = 0; c < 2; c++) {
          data[((n * 8 + y) * 8 + x) * 2 + c] = (((cls === 0 ? y : x) + c) % 2 === 0 ? 1 : -1) + 0.3 * (rand() - 0.5);
        }
    labels[n * 2 + cls] = 1;
  }
  return { xs: tf.tensor4d(data, [count, 8, 8, 2]), ys: tf.tensor2d(labels, [count, 2]) };
}

async function fitLosses(model: tf.Sequential, xs: tf.Tensor, ys: tf.Tensor, epochs: number): Promise<number[]> {
  model.compile({ optimizer: tf.train.adam(0.03), loss: 'categoricalCrossentropy' });
  const history = await model.fit(xs, ys, { epochs, batchSize: 16, shuffle: false, verbose: 0 });
  const loss = history.history.loss as number[];
  assert.ok(loss.every(Number.isFinite), `finite losses ${loss}`);
  return loss;
}

for (const backend of TEST_BACKENDS) {
  describe(`new layer arguments train on ${backend}`, () => {
    before(async () => useBackend(backend));

    const bottleneckFitTest =
      'BottleneckConvKAN2D with its own arguments only trains with model.fit ' + '(its 1×1 convolutions need a filter gradient)';
    test(bottleneckFitTest, async () => {
      const { xs, ys } = stripes(32);
      const layer = new BottleneckConvKAN2D({
        inputShape: [8, 8, 2],
        basis: 'rbf',
        filters: 3,
        kernelSize: 3,
        padding: 1,
        bottleneckChannels: 2,
        seed: 7,
      });
      const model = tf.sequential({
        layers: [
          layer,
          tf.layers.flatten(),
          tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }) }),
        ],
      });
      const expand0 = weight(layer, 'expandKernel').read().dataSync().slice();
      const loss = await fitLosses(model, xs, ys, 6);
      assert.ok(loss[loss.length - 1]! < 0.7 * loss[0]!, `loss went from ${loss[0]} to ${loss[loss.length - 1]}`);
      assert.ok(
        weight(layer, 'expandKernel')
          .read()
          .dataSync()
          .some((v, i) => v !== expand0[i]),
        'the expand kernel was trained',
      );
      tf.dispose([xs, ys]);
      model.dispose();
    });

    test('BottleneckConvKAN2D (stride 2, same, bias, relu) trains with model.fit', async () => {
      const { xs, ys } = stripes(32);
      const model = tf.sequential({
        layers: [
          new BottleneckConvKAN2D({
            inputShape: [8, 8, 2],
            basis: 'chebyshev',
            filters: 4,
            kernelSize: 3,
            strides: 2,
            padding: 'same',
            useBias: true,
            activation: 'relu',
            bottleneckChannels: 2,
            seed: 3,
          }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
        ],
      });
      const squeeze0 = weight(model.layers[0]!, 'squeezeKernel').read().dataSync().slice();
      const loss = await fitLosses(model, xs, ys, 8);
      assert.ok(loss[loss.length - 1]! < 0.6 * loss[0]!, `loss went from ${loss[0]} to ${loss[loss.length - 1]}`);
      const squeeze1 = weight(model.layers[0]!, 'squeezeKernel').read().dataSync();
      assert.ok(
        squeeze1.some((v, i) => v !== squeeze0[i]),
        'the squeeze kernel was trained',
      );
      tf.dispose([xs, ys]);
      model.dispose();
    });

    test('the bias of every KAN layer trains with model.fit', async () => {
      const { xs, ys } = stripes(16);
      const makers: Array<[string, () => tf.layers.Layer[]]> = [
        [
          'ConvKAN2D',
          () => [
            new ConvKAN2D({ inputShape: [8, 8, 2], filters: 2, kernelSize: 3, strides: 2, padding: 'same', useBias: true, seed: 1 }),
            tf.layers.flatten(),
          ],
        ],
        [
          'BasisConvKAN2D',
          () => [
            tf.layers.permute({ inputShape: [8, 8, 2], dims: [3, 1, 2] }),
            new BasisConvKAN2D({ basis: 'rbf', filters: 2, kernelSize: 3, useBias: true, dataFormat: 'channelsFirst', seed: 1 }),
            tf.layers.flatten(),
          ],
        ],
        [
          'BasisConvKAN1D',
          () => [
            tf.layers.reshape({ inputShape: [8, 8, 2], targetShape: [64, 2] }),
            new BasisConvKAN1D({ basis: 'legendre', filters: 2, kernelSize: 3, strides: 2, padding: 'same', useBias: true, seed: 1 }),
            tf.layers.flatten(),
          ],
        ],
        ['KANLinear', () => [tf.layers.flatten({ inputShape: [8, 8, 2] }), new KANLinear({ units: 3, useBias: true, seed: 1 })]],
        [
          'BasisKANLinear',
          () => [tf.layers.flatten({ inputShape: [8, 8, 2] }), new BasisKANLinear({ basis: 'gram', units: 3, useBias: true, seed: 1 })],
        ],
      ];
      for (const [what, make] of makers) {
        const layers = make();
        const kanLayer = layers.find((l) => l.getClassName().includes('KAN'))!;
        const model = tf.sequential({
          layers: [
            ...layers,
            tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
          ],
        });
        const bias0 = weight(kanLayer, 'bias').read().dataSync().slice();
        assert.ok(
          bias0.every((v) => v === 0),
          `${what}: bias starts at zero`,
        );
        const loss = await fitLosses(model, xs, ys, 3);
        assert.ok(loss[loss.length - 1]! < loss[0]!, `${what}: loss went from ${loss[0]} to ${loss[loss.length - 1]}`);
        const bias1 = weight(kanLayer, 'bias').read().dataSync();
        assert.ok(
          bias1.some((v) => v !== 0),
          `${what}: the bias was trained (${Array.from(bias1)})`,
        );
        model.dispose();
      }
      tf.dispose([xs, ys]);
    });

    test('BottleneckConvKAN2D gradients (input, 1×1 kernels, KAN kernels, bias) equal central differences of the float64 reference', () => {
      const layer = new BottleneckConvKAN2D({
        basis: 'rbf',
        filters: 3,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        useBias: true,
        bottleneckChannels: 2,
        seed: 5,
      });
      const x = randomHost([1, 5, 4, 3], 41, -1.5, 1.5);
      layer.build([1, 5, 4, 3]);
      const bias = weight(layer, 'bias');
      bias.write(tf.tensor1d([0.1, -0.2, 0.3]));
      const names = ['squeezeKernel', 'basisKernel', 'baseKernel', 'expandKernel', 'bias'];
      const host: Record<string, HostTensor> = Object.fromEntries(
        names.map((n) => [n, { shape: weight(layer, n).shape as number[], data: Float64Array.from(weight(layer, n).read().dataSync()) }]),
      );
      const g = geometryFor(layer.geometry, 5, 4);
      assert.deepEqual(
        g.padding,
        [
          [1, 1],
          [0, 1],
        ],
        "tf's 'same' for 5×4, k3, s2: totals 2 and 1, the extra at the bottom/right",
      );
      const up = randomHost([1, 3, 2, 3], 42);
      const reference = (): number => {
        const s = referencePointwise(x, host.squeezeKernel!);
        const k = referenceConv2d(s, layer.basis, g, 1, host.basisKernel!, host.baseKernel!);
        const y = referencePointwise(k, host.expandKernel!);
        return y.data.reduce((sum, v, i) => sum + (v + host.bias!.data[i % 3]!) * up.data[i]!, 0);
      };
      const xt = toTf(x);
      const ut = toTf(up);
      const before = tf.memory().numTensors;
      const vars = names.map((n) => weight(layer, n).read() as tf.Variable);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(xt) as tf.Tensor, ut)) as tf.Scalar, vars);
      const gx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(layer.apply(a) as tf.Tensor, ut)))(xt);
      for (const [n, v] of names.map((n, i) => [n, vars[i]!] as const)) {
        const got = grads[v.name]!.dataSync();
        const h = host[n]!;
        for (let i = 0; i < h.data.length; i++) {
          const want = numericGrad(reference, h.data as Float64Array, i);
          assert.ok(Math.abs(got[i]! - want) <= 2e-3 + 2e-3 * Math.abs(want), `${backend} d/d${n}[${i}]: ${got[i]} vs ${want}`);
        }
      }
      const gotX = gx.dataSync();
      for (let i = 0; i < x.data.length; i++) {
        const want = numericGrad(reference, x.data as Float64Array, i);
        assert.ok(Math.abs(gotX[i]! - want) <= 2e-3 + 2e-3 * Math.abs(want), `${backend} d/dx[${i}]: ${gotX[i]} vs ${want}`);
      }
      tf.dispose([value, gx, ...Object.values(grads)]);
      assert.equal(tf.memory().numTensors, before, 'no tensors left behind by the gradients');
      tf.dispose([xt, ut]);
    });
  });
}
