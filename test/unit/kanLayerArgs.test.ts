// Conv2d's / Dense's argument set on every KAN layer: unknown names are refused with the accepted
// ones, tf's and PyTorch's spellings are aliases, 'same' follows tf.layers.conv2d for any stride,
// channelsFirst, useBias, activation and the weights' initializers/regularizers/constraints.
// Where the KAN part is zeroed, each layer must equal tf.layers.conv2d / conv1d / dense on silu(x).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { ConvKAN2D } from '../../kernel/convkan/layers/convKan2d';
import { KANLinear } from '../../kernel/convkan/layers/kanLinear';
import { BasisConvKAN2D } from '../../kernel/convkan/variants/basisConvKan2d';
import { BasisConvKAN1D } from '../../kernel/convkan/variants/basisConvKan1d';
import { BasisKANLinear } from '../../kernel/convkan/variants/basisKanLinear';
import { BottleneckConvKAN2D } from '../../kernel/convkan/variants/bottleneckConvKan2d';
import { KACNConv2D } from '../../kernel/convkan/variants/families';
import { UnknownArgumentError } from '../../kernel/convkan/layers/argNames';
import { ConvKanArgumentError } from '../../kernel/convkan/conv/argumentError';

const silu = (x: tf.Tensor) => tf.mul(x, tf.sigmoid(x));
const weight = (layer: tf.layers.Layer, suffix: string) => layer.weights.find((w) => w.originalName.endsWith(suffix));
const close = (a: tf.Tensor, b: tf.Tensor, what: string, tol = 2e-5) => {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  const [x, y] = [a.dataSync(), b.dataSync()];
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= tol * (1 + Math.abs(y[i])), `${what}: [${i}] ${x[i]} vs ${y[i]}`);
};

/** Sets the KAN part (spline / basis weights) to zero, so that the layer is conv(silu(x), base) + bias. */
function keepOnlyBase(layer: tf.layers.Layer): void {
  for (const name of ['spline_weight', 'basisKernel']) {
    const w = weight(layer, name);
    if (w) w.write(tf.zerosLike(w.read()));
  }
  const bias = weight(layer, 'bias');
  assert.ok(bias, `${layer.name} has a bias`);
  bias.write(tf.randomUniform(bias.shape as number[], -1, 1, 'float32', 3));
}

type Conv2dMaker = (args: Record<string, unknown>) => tf.layers.Layer;
const CONV2D: Record<string, Conv2dMaker> = {
  ConvKAN2D: (a) => new ConvKAN2D({ gridSize: 3, seed: 1, ...a } as never),
  'ConvKAN2D unfold path': (a) => new ConvKAN2D({ gridSize: 3, seed: 1, forwardPath: 'unfold', ...a } as never),
  BasisConvKAN2D: (a) => new BasisConvKAN2D({ basis: 'chebyshev', seed: 1, ...a } as never),
  KACNConv2D: (a) => new KACNConv2D({ seed: 1, ...a } as never),
};

