// One scaffold for every KAN layer: the convolutions share KANConv (one argument resolver, one
// input check), so the same bad argument or input gets the same message from every class, and
// every KAN layer answers edgeFunctions(), which is what display.splines draws.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ConvKAN2D } from '../../kernel/convkan/layers/convKan2d';
import { KANLinear } from '../../kernel/convkan/layers/kanLinear';
import { KANConv } from '../../kernel/convkan/layers/kanConvBase';
import { KANLayer } from '../../kernel/convkan/layers/kanLayer';
import { sampleEdgeFunctions } from '../../kernel/convkan/inspect/edgeFunctions';
import { sampleVariantEdgeFunctions } from '../../kernel/convkan/inspect/variantEdgeFunctions';
import {
  BasisConvKAN1D,
  BasisConvKAN2D,
  BasisKANLinear,
  BottleneckConvKAN2D,
  KACNConv2D,
  FastKANConv1D,
} from '../../kernel/convkan/variants';
import { ConvKanArgumentError } from '../../kernel/convkan/conv/argumentError';
import { createDisplayApi, MIME_SPLINES, parsePayload, type SplinesPayload } from '../../kernel/display';
import { RecordingSink } from './displayHelpers';

tf.setBackend('cpu');

type Make = (args: Record<string, unknown>) => tf.layers.Layer;
/** Every 2-D KAN convolution class, each with the arguments it needs beyond the geometry. */
const CONV_2D: Array<[string, Make]> = [
  ['ConvKAN2D', (a) => new ConvKAN2D(a as never)],
  ['BasisConvKAN2D', (a) => new BasisConvKAN2D({ basis: 'chebyshev', ...a } as never)],
  ['KACNConv2D', (a) => new KACNConv2D(a as never)],
  ['BottleneckConvKAN2D', (a) => new BottleneckConvKAN2D({ basis: 'rbf', ...a } as never)],
];
const CONV_1D: Array<[string, Make]> = [
  ['BasisConvKAN1D', (a) => new BasisConvKAN1D({ basis: 'rbf', ...a } as never)],
  ['FastKANConv1D', (a) => new FastKANConv1D(a as never)],
];

/** The message of the ConvKanArgumentError fn throws, with the layer's "Class 'name': " taken off (asserted first). */
function errorAfterContext(className: string, name: string, fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConvKanArgumentError, `${className}: expected a ConvKanArgumentError, got ${String(e)}`);
    const prefix = `${className} '${name}': `;
    assert.ok(e.message.startsWith(prefix), `${className}: the message names the layer: ${e.message}`);
    return e.message.slice(prefix.length);
  }
  assert.fail(`${className}: no error was thrown`);
}

/** Asserts that every class gives the same message (after its own name) for the same call, and that it matches `expected`. */
function sameErrorEverywhere(classes: Array<[string, Make]>, call: (make: Make, name: string) => unknown, expected: RegExp): void {
  const messages = classes.map(([cls, make]) => errorAfterContext(cls, 'n', () => call(make, 'n')));
  for (const [i, m] of messages.entries()) assert.equal(m, messages[0], `${classes[i]![0]} and ${classes[0]![0]} differ`);
  assert.match(messages[0]!, expected);
}

