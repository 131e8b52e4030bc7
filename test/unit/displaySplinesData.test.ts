// The splines view with data: display.splines(layer, {x}) draws the input histograms for every
// KAN layer (the basis families too), weights importance by the inputs each edge saw (pykan's
// std(φ(x)) / (std(x) + 0.1)), and after updateGrid says where the grid really is.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createDisplayApi, MIME_SPLINES, MIME_TEXT, parsePayload, type SplinesPayload } from '../../kernel/display';
import { convKan2d } from '../../kernel/convkan/layers/convKan2d';
import { kanLinear } from '../../kernel/convkan/layers/kanLinear';
import { KACNConv2D, FastKANLinear } from '../../kernel/convkan/variants';
import { gridEndsFor } from '../../renderers/splines/splineEdges';
import { RecordingSink, tensorsLeaked } from './displayHelpers';

function splinesOf(
  layer: tf.layers.Layer,
  opts: Parameters<ReturnType<typeof createDisplayApi>['splines']>[1] = {},
): { p: SplinesPayload; text: string } {
  const sink = new RecordingSink();
  createDisplayApi(() => sink).splines(layer, opts);
  const p = sink.last.bundle.data[MIME_SPLINES] as SplinesPayload;
  parsePayload(MIME_SPLINES, p); // the renderer accepts it
  return { p, text: sink.last.bundle.data[MIME_TEXT] as string };
}

const std = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
};

describe('splines view with data', () => {
  test('a basis-family layer keeps x: histograms of every sampled channel and data-weighted importance', async () => {
    await tf.setBackend('cpu');
    const conv = new KACNConv2D({ filters: 2, kernelSize: 3, padding: 1, seed: 1 } as never);
    const x = tf.randomNormal([3, 5, 5, 2], 0, 1, 'float32', 2);
    tf.dispose(conv.apply(x) as tf.Tensor);
    const { p, text } = splinesOf(conv, { x, points: 16 });
    assert.deepEqual(
      p.inputHistograms?.map((h) => h.in),
      [0, 1],
    );
    for (const h of p.inputHistograms!)
      assert.equal(
        h.counts.reduce((a, b) => a + b, 0),
        3 * 5 * 5,
      );
    assert.equal(p.importanceFrom, 'inputs');
    assert.match(text, /Importance from the inputs seen/);
    assert.equal(await tensorsLeaked(() => splinesOf(conv, { x })), 0);

    // A one-input, one-output FastKAN linear layer computes φ itself: the score is exactly pykan's.
    const dense = new FastKANLinear({ units: 1, seed: 4 } as never);
    const xs = tf.randomNormal([200, 1], 0.5, 0.8, 'float32', 6);
    const y = Array.from((dense.apply(xs) as tf.Tensor).dataSync());
    const { p: q } = splinesOf(dense, { x: xs });
    const want = std(y) / (std(Array.from(xs.dataSync())) + 0.1);
    assert.ok(Math.abs(q.functions[0].importance - want) < 1e-4 * want, `pykan score ${q.functions[0].importance} vs ${want}`);
    tf.dispose([x, xs]);
    conv.dispose();
  });

  test("ConvKAN2D: each tap's importance comes from the values it saw, padding included", () => {
    const layer = convKan2d({ inChannels: 1, filters: 1, kernelSize: 3, padding: 1, seed: 3, scaleNoise: 2 });
    const x = tf.fill([2, 4, 4, 1], 0.7);
    tf.dispose(layer.apply(x) as tf.Tensor);
    const { p } = splinesOf(layer, { x });
    const at = (ky: number, kx: number) => p.functions.find((f) => f.ky === ky && f.kx === kx)!.importance;
    // The centre tap sees only 0.7: φ is constant over its inputs. A corner tap also sees the zero padding.
    assert.ok(at(1, 1) < 1e-9, `centre tap: ${at(1, 1)}`);
    assert.ok(at(0, 0) > 0 && at(2, 2) > 0, `corner taps see padding: ${at(0, 0)}, ${at(2, 2)}`);
    // Without data, the grid importance (mean |φ| over the samples) is positive everywhere.
    const { p: grid } = splinesOf(layer);
    assert.equal(grid.importanceFrom, 'grid');
    assert.ok(grid.functions.every((f) => f.importance > 0));
    x.dispose();
    layer.dispose();
  });

  test('ConvKAN2D 1×1, one channel: the importance is pykan’s score of the layer’s own outputs', () => {
    const layer = convKan2d({ inChannels: 1, filters: 1, kernelSize: 1, seed: 9, scaleNoise: 2 });
    const x = tf.randomNormal([4, 6, 6, 1], 0, 0.6, 'float32', 1);
    const y = Array.from(tf.tidy(() => (layer.apply(x) as tf.Tensor).dataSync()));
    const { p } = splinesOf(layer, { x });
    const want = std(y) / (std(Array.from(x.dataSync())) + 0.1);
    assert.ok(Math.abs(p.functions[0].importance - want) < 1e-4 * want, `${p.functions[0].importance} vs ${want}`);
    x.dispose();
    layer.dispose();
  });

  test('after updateGrid the view reports the grid where the data put it, per edge', () => {
    const layer = kanLinear({ inFeatures: 2, units: 1, seed: 1 });
    const x = tf.randomUniform([256, 2], -3, 3, 'float32', 5);
    tf.dispose(layer.apply(x) as tf.Tensor);
    const before = splinesOf(layer).p;
    assert.deepEqual(before.layer.gridRange, [-1, 1]);
    layer.updateGrid(x);
    const { p, text } = splinesOf(layer, { x });
    const [lo, hi] = p.layer.gridRange;
    assert.ok(lo < -2.5 && hi > 2.5, `grid range follows the knots: [${lo}, ${hi}]`);
    assert.doesNotMatch(text, /range \[-1, 1\]/);
    // The renderer marks each edge's own interior knot ends, not ±1.
    for (const c of [0, 1]) {
      const knots = p.knotsPerInput!.find((k) => k.in === c)!.knots;
      assert.deepEqual(gridEndsFor(p, c, 0, 0), [knots[3], knots[knots.length - 4]]);
      assert.ok(gridEndsFor(p, c, 0, 0)[1] > 2.5);
    }
    assert.ok(p.x[0] <= lo && p.x[p.x.length - 1] >= hi, 'the curves cover the updated grid');
    x.dispose();
    layer.dispose();
  });

  test('a wrong x names the layer, the expected and the actual shape', () => {
    const layer = new KACNConv2D({ filters: 2, kernelSize: 3, seed: 1, name: 'kacn_bad' } as never);
    tf.dispose(layer.apply(tf.zeros([1, 5, 5, 2])) as tf.Tensor);
    assert.throws(
      () => splinesOf(layer, { x: tf.zeros([1, 5, 5, 3]) }),
      /KACNConv2D 'kacn_bad': x must be 2 channels on axis 3, but got shape \[1,5,5,3\]/,
    );
    assert.throws(() => splinesOf(layer, { x: tf.zeros([5, 5, 2]) }), /x must be a rank-4 NHWC batch, but got shape \[5,5,2\]/);
  });
});