describe('argument names', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      'ConvKAN2D',
      () => new ConvKAN2D({ filters: 2, kernelSize: 3, dilatoin: 2, name: 'c' } as never),
      new RegExp(
        /^ConvKAN2D 'c': unknown argument 'dilatoin'\. Did you mean 'dilation'\? Accepted: name, .*kernelSize, strides, padding, /.source +
          /dilation, .*useBias, activation, .*splineInitializer/.source,
      ),
    ],
    [
      'KANLinear',
      () => new KANLinear({ units: 2, kernelInitialiser: 'zeros' } as never),
      /^KANLinear: unknown argument 'kernelInitialiser'\. Did you mean 'kernelInitializer'\? Accepted: .*units/,
    ],
    [
      'BasisConvKAN2D',
      () => new BasisConvKAN2D({ basis: 'rbf', filters: 2, kernelSize: 3, useBiass: true } as never),
      /^BasisConvKAN2D: unknown argument 'useBiass'\. Did you mean 'useBias'\?/,
    ],
    [
      'a family class',
      () => new KACNConv2D({ filters: 2, kernelSize: 3, kernel_size: 3 } as never),
      /^KACNConv2D: unknown argument 'kernel_size'\. Did you mean 'kernelSize'\?/,
    ],
    [
      'BasisConvKAN1D',
      () => new BasisConvKAN1D({ basis: 'rbf', filters: 2, kernelSize: 3, paddingMod: 'zeros' } as never),
      /^BasisConvKAN1D: unknown argument 'paddingMod'\. Did you mean 'paddingMode'\?/,
    ],
    [
      'BasisKANLinear',
      () => new BasisKANLinear({ basis: 'rbf', units: 2, actvation: 'relu' } as never),
      /^BasisKANLinear: unknown argument 'actvation'\. Did you mean 'activation'\?/,
    ],
    [
      'BottleneckConvKAN2D',
      () => new BottleneckConvKAN2D({ basis: 'rbf', filters: 2, kernelSize: 3, reductoin: 2 } as never),
      /^BottleneckConvKAN2D: unknown argument 'reductoin'\. Did you mean 'reduction'\?/,
    ],
  ];
  for (const [what, make, message] of cases) {
    test(`${what}: an unknown name is refused with the closest and all accepted names`, () => {
      assert.throws(make, (e: unknown) => e instanceof UnknownArgumentError && message.test(e.message));
    });
  }

  test("tf's and PyTorch's spellings are aliases: dilationRate 2 gives 5×5 from 9×9 with a 3×3 kernel", () => {
    const x = tf.randomUniform([1, 9, 9, 2], -1, 1, 'float32', 1);
    for (const [what, make] of Object.entries(CONV2D)) {
      const layer = make({ filters: 3, kernelSize: 3, dilationRate: 2 });
      assert.deepEqual((layer.apply(x) as tf.Tensor).shape, [1, 5, 5, 3], what);
      assert.deepEqual(layer.getConfig().dilation, [2, 2], what);
    }
    const b = new BottleneckConvKAN2D({
      basis: 'rbf',
      filters: 3,
      kernelSize: 3,
      dilationRate: 2,
      stride: 2,
      bias: true,
      outChannels: 3,
    } as never);
    assert.deepEqual((b.apply(x) as tf.Tensor).shape, [1, 3, 3, 3]);
    assert.equal(b.getConfig().useBias, true);
    assert.deepEqual(new KANLinear({ outFeatures: 4, bias: true }).getConfig().units, 4);
    assert.deepEqual(
      (
        new BasisConvKAN1D({ basis: 'rbf', outChannels: 2, kernelSize: 3, dilationRate: 2 } as never).apply(
          tf.zeros([1, 9, 1]),
        ) as tf.Tensor
      ).shape,
      [1, 5, 2],
    );
  });

  test('a name and its alias with different values are refused', () => {
    assert.throws(
      () => new BasisConvKAN2D({ basis: 'rbf', filters: 2, kernelSize: 3, dilation: 1, dilationRate: 2, name: 'd' }),
      new RegExp(
        /BasisConvKAN2D 'd': dilation \(given also as its alias dilationRate\) must be given once, or the same value twice \(1\), /.source +
          /but got 2\./.source,
      ),
    );
    assert.doesNotThrow(() => new ConvKAN2D({ filters: 2, outChannels: 2, kernelSize: 3 }));
  });

  test('bad values of the new arguments name the layer, the argument and the value', () => {
    assert.throws(
      () => new ConvKAN2D({ filters: 2, kernelSize: 3, activation: 'rellu' as never, name: 'a' }),
      /ConvKAN2D 'a': activation must be one of 'linear', .*'relu'.*, but got "rellu"\./,
    );
    assert.throws(
      () => new BasisConvKAN2D({ basis: 'rbf', filters: 2, kernelSize: 3, useBias: 1 as never, name: 'u' }),
      /BasisConvKAN2D 'u': useBias must be true or false, but got 1\./,
    );
    assert.throws(
      () => new KANLinear({ units: 2, kernelInitializer: 'glorotUnifrom', name: 'k' }),
      /KANLinear 'k': kernelInitializer must be a tf\.initializers object, its name or its saved config, but got "glorotUnifrom"/,
    );
    assert.throws(
      () => new BasisKANLinear({ basis: 'rbf', units: 2, activityRegularizer: tf.regularizers.l2() as never, name: 'r' }),
      /BasisKANLinear 'r': activityRegularizer must be null \(tfjs-layers refuses/,
    );
    assert.throws(
      () => new ConvKAN2D({ filters: 2, kernelSize: 3, padding: 'causal' as never, name: 'p' }),
      /ConvKAN2D 'p': padding must be .*'causal' is for 1-D layers/,
    );
    assert.throws(
      () => new BasisConvKAN2D({ basis: 'rbf', filters: 2, kernelSize: 3, dataFormat: 'NCHW' as never, name: 'f' }),
      (e: unknown) =>
        e instanceof ConvKanArgumentError && /dataFormat must be 'channelsLast' or 'channelsFirst', but got "NCHW"/.test(e.message),
    );
  });
});

