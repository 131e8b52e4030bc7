// Every basis layer against the plain-JS per-patch reference (forward on random inputs over
// strides, dilation, groups, 'same'/'valid'/explicit padding and all four padding modes), and
// its gradients against central differences of that reference.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { BasisConvKAN2D, type BasisConvKAN2DArgs } from '../../kernel/convkan/variants/basisConvKan2d';
import { BasisConvKAN1D } from '../../kernel/convkan/variants/basisConvKan1d';
import { BasisKANLinear } from '../../kernel/convkan/variants/basisKanLinear';
import { BottleneckConvKAN2D, defaultBottleneckChannels } from '../../kernel/convkan/variants/bottleneckConvKan2d';
import { basisConv2d } from '../../kernel/convkan/variants/basisConv';
import { BASIS_NAMES, type BasisName } from '../../kernel/convkan/variants/basisOptions';
import { referenceConv2d, referenceLinear, referencePointwise, numericGrad, randomHost, type HostTensor } from './variantsReference';

const toTf = (h: HostTensor) => tf.tensor(Float32Array.from(h.data), h.shape);
const toHost = (t: tf.Tensor): HostTensor => ({ shape: t.shape, data: Float64Array.from(t.dataSync()) });

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const excess = Math.abs(got[i] - want[i]) - (atol + rtol * Math.abs(want[i]));
    if (excess > worst) [worst, at] = [excess, i];
  }
  assert.ok(at < 0, `${what}: index ${at} got ${got[at]}, expected ${want[at]}`);
}

type Geo = Pick<BasisConvKAN2DArgs, 'kernelSize' | 'strides' | 'padding' | 'dilation' | 'groups' | 'paddingMode'> & { label: string };
const GEOMETRIES: Geo[] = [
  { label: "3×3 'same' zeros", kernelSize: 3, padding: 'same' },
  {
    label: '2×3 stride [2,1] dilation [1,2] uneven padding reflect groups 2',
    kernelSize: [2, 3],
    strides: [2, 1],
    dilation: [1, 2],
    padding: [
      [1, 0],
      [2, 1],
    ],
    paddingMode: 'reflect',
    groups: 2,
  },
  {
    label: '3×2 dilation [1,2] reflect',
    kernelSize: [3, 2],
    dilation: [1, 2],
    padding: [
      [2, 1],
      [0, 2],
    ],
    paddingMode: 'reflect',
  },
  { label: '3×3 padding 1 replicate depthwise groups 4', kernelSize: 3, padding: 1, paddingMode: 'replicate', groups: 4 },
  { label: '3×3 dilation 2 padding 2 circular', kernelSize: 3, dilation: 2, padding: 2, paddingMode: 'circular' },
  { label: "2×2 'valid' stride 2", kernelSize: 2, strides: 2, padding: 'valid' },
];

/** A case's layer arguments (the label is not one). */
const geoArgs = ({ label: _label, ...args }: Geo) => args;

/** Values spread over and beyond the grid ranges, so every basis sees its tails too. */
const inputRange = (basis: BasisName): [number, number] => (basis === 'rbf' ? [-2.5, 2.5] : [-1.6, 1.6]);

function layerWeights(layer: tf.layers.Layer): { basisKernel: HostTensor; baseKernel: HostTensor | null } {
  const byName = (n: string) => layer.weights.find((w) => w.originalName.endsWith(n));
  const bk = byName('basisKernel');
  const bb = byName('baseKernel');
  return { basisKernel: toHost(bk!.read()), baseKernel: bb ? toHost(bb.read()) : null };
}