describe('KANConv: one argument resolver for every KAN convolution', () => {
  test('every conv class extends KANConv, every KAN layer KANLayer', () => {
    const convs = [...CONV_2D, ...CONV_1D].map(([, make]) => make({ filters: 2, kernelSize: 3 }));
    for (const l of convs) assert.ok(l instanceof KANConv, `${l.getClassName()} extends KANConv`);
    for (const l of [new KANLinear({ units: 1 }), new BasisKANLinear({ basis: 'rbf', units: 1 }), ...convs])
      assert.ok(l instanceof KANLayer, `${l.getClassName()} extends KANLayer`);
  });

  const cases2d: Array<[string, Record<string, unknown>, RegExp]> = [
    ['missing kernelSize', { filters: 2 }, /^kernelSize must be a number or \[h, w\] of positive integers, but got undefined\.$/],
    ['zero kernelSize', { filters: 2, kernelSize: [0, 3] }, /^kernelSize must be .*, but got \[0,3\]\.$/],
    [
      'negative stride',
      { filters: 2, kernelSize: 3, strides: -1 },
      /^strides must be a number or \[h, w\] of positive integers, but got -1\.$/,
    ],
    ['zero dilation (tf spelling)', { filters: 2, kernelSize: 3, dilationRate: [1, 0] }, /^dilation must be .*, but got \[1,0\]\.$/],
    ['unknown padding', { filters: 2, kernelSize: 3, padding: 'full' }, /^padding must be 'same', 'valid', .*, but got "full"\.$/],
    [
      "'causal' on a 2-D layer",
      { filters: 2, kernelSize: 3, padding: 'causal' },
      /^padding must be .*\('causal' is for 1-D layers\), but got "causal"\.$/,
    ],
    [
      'unknown padding mode',
      { filters: 2, kernelSize: 3, paddingMode: 'mirror' },
      /^paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', but got "mirror"\.$/,
    ],
    ['missing filters', { kernelSize: 3 }, /^filters must be a positive integer, but got undefined\.$/],
    ['fractional groups', { filters: 2, kernelSize: 3, groups: 1.5 }, /^groups must be a positive integer, but got 1\.5\.$/],
    [
      'filters not divisible by groups',
      { filters: 3, kernelSize: 3, groups: 2 },
      /^filters must be divisible by groups \(2\), but got 3\.$/,
    ],
    [
      'unknown data format',
      { filters: 2, kernelSize: 3, dataFormat: 'NHWC' },
      /^dataFormat must be 'channelsLast' or 'channelsFirst', but got "NHWC"\.$/,
    ],
  ];
  for (const [what, args, expected] of cases2d) {
    test(`2-D, ${what}: the same error from ${CONV_2D.map(([c]) => c).join(', ')}`, () => {
      sameErrorEverywhere(CONV_2D, (make, name) => make({ ...args, name }), expected);
    });
  }

  const cases1d: Array<[string, Record<string, unknown>, RegExp]> = [
    ['missing kernelSize', { filters: 2 }, /^kernelSize must be a positive integer \(or \[n\]\), but got undefined\.$/],
    ['a 2-D kernelSize', { filters: 2, kernelSize: [3, 3] }, /^kernelSize must be a positive integer \(or \[n\]\), but got \[3,3\]\.$/],
    [
      '2-D padding',
      {
        filters: 2,
        kernelSize: 3,
        padding: [
          [1, 1],
          [1, 1],
        ],
      },
      /^padding must be 'same', 'valid', 'causal', a non-negative integer or \[left, right\], but got \[\[1,1\],\[1,1\]\]\.$/,
    ],
    [
      'filters not divisible by groups',
      { filters: 3, kernelSize: 3, groups: 2 },
      /^filters must be divisible by groups \(2\), but got 3\.$/,
    ],
  ];
  for (const [what, args, expected] of cases1d) {
    test(`1-D, ${what}: the same error from ${CONV_1D.map(([c]) => c).join(', ')}`, () => {
      sameErrorEverywhere(CONV_1D, (make, name) => make({ ...args, name }), expected);
    });
  }

  test('resolved arguments: the same geometry, data format and padding from every class', () => {
    const args = {
      filters: 4,
      kernelSize: [3, 1],
      stride: 2,
      padding: 'same',
      dilation: [1, 2],
      groups: 2,
      paddingMode: 'reflect',
      dataFormat: 'channelsFirst',
    };
    const layers = CONV_2D.map(([, make]) => make(args) as KANConv<2>);
    for (const l of layers) {
      assert.deepEqual(l.geometry, layers[0]!.geometry, l.getClassName());
      assert.deepEqual([l.filters, l.groups, l.dataFormat, l.paddingArg, l.rank], [4, 2, 'channelsFirst', 'same', 2], l.getClassName());
    }
    assert.deepEqual(layers[0]!.geometry.strides, [2, 2]);
  });
});