describe("'same' with any stride, as tf.layers.conv2d", () => {
  const shapes: Array<[number, number, number, number]> = [
    [7, 3, 2, 1],
    [8, 3, 2, 1],
    [8, 4, 3, 1],
    [9, 2, 2, 1],
    [7, 3, 1, 2],
    [6, 4, 1, 3],
  ]; // size, kernel, stride, dilation
  for (const [what, make] of Object.entries(CONV2D)) {
    test(`${what}: output shapes and values equal tf.layers.conv2d on silu(x) when the KAN part is zero, with bias and activation`, () => {
      for (const [size, k, s, d] of shapes) {
        for (const dataFormat of ['channelsLast', 'channelsFirst'] as const) {
          const label = `${what} ${size}² k${k} s${s} d${d} ${dataFormat}`;
          const inShape = dataFormat === 'channelsLast' ? [2, size, size + 1, 3] : [2, 3, size, size + 1];
          const x = tf.randomUniform(inShape, -1.5, 1.5, 'float32', size + k);
          const args = {
            filters: 4,
            kernelSize: k,
            strides: s,
            dilationRate: d,
            padding: 'same',
            useBias: true,
            activation: 'tanh',
            dataFormat,
          };
          const layer = make(args);
          const plain = tf.layers.conv2d({ ...args, padding: 'same' } as Parameters<typeof tf.layers.conv2d>[0]);
          const y = layer.apply(x) as tf.Tensor;
          keepOnlyBase(layer);
          const yKan = layer.apply(x) as tf.Tensor;
          plain.apply(x);
          plain.setWeights([weight(layer, 'base_weight')?.read() ?? weight(layer, 'baseKernel')!.read(), weight(layer, 'bias')!.read()]);
          const want = plain.apply(silu(x)) as tf.Tensor;
          assert.deepEqual(y.shape, want.shape, `${label}: shape`);
          assert.deepEqual(layer.computeOutputShape(inShape), plain.computeOutputShape(inShape), `${label}: computeOutputShape`);
          close(yKan, want, label);
          tf.dispose([x, y, yKan, want]);
        }
      }
    });
  }

  test('BottleneckConvKAN2D: squeeze → conv(silu) with tf padding → expand + bias, activation', () => {
    for (const [size, k, s, d] of shapes) {
      const x = tf.randomUniform([2, size, size, 5], -1.5, 1.5, 'float32', 9);
      const layer = new BottleneckConvKAN2D({
        basis: 'rbf',
        filters: 3,
        kernelSize: k,
        strides: s,
        dilationRate: d,
        padding: 'same',
        useBias: true,
        activation: 'relu',
        bottleneckChannels: 2,
        seed: 2,
      });
      layer.apply(x);
      keepOnlyBase(layer);
      const r = (n: string) => weight(layer, n)!.read() as tf.Tensor4D;
      const squeezed = tf.conv2d(x as tf.Tensor4D, r('squeezeKernel'), 1, 'valid');
      const mid = tf.conv2d(silu(squeezed) as tf.Tensor4D, r('baseKernel'), s, 'same', 'NHWC', d);
      const want = tf.relu(tf.add(tf.conv2d(mid, r('expandKernel'), 1, 'valid'), r('bias')));
      close(layer.apply(x) as tf.Tensor, want, `bottleneck ${size} k${k} s${s} d${d}`);
      assert.deepEqual(layer.computeOutputShape([2, size, size, 5]), want.shape);
    }
  });

  // tf.layers.conv1d's channelsFirst is inconsistent in tfjs 4.22 (computeOutputShape [N, C, L], apply [N, L, C]),
  // so channelsFirst is checked against its channelsLast result, transposed
  test("BasisConvKAN1D: 'same' (any stride) and 'causal' equal tf.layers.conv1d, channelsLast and channelsFirst", () => {
    for (const [size, k, s, d] of shapes) {
      for (const padding of ['same', 'causal', 'valid'] as const) {
        for (const dataFormat of ['channelsLast', 'channelsFirst'] as const) {
          if (padding === 'valid' && d * (k - 1) + 1 > size) continue; // no output position
          const label = `1d ${size} k${k} s${s} d${d} ${padding} ${dataFormat}`;
          const inShape = dataFormat === 'channelsLast' ? [2, size, 3] : [2, 3, size];
          const x = tf.randomUniform(inShape, -1.5, 1.5, 'float32', 4);
          const args = {
            filters: 2,
            kernelSize: k,
            strides: s,
            dilationRate: d,
            padding,
            useBias: true,
            activation: 'sigmoid' as const,
            dataFormat,
          };
          const layer = new BasisConvKAN1D({ basis: 'legendre', seed: 3, ...args });
          layer.apply(x);
          keepOnlyBase(layer);
          const first = dataFormat === 'channelsFirst';
          // tfjs' conv1d has no 'causal' ("not implemented yet"): 'valid' after d·(k − 1) zeros on the left
          const plain = tf.layers.conv1d({ ...args, dataFormat: 'channelsLast', padding: padding === 'causal' ? 'valid' : padding });
          const xLast = first ? tf.transpose(x, [0, 2, 1]) : x;
          const act =
            padding === 'causal'
              ? tf.pad(silu(xLast), [
                  [0, 0],
                  [d * (k - 1), 0],
                  [0, 0],
                ])
              : silu(xLast);
          plain.apply(act);
          plain.setWeights([weight(layer, 'baseKernel')!.read(), weight(layer, 'bias')!.read()]);
          const wantLast = plain.apply(act) as tf.Tensor;
          const want = first ? tf.transpose(wantLast, [0, 2, 1]) : wantLast;
          close(layer.apply(x) as tf.Tensor, want, label);
          assert.deepEqual(layer.computeOutputShape(inShape), want.shape, `${label}: computeOutputShape`);
        }
      }
    }
  });

  test('KANLinear and BasisKANLinear: silu(x)·W + b with activation equals tf.layers.dense on silu(x)', () => {
    const x = tf.randomUniform([3, 2, 5], -1.5, 1.5, 'float32', 6);
    for (const layer of [
      new KANLinear({ units: 4, useBias: true, activation: 'elu', seed: 1 }),
      new BasisKANLinear({ basis: 'gram', units: 4, useBias: true, activation: 'elu', seed: 1 }),
    ]) {
      layer.apply(x);
      keepOnlyBase(layer);
      const plain = tf.layers.dense({ units: 4, activation: 'elu' });
      plain.apply(x);
      plain.setWeights([(weight(layer, 'base_weight') ?? weight(layer, 'baseKernel'))!.read(), weight(layer, 'bias')!.read()]);
      close(layer.apply(x) as tf.Tensor, plain.apply(silu(x)) as tf.Tensor, layer.getClassName());
    }
  });
});

