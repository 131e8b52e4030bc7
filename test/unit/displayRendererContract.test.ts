// Producer ⇄ consumer: payloads the kernel makes from real layers and real training are accepted
// by the parsers the notebook renderers run before drawing (kernel/payloads).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { convKan2d } from '../../kernel/convkan/layers/convKan2d';
import { createDisplayApi, type MimeBundle } from '../../kernel/display';
import { PAYLOAD_PARSERS } from '../../kernel/payloads';
import { RecordingSink } from './displayHelpers';

const parsers: Record<string, (json: unknown) => unknown> = PAYLOAD_PARSERS;

function customPayload(b: MimeBundle): [string, unknown] {
  const mime = Object.keys(b.data).find((m) => m in parsers);
  assert.ok(mime, `a ConvKAN MIME type in ${Object.keys(b.data).join(', ')}`);
  return [mime, b.data[mime]];
}

describe('renderers accept what the kernel sends', () => {
  test('splines (before and after a grid update), patches, timing, live training and filter activations', async () => {
    const sink = new RecordingSink();
    const display = createDisplayApi(() => sink);
    const layer = convKan2d({
      inChannels: 3,
      filters: 2,
      kernelSize: 3,
      strides: 2,
      dilation: 2,
      padding: 'valid',
      paddingMode: 'reflect',
      seed: 4,
      inputShape: [9, 9, 3],
    });
    const x = tf.randomNormal([4, 9, 9, 3], 0, 1, 'float32', 2);
    const model = tf.sequential({ layers: [layer, tf.layers.flatten(), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    await model.fit(x, tf.ones([4, 1]), { epochs: 2, verbose: 0, callbacks: display.training({ stepUnit: 'batch', minIntervalMs: 0 }) });
    display.splines(layer, { x });
    layer.updateGrid(x);
    display.splines(layer, { x, points: 300 });
    display.patches(layer, x);
    display.activations(layer, x, { k: 4 });
    display.timing(await Promise.all([display.timeIt(() => layer.apply(x) as tf.Tensor, { reps: 2, warmup: 1, label: 'ConvKAN2D' })]));
    const seen = new Set<string>();
    for (const o of sink.outputs) {
      const [mime, payload] = customPayload(o.bundle);
      assert.doesNotThrow(() => parsers[mime](payload), `${mime} rejected`);
      seen.add(mime);
    }
    assert.equal(seen.size, 5);
    tf.dispose(x);
    model.dispose();
  });
});
