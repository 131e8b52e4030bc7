// The inspection helpers the display layer draws from: sampled edge functions must be the
// functions the layer computes, and unfolded patches must be torch's unfold layout.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ConvKAN2D } from '../../kernel/convkan/layers/convKan2d';
import { KANLinear } from '../../kernel/convkan/layers/kanLinear';
import { sampleEdgeFunctions } from '../../kernel/convkan/inspect/edgeFunctions';
import { unfoldPatches } from '../../kernel/convkan/inspect/unfoldPatches';

tf.setBackend('cpu');

describe('sampleEdgeFunctions', () => {
  test('KANLinear with one input: base + spline at each x is the layer output at x', () => {
    const layer = new KANLinear({ units: 3, inFeatures: 1, seed: 3, scaleNoise: 2 });
    layer.build([null, 1]);
    const s = sampleEdgeFunctions(layer, { points: 17 });
    assert.equal(s.x.length, 17);
    assert.ok(s.x[0] < -1 && s.x[16] > 1, 'covers the grid range, widened');
    assert.deepEqual(s.layer, {
      name: layer.name,
      className: 'KANLinear',
      basis: 'bspline',
      inChannels: 1,
      outChannels: 3,
      kernelSize: [1, 1],
      groups: 1,
      gridRange: [-1, 1],
      gridSize: 5,
      splineOrder: 3,
    });
    const y = tf.tidy(() => (layer.apply(tf.tensor2d(s.x, [17, 1])) as tf.Tensor).arraySync() as number[][]);
    for (const f of s.functions) {
      f.base.forEach((b, p) => assert.ok(Math.abs(b + f.spline[p] - y[p][f.out]) < 1e-5, `φ_${f.out}(${s.x[p]})`));
      const mean = f.base.reduce((acc, b, p) => acc + Math.abs(b + f.spline[p]), 0) / s.x.length;
      assert.ok(Math.abs(f.importance - mean) < 1e-12);
    }
    assert.equal(s.knots?.length, 12);
    assert.equal(s.knotsPerInput, undefined);
  });

  test('ConvKAN2D 1×1 with two inputs: φ_{o,c}(x) − φ_{o,c}(0) is the layer output change when channel c moves', () => {
    const layer = new ConvKAN2D({ filters: 2, kernelSize: 1, inChannels: 2, seed: 5, scaleNoise: 2 });
    layer.build([null, 1, 1, 2]);
    const s = sampleEdgeFunctions(layer, { points: 9 });
    assert.equal(s.x[4], 0, 'the middle sample of the symmetric range is 0');
    for (const c of [0, 1]) {
      const y = tf.tidy(() => {
        const cols = [tf.zeros([9]), tf.zeros([9])];
        cols[c] = tf.tensor1d(s.x);
        return (layer.apply(tf.reshape(tf.stack(cols, 1), [9, 1, 1, 2])) as tf.Tensor).reshape([9, 2]).arraySync() as number[][];
      });
      for (const o of [0, 1]) {
        const f = s.functions.find((e) => e.out === o && e.in === c)!;
        const phi = (p: number) => f.base[p] + f.spline[p];
        s.x.forEach((_, p) => assert.ok(Math.abs(phi(p) - phi(4) - (y[p][o] - y[4][o])) < 1e-5, `φ_{${o},${c}} at ${s.x[p]}`));
      }
    }
  });

  test('groups: only edges within a group; defaults take ≤ 4 channels; knots per tap after updateGrid; histograms', () => {
    const layer = new ConvKAN2D({ filters: 6, kernelSize: 2, groups: 3, seed: 1 });
    const x = tf.randomNormal([2, 5, 5, 6], 0, 1, 'float32', 2);
    layer.apply(x);
    const s = sampleEdgeFunctions(layer);
    assert.deepEqual(s.outChannels, [0, 1, 2, 3]);
    assert.deepEqual(s.inChannels, [0, 1, 2, 3]);
    // out 0,1 ↔ in 0,1 (group 0); out 2,3 ↔ in 2,3 (group 1): 4 outs × 2 ins × 4 taps
    assert.equal(s.functions.length, 32);
    assert.ok(s.functions.every((f) => Math.floor(f.out / 2) === Math.floor(f.in / 2)));
    layer.updateGrid(x);
    const after = sampleEdgeFunctions(layer, { outChannels: [5], inChannels: [4, 5], x });
    assert.equal(after.knots, undefined);
    assert.equal(after.knotsPerInput?.length, 8);
    assert.deepEqual(
      after.knotsPerInput?.map((k) => [k.in, k.ky, k.kx]),
      [
        [4, 0, 0],
        [4, 0, 1],
        [4, 1, 0],
        [4, 1, 1],
        [5, 0, 0],
        [5, 0, 1],
        [5, 1, 0],
        [5, 1, 1],
      ],
    );
    assert.equal(after.inputHistograms?.length, 2);
    for (const h of after.inputHistograms!) {
      assert.equal(
        h.counts.reduce((a, b) => a + b, 0),
        2 * 5 * 5,
        'every value of the channel counted once',
      );
      assert.equal(h.edges.length, h.counts.length + 1);
    }
    assert.throws(
      () => sampleEdgeFunctions(layer, { outChannels: [6] }),
      /ConvKAN2D '.*': outChannels must be integers in \[0, 6\), but got \[6\]\./,
    );
    tf.dispose(x);
  });
});