describe('channelsFirst', () => {
  test('BasisConvKAN2D and BottleneckConvKAN2D read NCHW: the NHWC layer with the same weights, transposed', () => {
    const x = tf.randomUniform([2, 6, 5, 3], -1, 1, 'float32', 8);
    const makers: Array<(df: 'channelsLast' | 'channelsFirst') => tf.layers.Layer> = [
      (dataFormat) =>
        new BasisConvKAN2D({ basis: 'rbf', filters: 4, kernelSize: 3, strides: 2, padding: 'same', dataFormat, useBias: true, seed: 1 }),
      (dataFormat) =>
        new BottleneckConvKAN2D({
          basis: 'chebyshev',
          filters: 4,
          kernelSize: [3, 2],
          padding: 1,
          dataFormat,
          bottleneckChannels: 2,
          seed: 1,
        }),
      (dataFormat) => new ConvKAN2D({ filters: 4, kernelSize: 3, dilation: 2, padding: 'same', dataFormat, useBias: true, seed: 1 }),
    ];
    for (const make of makers) {
      const last = make('channelsLast');
      const first = make('channelsFirst');
      const yLast = last.apply(x) as tf.Tensor;
      const xFirst = tf.transpose(x, [0, 3, 1, 2]);
      first.apply(xFirst);
      first.setWeights(last.getWeights());
      close(first.apply(xFirst) as tf.Tensor, tf.transpose(yLast, [0, 3, 1, 2]), `${last.getClassName()} channelsFirst`, 1e-6);
      assert.deepEqual(first.computeOutputShape([2, 3, 6, 5]), [2, 4, ...yLast.shape.slice(1, 3)]);
      assert.throws(() => first.apply(x), /input/); // NHWC given to an NCHW layer: 5 channels on axis 1, not 3
    }
  });
});

