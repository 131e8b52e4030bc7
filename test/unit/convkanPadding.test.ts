// Padding modes, 'same' arithmetic and unfold order, checked against index formulas written
// from PyTorch's definitions (F.pad modes, Conv2d 'same', F.unfold), on cpu and wasm.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { padInput } from '../../kernel/convkan/conv/padInput';
import { extractPatches } from '../../kernel/convkan/conv/extractPatches';
import { checkSpatialFits, resolvePadding, type PaddingMode, type SidePadding } from '../../kernel/convkan/conv/convGeometry';
import { TEST_BACKENDS, useBackend } from '../reference/backends';

/** Source index of padded position i (i may be negative or ≥ n) in each mode; −1 = a zero. */
function sourceIndex(i: number, n: number, mode: PaddingMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'zeros':
      return -1;
    case 'reflect':
      return i < 0 ? -i : 2 * (n - 1) - i;
    case 'replicate':
      return Math.min(n - 1, Math.max(0, i));
    case 'circular':
      return ((i % n) + n) % n;
  }
}

function padReference(x: Float32Array, [n, h, w, c]: number[], [[t, b], [l, r]]: SidePadding, mode: PaddingMode): Float32Array {
  const hp = h + t + b;
  const wp = w + l + r;
  const out = new Float32Array(n * hp * wp * c);
  for (let bi = 0; bi < n; bi++)
    for (let y = 0; y < hp; y++)
      for (let xx = 0; xx < wp; xx++)
        for (let ch = 0; ch < c; ch++) {
          const sy = sourceIndex(y - t, h, mode);
          const sx = sourceIndex(xx - l, w, mode);
          out[((bi * hp + y) * wp + xx) * c + ch] = sy < 0 || sx < 0 ? 0 : x[((bi * h + sy) * w + sx) * c + ch];
        }
  return out;
}

const MODES: PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

describe('resolvePadding', () => {
  test("'same' splits dilation·(k−1) with the smaller half first, like torch", () => {
    assert.deepEqual(resolvePadding('same', [3, 5], [1, 1], [1, 2], 'L'), [
      [1, 1],
      [4, 4],
    ]);
    assert.deepEqual(resolvePadding('same', [4, 2], [1, 1], [1, 1], 'L'), [
      [1, 2],
      [0, 1],
    ]);
    assert.deepEqual(resolvePadding('valid', [3, 3], [2, 2], [1, 1], 'L'), [
      [0, 0],
      [0, 0],
    ]);
    assert.deepEqual(resolvePadding(2, [3, 3], [1, 1], [1, 1], 'L'), [
      [2, 2],
      [2, 2],
    ]);
    assert.deepEqual(resolvePadding([1, 0], [3, 3], [1, 1], [1, 1], 'L'), [
      [1, 1],
      [0, 0],
    ]);
    assert.deepEqual(
      resolvePadding(
        [
          [0, 1],
          [2, 3],
        ],
        [3, 3],
        [1, 1],
        [1, 1],
        'L',
      ),
      [
        [0, 1],
        [2, 3],
      ],
    );
  });

  test('malformed padding is refused with the value', () => {
    assert.throws(() => resolvePadding(-1, [3, 3], [1, 1], [1, 1], 'L'), /L: padding must be .*, but got -1/);
    assert.throws(() => resolvePadding('full' as never, [3, 3], [1, 1], [1, 1], 'L'), /padding must be .*, but got "full"/);
  });

  test('reflect needs padding < size, circular ≤ size; output must be non-empty', () => {
    const g = (paddingMode: PaddingMode, p: number) => ({
      kernelSize: [3, 3] as [number, number],
      strides: [1, 1] as [number, number],
      dilation: [1, 1] as [number, number],
      padding: [
        [p, p],
        [p, p],
      ] as SidePadding,
      paddingMode,
    });
    assert.throws(
      () => checkSpatialFits(2, 5, g('reflect', 2), 'L'),
      /L: input height must be greater than the padding 2 for paddingMode 'reflect', but got 2/,
    );
    assert.doesNotThrow(() => checkSpatialFits(2, 5, g('circular', 2), 'L'));
    assert.throws(
      () => checkSpatialFits(2, 5, g('circular', 3), 'L'),
      /input height must be at least the padding 3 for paddingMode 'circular', but got 2/,
    );
    assert.throws(
      () => checkSpatialFits(1, 5, g('zeros', 0), 'L'),
      /input \[height, width\] must be at least the dilated kernel extent \[3,3\] after padding, but got \[1, 5\]/,
    );
  });
});

