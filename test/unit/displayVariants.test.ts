// display.splines also draws the other basis families' layers (Chebyshev, RBF, …): the same
// payload, sampled by the variants' own sampler, without knots or input histograms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createDisplayApi, MIME_SPLINES, parsePayload, type SplinesPayload } from '../../kernel/display';
import { KACNConv2D, FastKANLinear } from '../../kernel/convkan/variants';
import { RecordingSink, tensorsLeaked } from './displayHelpers';

test('display.splines draws a Chebyshev ConvKAN layer and an RBF KANLinear, without leaks', async () => {
  await tf.setBackend('cpu');
  const sink = new RecordingSink();
  const display = createDisplayApi(() => sink);
  const conv = new KACNConv2D({ filters: 3, kernelSize: 3, padding: 1, seed: 1 } as never);
  tf.dispose(conv.apply(tf.zeros([1, 5, 5, 2])) as tf.Tensor);
  display.splines(conv, { points: 16 });
  const payload = sink.last.bundle.data[MIME_SPLINES] as SplinesPayload;
  parsePayload(MIME_SPLINES, payload);
  assert.equal(payload.layer.basis, 'chebyshev');
  assert.deepEqual(payload.layer.kernelSize, [3, 3]);
  assert.equal(payload.x.length, 16);
  assert.equal(payload.functions.length, payload.outChannels.length * payload.inChannels.length * 9);
  assert.equal(payload.knots, undefined);

  const dense = new FastKANLinear({ units: 2, seed: 2 } as never);
  tf.dispose(dense.apply(tf.zeros([1, 3])) as tf.Tensor);
  const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [3] }), dense] });
  display.splines(model);
  const p2 = sink.last.bundle.data[MIME_SPLINES] as SplinesPayload;
  parsePayload(MIME_SPLINES, p2);
  assert.equal(p2.layer.basis, 'rbf');
  assert.equal(await tensorsLeaked(() => display.splines(conv)), 0);
});