describe('memory', () => {
  test('no tensor leaks with bias, activation, channelsFirst and tf padding', () => {
    const layers: Array<[tf.layers.Layer, number[]]> = [
      [
        new ConvKAN2D({
          filters: 2,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          dataFormat: 'channelsFirst',
          useBias: true,
          activation: 'softmax',
        }),
        [1, 3, 6, 5],
      ],
      [
        new BasisConvKAN2D({
          basis: 'morlet',
          filters: 2,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          dataFormat: 'channelsFirst',
          useBias: true,
          activation: 'relu',
        }),
        [1, 3, 6, 5],
      ],
      [
        new BottleneckConvKAN2D({
          basis: 'bernstein',
          filters: 2,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          dataFormat: 'channelsFirst',
          useBias: true,
          activation: 'gelu',
        }),
        [1, 3, 6, 5],
      ],
      [
        new BasisConvKAN1D({
          basis: 'jacobi',
          filters: 2,
          kernelSize: 3,
          padding: 'causal',
          dataFormat: 'channelsFirst',
          useBias: true,
          activation: 'selu',
        }),
        [1, 3, 6],
      ],
      [new KANLinear({ units: 2, useBias: true, activation: 'swish' }), [2, 3]],
      [new BasisKANLinear({ basis: 'reluKan', units: 2, useBias: true, activation: 'mish' }), [2, 3]],
    ];
    for (const [layer, shape] of layers) {
      const x = tf.randomUniform(shape, -1, 1, 'float32', 1);
      tf.dispose(layer.apply(x) as tf.Tensor); // builds the weights
      const before = tf.memory().numTensors;
      const y = layer.apply(x) as tf.Tensor;
      assert.equal(tf.memory().numTensors, before + 1, `${layer.getClassName()}: only the output stays`);
      const g = tf.grad((a: tf.Tensor) => tf.sum(layer.apply(a) as tf.Tensor))(x);
      assert.equal(tf.memory().numTensors, before + 2, `${layer.getClassName()}: only the gradient stays`);
      tf.dispose([x, y, g]);
    }
  });
});