describe('BasisConvKAN2D', () => {
  for (const basis of BASIS_NAMES) {
    test(`${basis}: forward equals the per-patch reference on every geometry`, () => {
      GEOMETRIES.forEach((geo, gi) => {
        const x = randomHost([2, 5, 6, 4], 17 + gi, ...inputRange(basis));
        const layer = new BasisConvKAN2D({ basis, filters: 4, ...geoArgs(geo), seed: gi });
        const xt = toTf(x);
        const before = tf.memory().numTensors;
        const y = layer.apply(xt) as tf.Tensor;
        const after = tf.memory().numTensors;
        const { basisKernel, baseKernel } = layerWeights(layer);
        const want = referenceConv2d(x, layer.basis, layer.geometry, layer.groups, basisKernel, baseKernel);
        assert.deepEqual(y.shape, want.shape, `${geo.label}: shape`);
        assert.deepEqual(layer.computeOutputShape([2, 5, 6, 4]), want.shape, `${geo.label}: computeOutputShape`);
        assertClose(y.dataSync(), want.data, 1e-4, 1e-4, `${basis} ${geo.label}`);
        // the first call builds the weights; a second call must add only its output
        const y2 = layer.apply(xt) as tf.Tensor;
        assert.equal(tf.memory().numTensors, after + 1, `${geo.label}: leaked tensors`);
        assert.ok(after - before <= 1 + layer.weights.length, `${geo.label}: first call leaked`);
        tf.dispose([xt, y, y2]);
        layer.dispose();
      });
    });
  }

  for (const [i, basis] of BASIS_NAMES.entries()) {
    test(`${basis}: gradients w.r.t. input and both kernels equal central differences of the reference`, () => {
      const geo = GEOMETRIES[i % GEOMETRIES.length];
      const layer = new BasisConvKAN2D({ basis, filters: 4, ...geoArgs(geo), seed: 3 });
      const x = randomHost([1, 4, 5, 4], 100 + i, ...inputRange(basis));
      layer.build([1, 4, 5, 4]);
      const { basisKernel, baseKernel } = layerWeights(layer);
      const out = referenceConv2d(x, layer.basis, layer.geometry, layer.groups, basisKernel, baseKernel);
      const up = randomHost(out.shape, 7 + i);
      const loss = () => {
        const o = referenceConv2d(x, layer.basis, layer.geometry, layer.groups, basisKernel, baseKernel);
        return o.data.reduce((s, v, j) => s + v * up.data[j], 0);
      };
      const [xt, wk, wb, ut] = [toTf(x), toTf(basisKernel), toTf(baseKernel!), toTf(up)];
      const before = tf.memory().numTensors;
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(basisConv2d(a as tf.Tensor4D, layer.basis, layer.geometry, layer.groups, b as tf.Tensor4D, c as tf.Tensor4D), ut)),
      )([xt, wk, wb]);
      const g = grads.map((t) => t.dataSync());
      tf.dispose(grads);
      assert.equal(tf.memory().numTensors, before, 'gradient leaked tensors');
      const pick = (n: number, count: number) => Array.from({ length: count }, (_, j) => Math.floor(((j + 0.5) * n) / count));
      [x, basisKernel, baseKernel!].forEach((h, which) => {
        for (const idx of pick(h.data.length, 6)) {
          const want = numericGrad(loss, h.data, idx);
          const got = g[which][idx];
          assert.ok(
            Math.abs(got - want) <= 2e-3 + 2e-3 * Math.abs(want),
            `${basis} ${['input', 'basisKernel', 'baseKernel'][which]}[${idx}]: got ${got}, numeric ${want}`,
          );
        }
      });
      tf.dispose([xt, wk, wb, ut]);
    });
  }

  test('useBase: false has no base kernel and drops the SiLU branch', () => {
    const layer = new BasisConvKAN2D({ basis: 'chebyshev', filters: 2, kernelSize: 3, padding: 'same', useBase: false });
    const x = randomHost([1, 4, 4, 2], 5);
    const xt = toTf(x);
    const y = layer.apply(xt) as tf.Tensor;
    assert.deepEqual(
      layer.weights.map((w) => w.originalName.split('/').pop()),
      ['basisKernel'],
    );
    const { basisKernel } = layerWeights(layer);
    assertClose(y.dataSync(), referenceConv2d(x, layer.basis, layer.geometry, 1, basisKernel, null).data, 1e-4, 1e-4, 'no base');
    tf.dispose([xt, y]);
  });

  test('errors name the layer, the argument, the expected and the actual value', () => {
    assert.throws(
      () => new BasisConvKAN2D({ basis: 'rbf', filters: 3, kernelSize: 3, groups: 2, name: 'c1' }),
      /BasisConvKAN2D 'c1': filters must be divisible by groups \(2\), but got 3/,
    );
    assert.throws(
      () => new BasisConvKAN2D({ basis: 'rbf', filters: 2, kernelSize: 0 }),
      /kernelSize must be a number or \[h, w\] of positive integers, but got 0/,
    );
    assert.throws(
      () => new BasisConvKAN2D({ basis: 'rbf', filters: 2, kernelSize: 3, paddingMode: 'mirror' as 'reflect' }),
      /paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', but got "mirror"/,
    );
    const layer = new BasisConvKAN2D({ basis: 'rbf', filters: 2, kernelSize: 3, groups: 2, name: 'g' });
    assert.throws(
      () => layer.apply(tf.zeros([1, 4, 4, 3])),
      new RegExp(
        /BasisConvKAN2D 'g': input channels must be a multiple of groups \(2\) on axis 3 of \[batch, height, width, channels\], /.source +
          /but got 3 \(shape \[1,4,4,3\]\)/.source,
      ),
    );
    const refl = new BasisConvKAN2D({ basis: 'rbf', filters: 2, kernelSize: 5, padding: 4, paddingMode: 'reflect', name: 'r' });
    assert.throws(
      () => refl.apply(tf.zeros([1, 4, 8, 1])),
      /'r': input height must be greater than the padding 4 for paddingMode 'reflect', but got 4/,
    );
  });
});