for (const backend of TEST_BACKENDS) {
  describe(`padInput and extractPatches on ${backend}`, () => {
    before(async () => useBackend(backend));

    test('a hand-checked 2×3 example per mode (torch F.pad values)', () => {
      const x = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
      const row = (mode: PaddingMode) =>
        Array.from(
          padInput(
            x,
            [
              [0, 0],
              [2, 2],
            ],
            mode,
          )
            .dataSync()
            .slice(0, 7),
        );
      assert.deepEqual(row('zeros'), [0, 0, 1, 2, 3, 0, 0]);
      assert.deepEqual(row('reflect'), [3, 2, 1, 2, 3, 2, 1]);
      assert.deepEqual(row('replicate'), [1, 1, 1, 2, 3, 3, 3]);
      assert.deepEqual(row('circular'), [2, 3, 1, 2, 3, 1, 2]);
      const col = (mode: PaddingMode) =>
        Array.from(
          padInput(
            x,
            [
              [1, 1],
              [0, 0],
            ],
            mode,
          )
            .dataSync()
            .filter((_, i) => i % 3 === 0),
        );
      assert.deepEqual(col('reflect'), [4, 1, 4, 1]);
      assert.deepEqual(col('circular'), [4, 1, 4, 1]);
      assert.deepEqual(col('replicate'), [1, 1, 4, 4]);
      tf.dispose(x);
    });

    for (const mode of MODES) {
      test(`${mode}: values and gradient match the index formula (asymmetric pads)`, () => {
        const before = tf.memory().numTensors;
        const shape = [2, 5, 6, 3];
        const pads: SidePadding = [
          [2, 1],
          [0, 3],
        ];
        const x = tf.randomUniform(shape, -1, 1, 'float32', 3);
        const xv = x.dataSync() as Float32Array;
        const y = padInput(x as tf.Tensor4D, pads, mode);
        assert.deepEqual(y.shape, [2, 8, 9, 3]);
        assert.deepEqual(Array.from(y.dataSync()), Array.from(padReference(xv, shape, pads, mode)));
        // d/dx Σ w·pad(x) adds every w whose padded position reads from x.
        const w = tf.randomUniform(y.shape, -1, 1, 'float32', 4);
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(padInput(t as tf.Tensor4D, pads, mode), w)))(x);
        const wv = w.dataSync();
        const want = new Float32Array(xv.length);
        // which source each padded cell reads (1-based)
        const idx = padReference(
          Float32Array.from(xv, (_, i) => i + 1),
          shape,
          pads,
          mode,
        );
        idx.forEach((src, i) => {
          if (src > 0) want[src - 1] += wv[i];
        });
        const got = g.dataSync();
        want.forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 1e-5, `grad[${i}] ${got[i]} vs ${v}`));
        tf.dispose([x, y, w, g]);
        assert.equal(tf.memory().numTensors, before);
      });
    }

    test('extractPatches = torch unfold order (channel, kernel row, kernel column) with stride and dilation', () => {
      const [n, h, w, c] = [2, 9, 11, 3];
      const [kh, kw, sh, sw, dh, dw] = [3, 2, 2, 3, 2, 1];
      const x = tf.randomUniform([n, h, w, c], -1, 1, 'float32', 9);
      const xv = x.dataSync();
      const p = extractPatches(x as tf.Tensor4D, [kh, kw], [sh, sw], [dh, dw]);
      const ho = Math.floor((h - dh * (kh - 1) - 1) / sh) + 1;
      const wo = Math.floor((w - dw * (kw - 1) - 1) / sw) + 1;
      assert.deepEqual(p.shape, [n, ho, wo, c * kh * kw]);
      const pv = p.dataSync();
      for (let b = 0; b < n; b++)
        for (let oy = 0; oy < ho; oy++)
          for (let ox = 0; ox < wo; ox++)
            for (let ch = 0; ch < c; ch++)
              for (let ky = 0; ky < kh; ky++)
                for (let kx = 0; kx < kw; kx++) {
                  const got = pv[((b * ho + oy) * wo + ox) * c * kh * kw + ch * kh * kw + ky * kw + kx];
                  const want = xv[((b * h + oy * sh + ky * dh) * w + ox * sw + kx * dw) * c + ch];
                  assert.equal(got, want, `patch (${b},${oy},${ox}) feature (${ch},${ky},${kx})`);
                }
      const g = tf.grad((t: tf.Tensor) => tf.sum(extractPatches(t as tf.Tensor4D, [kh, kw], [sh, sw], [dh, dw])))(x);
      // Each input pixel's gradient = how many patches read it.
      const counts = new Float32Array(n * h * w * c);
      for (let b = 0; b < n; b++)
        for (let oy = 0; oy < ho; oy++)
          for (let ox = 0; ox < wo; ox++)
            for (let ch = 0; ch < c; ch++)
              for (let ky = 0; ky < kh; ky++)
                for (let kx = 0; kx < kw; kx++) counts[((b * h + oy * sh + ky * dh) * w + ox * sw + kx * dw) * c + ch]++;
      assert.deepEqual(Array.from(g.dataSync()), Array.from(counts));
      tf.dispose([x, p, g]);
    });
  });
}