describe('unfoldPatches', () => {
  test('3×3 image, 2×2 kernel: the columns torch.nn.functional.unfold gives', () => {
    const u = unfoldPatches(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3, 1]), { kernelSize: 2 });
    assert.deepEqual(u.output, { height: 2, width: 2 });
    assert.deepEqual(u.patches.rows, 4);
    assert.deepEqual(u.patches.cols, 4);
    assert.deepEqual(u.patches.data, [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
    assert.deepEqual(u.config, {
      kernelSize: [2, 2],
      stride: [1, 1],
      dilation: [1, 1],
      padding: [
        [0, 0],
        [0, 0],
      ],
      paddingMode: 'zeros',
    });
  });

  test("from a layer: its padding mode and 'same' padding; two channels, channel-major rows", () => {
    const layer = new ConvKAN2D({ filters: 1, kernelSize: 3, padding: 'same', paddingMode: 'reflect' });
    const img = tf.tensor3d([1, 10, 2, 20, 3, 30, 4, 40], [2, 2, 2]);
    const u = unfoldPatches(img, layer);
    assert.deepEqual(u.config.padding, [
      [1, 1],
      [1, 1],
    ]);
    assert.deepEqual([u.padded.height, u.padded.width, u.padded.channels], [4, 4, 2]);
    // reflect-padded channel 0 of [[1,2],[3,4]] is [[4,3,4,3],[2,1,2,1],[4,3,4,3],[2,1,2,1]]
    assert.deepEqual(
      u.padded.data.filter((_, i) => i % 2 === 0),
      [4, 3, 4, 3, 2, 1, 2, 1, 4, 3, 4, 3, 2, 1, 2, 1],
    );
    assert.equal(u.patches.rows, 18);
    assert.equal(u.patches.cols, 4);
    // Row 4 = channel 0, centre tap: the image itself; row 13 = channel 1, centre tap.
    assert.deepEqual(u.patches.data.slice(4 * 4, 5 * 4), [1, 2, 3, 4]);
    assert.deepEqual(u.patches.data.slice(13 * 4, 14 * 4), [10, 20, 30, 40]);
    assert.deepEqual(u.image, { height: 2, width: 2, channels: 2, data: [1, 10, 2, 20, 3, 30, 4, 40] });
    tf.dispose(img);
  });

  test('a wrong rank is refused', () => {
    assert.throws(
      () => unfoldPatches(tf.zeros([1, 3, 3, 1]) as unknown as tf.Tensor3D, { kernelSize: 2 }),
      /unfoldPatches: image must be rank 3 \[height, width, channels\], but got rank 4/,
    );
  });
});