describe('BasisConvKAN1D', () => {
  test('equals the 2-D reference on a 1 × L image, with stride, dilation, groups and each padding mode', () => {
    const modes = ['zeros', 'reflect', 'replicate', 'circular'] as const;
    modes.forEach((mode, i) => {
      const layer = new BasisConvKAN1D({
        basis: BASIS_NAMES[i + 2],
        filters: 4,
        kernelSize: 3,
        strides: i % 2 ? 2 : 1,
        dilation: i >= 2 ? 2 : 1,
        padding: i === 0 ? 'same' : [2, 1],
        paddingMode: mode,
        groups: 2,
        seed: i,
      });
      const x = randomHost([2, 9, 4], 40 + i);
      const xt = toTf(x);
      const y = layer.apply(xt) as tf.Tensor;
      const { basisKernel, baseKernel } = layerWeights(layer);
      const as4d = (h: HostTensor): HostTensor => ({ shape: [1, ...h.shape], data: h.data });
      const want = referenceConv2d(
        { shape: [2, 1, 9, 4], data: x.data },
        layer.basis,
        layer.geometry,
        2,
        as4d(basisKernel),
        as4d(baseKernel!),
      );
      assert.deepEqual(y.shape, [2, want.shape[2], 4]);
      assert.deepEqual(layer.computeOutputShape([2, 9, 4]), y.shape);
      assertClose(y.dataSync(), want.data, 1e-4, 1e-4, `1-D ${mode}`);
      tf.dispose([xt, y]);
    });
  });
});

describe('BasisKANLinear', () => {
  for (const basis of BASIS_NAMES) {
    test(`${basis}: forward equals Σ_f φ_f(x_f) and the input gradient equals central differences`, () => {
      const layer = new BasisKANLinear({ basis, units: 3, seed: 1 });
      const x = randomHost([4, 5], 9, ...inputRange(basis));
      const xt = toTf(x);
      const y = layer.apply(xt) as tf.Tensor;
      const { basisKernel, baseKernel } = layerWeights(layer);
      assertClose(y.dataSync(), referenceLinear(x, layer.basis, basisKernel, baseKernel).data, 1e-4, 1e-4, basis);
      const up = randomHost([4, 3], 2);
      const ut = toTf(up);
      const gx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(layer.apply(a) as tf.Tensor, ut)))(xt);
      const loss = () => referenceLinear(x, layer.basis, basisKernel, baseKernel).data.reduce((s, v, j) => s + v * up.data[j], 0);
      const g = gx.dataSync();
      for (const idx of [0, 7, 13, 19]) {
        const want = numericGrad(loss, x.data, idx);
        assert.ok(Math.abs(g[idx] - want) <= 1e-3 + 1e-3 * Math.abs(want), `${basis} dx[${idx}]: got ${g[idx]}, numeric ${want}`);
      }
      tf.dispose([xt, y, ut, gx]);
    });
  }

  test('works on rank-3 inputs over the last axis', () => {
    const layer = new BasisKANLinear({ basis: 'legendre', units: 2 });
    const y = layer.apply(tf.ones([2, 3, 4])) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 3, 2]);
    y.dispose();
  });
});

describe('BottleneckConvKAN2D', () => {
  test('default width follows torch-conv-kan: max(C_in, C_out)/4, at least min(16, C_in, C_out)', () => {
    assert.equal(defaultBottleneckChannels(256, 128, 1), 64);
    assert.equal(defaultBottleneckChannels(32, 64, 1), 16);
    assert.equal(defaultBottleneckChannels(8, 6, 1), 6);
    assert.equal(defaultBottleneckChannels(32, 64, 3), 18);
  });

  test('equals squeeze → per-patch KAN reference → expand', () => {
    const layer = new BottleneckConvKAN2D({
      basis: 'gram',
      filters: 6,
      kernelSize: 3,
      padding: 'same',
      paddingMode: 'reflect',
      bottleneckChannels: 2,
      seed: 4,
    });
    const x = randomHost([2, 5, 5, 8], 77);
    const xt = toTf(x);
    const y = layer.apply(xt) as tf.Tensor;
    const w = (n: string) => toHost(layer.weights.find((v) => v.originalName.endsWith(n))!.read());
    const s = referencePointwise(x, w('squeezeKernel'));
    const k = referenceConv2d(s, layer.basis, layer.geometry, 1, w('basisKernel'), w('baseKernel'));
    const want = referencePointwise(k, w('expandKernel'));
    assert.deepEqual(y.shape, [2, 5, 5, 6]);
    assertClose(y.dataSync(), want.data, 1e-4, 1e-4, 'bottleneck');
    const params = layer.countParams();
    assert.equal(params, 8 * 2 + 9 * 2 * 4 * 2 + 9 * 2 * 2 + 2 * 6);
    tf.dispose([xt, y]);
  });
});