describe('KANConv: one check of every input', () => {
  const build = (make: Make, name: string, extra: Record<string, unknown> = {}) => {
    const l = make({ filters: 4, kernelSize: 3, groups: 2, name, ...extra });
    tf.dispose(l.apply(tf.zeros([1, 6, 6, 4])) as tf.Tensor);
    return l;
  };

  test('wrong rank, wrong channels, channels not a multiple of groups, too small: the same errors, nothing leaked', () => {
    const layers = CONV_2D.map(([cls, make]) => [cls, build(make, 'n')] as const);
    const before = tf.memory().numTensors;
    const same = (x: () => tf.Tensor, expected: RegExp) => {
      const messages = layers.map(([cls, l]) => errorAfterContext(cls, 'n', () => tf.tidy(() => l.apply(x()) as tf.Tensor)));
      for (const m of messages) assert.equal(m, messages[0]);
      assert.match(messages[0]!, expected);
    };
    same(() => tf.zeros([6, 6, 4]), /^input must be rank 4 \[batch, height, width, channels\], but got rank 3 \(shape \[6,6,4\]\)\.$/);
    same(
      () => tf.zeros([1, 6, 6, 2]),
      /^input channels must be 4 \(axis 3 of \[batch, height, width, channels\]\), but got 2 \(shape \[1,6,6,2\]\)\.$/,
    );
    same(
      () => tf.zeros([1, 2, 6, 4]),
      /^input \[height, width\] must be at least the dilated kernel extent \[3,3\] after padding, but got \[2, 6\]/,
    );
    assert.equal(tf.memory().numTensors, before, 'refused calls leak nothing');
    // an unbuilt layer refuses channels that groups cannot split, in build
    const odd = CONV_2D.map(([cls, make]) =>
      errorAfterContext(cls, 'o', () => make({ filters: 4, kernelSize: 3, groups: 2, name: 'o' }).apply(tf.zeros([1, 6, 6, 3]))),
    );
    for (const m of odd)
      assert.equal(
        m,
        'input channels must be a multiple of groups (2) on axis 3 of [batch, height, width, channels], but got 3 (shape [1,6,6,3]).',
      );
  });

  test('1-D layers check rank and layout the same way, in their own terms', () => {
    for (const [cls, make] of CONV_1D) {
      const l = make({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', name: 'n' });
      assert.equal(
        errorAfterContext(cls, 'n', () => l.apply(tf.zeros([1, 3, 8, 8]))),
        'input must be rank 3 [batch, channels, length], but got rank 4 (shape [1,3,8,8]).',
      );
      assert.deepEqual(l.computeOutputShape([null, 3, 8]), [null, 2, 6]);
    }
  });

  test('the dense KAN layers (KANLinear, BasisKANLinear) check their input the same way', () => {
    const dense: Array<[string, Make]> = [
      ['KANLinear', (a) => new KANLinear(a as never)],
      ['BasisKANLinear', (a) => new BasisKANLinear({ basis: 'rbf', ...a } as never)],
    ];
    const built = dense.map(([cls, make]) => {
      const l = make({ units: 2, name: 'd' });
      tf.dispose(l.apply(tf.zeros([3, 5])) as tf.Tensor);
      return [cls, l] as const;
    });
    const before = tf.memory().numTensors;
    for (const [cls, l] of built) {
      assert.equal(
        errorAfterContext(cls, 'd', () => tf.tidy(() => l.apply(tf.zeros([3, 4])) as tf.Tensor)),
        'input must be [..., 5] (inFeatures = 5), but got shape [3,4].',
      );
      assert.equal(
        errorAfterContext(cls, 'd', () => tf.tidy(() => l.apply(tf.zeros([5])) as tf.Tensor)),
        'input must be rank ≥ 2 [..., inFeatures], but got rank 1 (shape [5]).',
      );
      assert.equal(
        errorAfterContext(cls, 'd', () => tf.tidy(() => l.apply([tf.zeros([3, 5]), tf.zeros([3, 5])]) as tf.Tensor)),
        'inputs must be one tensor, but got 2 tensors.',
      );
    }
    assert.equal(tf.memory().numTensors, before, 'refused calls leak nothing');
  });

  test('computeOutputShape checks the input like call does', () => {
    for (const [cls, make] of CONV_2D) {
      const l = make({ filters: 2, kernelSize: 3, padding: 'same', strides: 2, name: 'n' });
      assert.deepEqual(l.computeOutputShape([null, 7, 9, 3]), [null, 4, 5, 2], cls);
      assert.equal(
        errorAfterContext(cls, 'n', () => l.computeOutputShape([null, 7, 3])),
        'input must be rank 4 [batch, height, width, channels], but got rank 3 (shape [null,7,3]).',
      );
    }
  });
});

describe('edgeFunctions() on every KAN layer', () => {
  const x2d = () => tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 7);
  const layers: Array<[string, () => tf.layers.Layer, () => tf.Tensor, number]> = [
    // [class, layer, an input, kernel taps]
    ['ConvKAN2D', () => new ConvKAN2D({ filters: 2, kernelSize: 3, seed: 1 }), x2d, 9],
    ['KANLinear', () => new KANLinear({ units: 2, seed: 1 }), () => tf.randomNormal([6, 3], 0, 1, 'float32', 7), 1],
    ['BasisConvKAN2D', () => new BasisConvKAN2D({ basis: 'legendre', filters: 2, kernelSize: 3, seed: 1 }), x2d, 9],
    ['KACNConv2D', () => new KACNConv2D({ filters: 2, kernelSize: 3, seed: 1 } as never), x2d, 9],
    [
      'BasisConvKAN1D',
      () => new BasisConvKAN1D({ basis: 'rbf', filters: 2, kernelSize: 3, seed: 1 }),
      () => tf.randomNormal([2, 7, 3], 0, 1, 'float32', 7),
      3,
    ],
    [
      'BasisKANLinear',
      () => new BasisKANLinear({ basis: 'gram', units: 2, seed: 1 }),
      () => tf.randomNormal([6, 3], 0, 1, 'float32', 7),
      1,
    ],
    [
      'BottleneckConvKAN2D',
      () => new BottleneckConvKAN2D({ basis: 'rbf', filters: 2, kernelSize: 3, bottleneckChannels: 2, seed: 1 }),
      x2d,
      9,
    ],
  ];

  for (const [cls, make, input, taps] of layers) {
    test(`${cls}: samples its edges; with x, the inputs' statistics; unbuilt refused; nothing leaked`, () => {
      const layer = make() as KANLayer;
      assert.equal(layer.getClassName(), cls);
      assert.throws(
        () => layer.edgeFunctions(),
        (e: unknown) =>
          e instanceof ConvKanArgumentError && /must be built/.test(e.message) && e.message.startsWith(`${cls} '${layer.name}'`),
      );
      const x = input();
      tf.dispose(layer.apply(x) as tf.Tensor);
      const before = tf.memory().numTensors;
      const s = layer.edgeFunctions({ points: 11 });
      assert.equal(s.layer.className, cls);
      assert.equal(s.layer.name, layer.name);
      assert.equal(s.x.length, 11);
      // 3 inputs (the bottleneck: its 2 reduced channels) × 2 outputs × taps
      const ins = cls === 'BottleneckConvKAN2D' ? 2 : 3;
      assert.deepEqual([s.inChannels.length, s.outChannels.length, s.functions.length], [ins, 2, ins * 2 * taps]);
      for (const f of s.functions)
        assert.ok(f.base.length === 11 && f.spline.length === 11 && Number.isFinite(f.importance), `${cls}: a full, finite curve`);
      const withX = layer.edgeFunctions({ points: 11, x });
      assert.equal(withX.importanceFrom, 'inputs');
      assert.equal(withX.inputHistograms?.length, ins);
      assert.equal(tf.memory().numTensors, before, `${cls}: edgeFunctions() leaks no tensor`);
      tf.dispose(x);
    });
  }

  test('the method is the library sampler: the same numbers as sampleEdgeFunctions / sampleVariantEdgeFunctions', () => {
    const conv = new ConvKAN2D({ filters: 2, kernelSize: 2, seed: 3 });
    conv.build([null, 4, 4, 2]);
    assert.deepEqual(conv.edgeFunctions({ points: 5 }), sampleEdgeFunctions(conv, { points: 5 }));
    const basis = new BasisConvKAN2D({ basis: 'chebyshev', filters: 2, kernelSize: 2, seed: 3 });
    basis.build([null, 4, 4, 2]);
    assert.deepEqual(basis.edgeFunctions({ points: 5 }), sampleVariantEdgeFunctions(basis, { points: 5 }));
  });

  const bottleneckEdgeTest =
    "the bottleneck's φ are its inner convolution's: " + 'a 1×1, one-channel bottleneck with identity squeeze and expand is that edge';
  test(bottleneckEdgeTest, () => {
    const layer = new BottleneckConvKAN2D({ basis: 'legendre', filters: 1, kernelSize: 1, bottleneckChannels: 1, seed: 5 });
    layer.build([null, 1, 1, 1]);
    for (const w of layer.weights) if (/(squeeze|expand)Kernel$/.test(w.originalName)) w.write(tf.ones([1, 1, 1, 1]));
    const s = layer.edgeFunctions({ points: 9, range: [-2, 2] });
    const y = tf.tidy(() => Array.from((layer.apply(tf.tensor4d(s.x, [9, 1, 1, 1])) as tf.Tensor).dataSync()));
    const f = s.functions[0]!;
    f.base.forEach((b, i) => assert.ok(Math.abs(b + f.spline[i]! - y[i]!) < 1e-4, `x = ${s.x[i]}: ${b + f.spline[i]!} vs ${y[i]}`));
  });

  test('display.splines calls the method: a bottleneck layer (not drawable before) gives a valid payload', () => {
    const sink = new RecordingSink();
    const display = createDisplayApi(() => sink);
    const layer = new BottleneckConvKAN2D({ basis: 'rbf', filters: 4, kernelSize: 3, bottleneckChannels: 2, seed: 1 });
    const x = tf.randomNormal([1, 5, 5, 3]);
    tf.dispose(layer.apply(x) as tf.Tensor);
    display.splines(layer, { points: 16, x });
    const p = sink.last.bundle.data[MIME_SPLINES] as SplinesPayload;
    assert.doesNotThrow(() => parsePayload(MIME_SPLINES, p), 'the renderer accepts the payload');
    assert.deepEqual(
      [p.layer.className, p.layer.inChannels, p.layer.outChannels, p.importanceFrom],
      ['BottleneckConvKAN2D', 2, 2, 'inputs'],
    );
    tf.dispose(x);
  });
});