describe('initializers, regularizers, constraints', () => {
  test('kernelInitializer sets every KAN weight; a per-weight one overrides it; defaults stay efficient-kan’s', () => {
    const seeded = new ConvKAN2D({ filters: 2, kernelSize: 3, seed: 4 });
    const same = new ConvKAN2D({ filters: 2, kernelSize: 3, seed: 4, useBias: false, activation: 'linear' });
    seeded.build([1, 5, 5, 2]);
    same.build([1, 5, 5, 2]);
    seeded.getWeights().forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(same.getWeights()[i]!.dataSync())));
    const zeroed = new ConvKAN2D({ filters: 2, kernelSize: 3, kernelInitializer: 'zeros', splineInitializer: 'ones', seed: 4 });
    zeroed.build([1, 5, 5, 2]);
    assert.ok(
      Array.from(zeroed.baseWeight!.read().dataSync()).every((v) => v === 0),
      'base_weight from kernelInitializer zeros',
    );
    assert.ok(
      Array.from(zeroed.splineScaler!.read().dataSync()).every((v) => v === 0),
      'spline_scaler from kernelInitializer zeros',
    );
    assert.ok(
      Array.from(zeroed.splineWeight!.read().dataSync()).every((v) => v === 1),
      'spline_weight from splineInitializer ones',
    );
    const lin = new BasisKANLinear({
      basis: 'rbf',
      units: 3,
      baseInitializer: tf.initializers.constant({ value: 0.5 }),
      basisInitializer: 'zeros',
      useBias: true,
      biasInitializer: 'ones',
    });
    lin.build([1, 4]);
    assert.ok(
      Array.from(weight(lin, 'baseKernel')!.read().dataSync()).every((v) => v === 0.5),
      'baseInitializer constant 0.5',
    );
    assert.ok(
      Array.from(weight(lin, 'basisKernel')!.read().dataSync()).every((v) => v === 0),
      'basisInitializer zeros',
    );
    assert.ok(
      Array.from(weight(lin, 'bias')!.read().dataSync()).every((v) => v === 1),
      'biasInitializer ones',
    );
  });

  test('regularizers add their penalty to the layer losses (model.fit includes them)', () => {
    const layer = new BasisConvKAN2D({
      basis: 'rbf',
      filters: 2,
      kernelSize: 3,
      kernelRegularizer: tf.regularizers.l2({ l2: 0.1 }),
      useBias: true,
      biasRegularizer: 'l1l2' as never,
      biasInitializer: 'ones',
    });
    layer.build([1, 5, 5, 2]);
    const got = layer.losses.map((f) => (f as unknown as () => tf.Scalar)().dataSync()[0]!).reduce((a, b) => a + b, 0);
    const sq = (n: string) => tf.sum(tf.square(weight(layer, n)!.read())).dataSync()[0]!;
    const want = 0.1 * (sq('basisKernel') + sq('baseKernel')) + 0.01 * 2 + 0.01 * 2; // l1l2 defaults: 0.01·|b| + 0.01·b² for b = [1, 1]
    assert.ok(Math.abs(got - want) < 1e-4 * want, `${got} vs ${want}`);
    const kan = new ConvKAN2D({
      filters: 2,
      kernelSize: 3,
      regularization: { activation: 1, entropy: 1 },
      splineRegularizer: tf.regularizers.l1({ l1: 0.5 }),
    });
    kan.build([1, 5, 5, 2]);
    assert.equal(kan.losses.length, 1);
    const combined = (kan.losses[0] as unknown as () => tf.Scalar)().dataSync()[0]!;
    const parts = kan.regularizationLoss().dataSync()[0]! + 0.5 * tf.sum(tf.abs(kan.splineWeight!.read())).dataSync()[0]!;
    assert.ok(Math.abs(combined - parts) < 1e-4 * parts, `${combined} vs ${parts}`);
  });

  test('constraints apply when a weight is written, as in tfjs-layers', () => {
    const layer = new ConvKAN2D({
      filters: 2,
      kernelSize: 3,
      kernelConstraint: 'nonNeg',
      useBias: true,
      biasConstraint: tf.constraints.maxNorm({ maxValue: 1, axis: 0 }),
    });
    layer.build([1, 5, 5, 2]);
    layer.baseWeight!.write(tf.fill(layer.baseWeight!.shape as number[], -1));
    assert.ok(
      Array.from(layer.baseWeight!.read().dataSync()).every((v) => v === 0),
      'nonNeg clamps a written -1 to 0',
    );
    layer.bias!.write(tf.tensor1d([3, 4]));
    close(layer.bias!.read(), tf.tensor1d([0.6, 0.8]), 'maxNorm', 1e-5);
  });
});

describe('serialization of the new arguments', () => {
  async function roundTrip(layer: tf.layers.Layer, inputShape: number[]): Promise<void> {
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape }), layer] });
    const b = weight(layer, 'bias');
    if (b) b.write(tf.randomUniform(b.shape as number[], -1, 1, 'float32', 2)); // not the initial zeros
    let saved: tf.io.ModelArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const back = loaded.layers[loaded.layers.length - 1]!;
    assert.deepEqual(back.getConfig(), { ...layer.getConfig(), name: back.name });
    const x = tf.randomUniform([2, ...inputShape], -1.5, 1.5, 'float32', 5);
    assert.deepEqual(
      Array.from((loaded.predict(x) as tf.Tensor).dataSync()),
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
      layer.getClassName(),
    );
  }
  const rich = {
    useBias: true,
    activation: 'relu6' as const,
    kernelInitializer: 'heNormal',
    biasRegularizer: tf.regularizers.l2({ l2: 0.02 }),
    biasConstraint: 'nonNeg',
    dataFormat: 'channelsFirst' as const,
  };
  // (a kernel constraint would change the loaded weights: setWeights applies it, the initializer does not)

  test('getConfig carries them and save → load predicts the same', async () => {
    await roundTrip(
      new ConvKAN2D({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', dilationRate: 1, ...rich, splineInitializer: 'ones' }),
      [2, 7, 6],
    );
    await roundTrip(
      new BasisConvKAN2D({
        basis: 'legendre',
        filters: 3,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        ...rich,
        basisRegularizer: 'l1l2' as never,
      }),
      [2, 7, 6],
    );
    await roundTrip(
      new BottleneckConvKAN2D({ basis: 'rbf', filters: 3, kernelSize: 3, strides: 2, padding: 'same', ...rich, expandInitializer: 'ones' }),
      [4, 7, 6],
    );
    await roundTrip(new BasisConvKAN1D({ basis: 'chebyshev', filters: 3, kernelSize: 3, strides: 2, padding: 'same', ...rich }), [2, 7]);
    const { dataFormat: _df, ...dense } = rich;
    await roundTrip(new KANLinear({ units: 3, inputDim: 4, ...dense, scalerInitializer: 'ones' }), [4]);
    await roundTrip(new BasisKANLinear({ basis: 'dog', units: 3, ...dense }), [4]);
    const config = new ConvKAN2D({
      filters: 3,
      kernelSize: 3,
      ...rich,
      kernelConstraint: tf.constraints.maxNorm({ maxValue: 2 }),
    }).getConfig();
    assert.equal((config.biasConstraint as { className: string }).className, 'NonNeg');
    assert.equal(config.activation, 'relu6');
    assert.equal(config.useBias, true);
    // as tf writes it
    assert.deepEqual(config.kernelInitializer, tf.layers.dense({ units: 1, kernelInitializer: 'heNormal' }).getConfig().kernelInitializer);
    assert.equal((config.kernelConstraint as { className: string }).className, 'MaxNorm');
    assert.equal((config.biasRegularizer as { className: string }).className, 'L1L2');
  });
});
