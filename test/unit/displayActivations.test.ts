// display.activations: the top-k input patches of each filter and the activation maps, checked
// against the layer's own output (values, positions, order over a batch larger than one chunk)
// and against the padded input (each patch is the window the layer read, padding mode included).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createDisplayApi, MIME_ACTIVATIONS, MIME_SVG, MIME_TEXT, parsePayload, type ActivationsPayload } from '../../kernel/display';
import { ACTIVATIONS_LIMITS } from '../../kernel/payloads';
import { FILTER_ACTIVATION_LIMITS } from '../../kernel/convkan/inspect/filterActivations';
import { convKan2d } from '../../kernel/convkan/layers/convKan2d';
import { KACNConv2D } from '../../kernel/convkan/variants';
import { padInput } from '../../kernel/convkan/conv/padInput';
import { activationsBundle } from '../../kernel/display/bundles/activationsBundle';
import { parseXml, RecordingSink, tensorsLeaked } from './displayHelpers';

function activationsOf(
  layer: tf.layers.Layer,
  images: tf.Tensor,
  opts: Parameters<ReturnType<typeof createDisplayApi>['activations']>[2] = {},
) {
  const sink = new RecordingSink();
  createDisplayApi(() => sink).activations(layer, images, opts);
  const data = sink.last.bundle.data;
  const p = data[MIME_ACTIVATIONS] as ActivationsPayload;
  assert.doesNotThrow(() => parsePayload(MIME_ACTIVATIONS, p), 'the renderer accepts the payload');
  parseXml(data[MIME_SVG] as string);
  return { p, text: data[MIME_TEXT] as string };
}

/** The layer's output as [N][Ho][Wo][F] numbers. */
function outputOf(layer: tf.layers.Layer, images: tf.Tensor): number[][][][] {
  return tf.tidy(() => (layer.apply(images) as tf.Tensor).arraySync() as number[][][][]);
}

/** Checks every top patch against the layer's output and the padded input. */
function checkAgainstLayer(p: ActivationsPayload, y: number[][][][], padded: number[][][][]): void {
  for (const f of p.filters) {
    // the k best over every image and position, largest first
    const all = y.flatMap((img, n) => img.flatMap((row, oy) => row.map((v, ox) => ({ v: v[f.filter], n, oy, ox }))));
    const best = all
      .map((a) => a.v)
      .sort((a, b) => b - a)
      .slice(0, p.k);
    assert.deepEqual(
      f.top.map((t) => Math.fround(t.value)),
      best.map((v) => Math.fround(v)),
      `filter ${f.filter}: the k largest activations`,
    );
    for (const t of f.top) {
      assert.equal(Math.fround(t.value), Math.fround(y[t.image][t.oy][t.ox][f.filter]), 'value at its own position');
      const [sy, sx] = p.layer.stride;
      const window: number[] = [];
      for (let r = 0; r < p.field.height; r++)
        for (let q = 0; q < p.field.width; q++)
          for (const c of p.patchChannels) window.push(padded[t.image][t.oy * sy + r][t.ox * sx + q][c]);
      assert.deepEqual(t.data.map(Math.fround), window.map(Math.fround), `patch of image ${t.image} at (${t.oy}, ${t.ox})`);
    }
    f.maps.forEach((m, i) =>
      assert.deepEqual(
        m.map(Math.fround),
        y[p.mapImages[i]].flat().map((v) => Math.fround(v[f.filter])),
      ),
    );
  }
}

describe('filter activations view', () => {
  test('ConvKAN2D over 70 images (two chunks): top patches, positions and maps are the layer’s own', async () => {
    await tf.setBackend('cpu');
    const layer = convKan2d({ inChannels: 2, filters: 3, kernelSize: 3, padding: 1, paddingMode: 'reflect', seed: 2 });
    const images = tf.randomUniform([70, 6, 5, 2], -1, 1, 'float32', 11);
    const { p, text } = activationsOf(layer, images, { k: 5, mapImages: 2 });
    assert.equal(p.k, 5);
    assert.deepEqual(
      p.filters.map((f) => f.filter),
      [0, 1, 2],
    );
    assert.deepEqual(p.mapImages, [0, 1]);
    assert.deepEqual(p.field, { height: 3, width: 3 });
    assert.equal(p.layer.paddingMode, 'reflect');
    const y = outputOf(layer, images);
    const padded = tf.tidy(() =>
      padInput(
        images as tf.Tensor4D,
        [
          [1, 1],
          [1, 1],
        ],
        'reflect',
      ).arraySync(),
    );
    checkAgainstLayer(p, y, padded);
    const mean = y.flat(2).reduce((a, v) => a + v[1], 0) / (70 * 30);
    assert.ok(Math.abs(p.filters[1].mean - mean) < 1e-5, `mean ${p.filters[1].mean} vs ${mean}`);
    assert.match(text, /filter 0 \(max [-\d.e]+, mean [-\d.e]+\): [-\d.e]+ @ image \d+ \(\d, \d\)/);
    assert.equal(await tensorsLeaked(() => activationsOf(layer, images, { k: 3 })), 0);
    images.dispose();
    layer.dispose();
  });

  test("tf conv2d, stride 2 'same', channels-first ConvKAN2D and a basis family: fields start in the padding", () => {
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' });
    const images = tf.randomUniform([3, 7, 7, 1], 0, 1, 'float32', 3);
    const { p } = activationsOf(conv, images, { filters: [3, 1], k: 4 });
    assert.deepEqual(
      p.filters.map((f) => f.filter),
      [3, 1],
    );
    assert.deepEqual(p.layer.padding, [
      [1, 1],
      [1, 1],
    ]);
    assert.deepEqual(p.output, { height: 4, width: 4 });
    checkAgainstLayer(
      p,
      outputOf(conv, images),
      tf.tidy(
        () =>
          tf
            .pad(images, [
              [0, 0],
              [1, 1],
              [1, 1],
              [0, 0],
            ])
            .arraySync() as number[][][][],
      ),
    );
    const corner = p.filters.flatMap((f) => f.top).find((t) => t.oy === 0);
    if (corner) assert.equal(corner.y, -1, 'a field of output row 0 starts one row inside the padding');

    const cf = convKan2d({ inChannels: 3, filters: 2, kernelSize: 2, dataFormat: 'channelsFirst', seed: 5 });
    const nchw = tf.randomUniform([2, 3, 4, 5], -1, 1, 'float32', 4);
    const { p: q } = activationsOf(cf, nchw, { k: 2 });
    assert.deepEqual(q.images, { count: 2, height: 4, width: 5, channels: 3 });
    const yq = tf.tidy(() => tf.transpose(cf.apply(nchw) as tf.Tensor, [0, 2, 3, 1]).arraySync() as number[][][][]);
    checkAgainstLayer(
      q,
      yq,
      tf.tidy(() => tf.transpose(nchw, [0, 2, 3, 1]).arraySync() as number[][][][]),
    );

    const kacn = new KACNConv2D({ filters: 2, kernelSize: 3, dilation: 2, padding: 2, paddingMode: 'circular', seed: 1 } as never);
    const img = tf.randomUniform([2, 5, 5, 1], -1, 1, 'float32', 6);
    const { p: r } = activationsOf(kacn, img, { k: 3 });
    assert.deepEqual(r.field, { height: 5, width: 5 });
    checkAgainstLayer(
      r,
      outputOf(kacn, img),
      tf.tidy(() =>
        padInput(
          img as tf.Tensor4D,
          [
            [2, 2],
            [2, 2],
          ],
          'circular',
        ).arraySync(),
      ),
    );
    tf.dispose([images, nchw, img]);
  });

  test('bad input names the layer, the expected and the actual value; the kernel’s cap on map values', () => {
    const display = createDisplayApi(() => new RecordingSink());
    const layer = convKan2d({ inChannels: 1, filters: 2, kernelSize: 3, seed: 1, name: 'ck' });
    const images = tf.zeros([2, 5, 5, 1]);
    assert.throws(
      () => display.activations(tf.layers.dense({ units: 2, name: 'dd' }), images),
      /display.activations expects a 2-D convolution layer .*, but got Dense "dd"/,
    );
    assert.throws(
      () => display.activations(layer, tf.zeros([5, 5, 1])),
      /ConvKAN2D 'ck': images must be a rank-4 batch .*, but got shape \[5,5,1\]/,
    );
    assert.throws(
      () => display.activations(layer, images, { filters: [2] }),
      /ConvKAN2D 'ck': filters must be an integer in \[0, 1\], but got 2/,
    );
    assert.throws(() => display.activations(layer, images, { k: 19 }), /ConvKAN2D 'ck': k must be an integer in \[1, 18\], but got 19/);
    assert.throws(() => display.activations(layer, tf.zeros([2, 5, 5, 3])), /input channels|channels/);

    // A payload whose maps would exceed the cap keeps fewer maps and says so.
    const big = { height: 300, width: 300 };
    const samples = {
      layer: {
        name: 'x',
        className: 'Conv2D',
        filters: 8,
        inChannels: 1,
        kernelSize: [1, 1] as [number, number],
        stride: [1, 1] as [number, number],
        dilation: [1, 1] as [number, number],
        padding: [
          [0, 0],
          [0, 0],
        ] as [[number, number], [number, number]],
        paddingMode: 'zeros' as const,
        groups: 1,
      },
      images: { count: 4, ...big, channels: 1 },
      output: big,
      field: { height: 1, width: 1 },
      patchChannels: [0],
      k: 1,
      mapImages: [0, 1, 2, 3],
      filters: Array.from({ length: 8 }, (_, f) => ({
        filter: f,
        max: 1,
        mean: 0,
        top: [{ image: 0, oy: 0, ox: 0, value: 1, y: 0, x: 0, data: [1] }],
        maps: Array.from({ length: 4 }, () => new Array(big.height * big.width).fill(0)),
      })),
    };
    const b = activationsBundle(samples);
    const p = b.data[MIME_ACTIVATIONS] as ActivationsPayload;
    assert.deepEqual(p.mapImages, [0]);
    parsePayload(MIME_ACTIVATIONS, p);
    assert.match(b.data[MIME_TEXT] as string, /activation maps kept for 1 of 4 images/);
    images.dispose();
  });

  test("the library's limits are the payload's: what filterActivations allows, the renderer accepts", () => {
    // The library cannot import kernel/payloads, so the two tables are kept in step here.
    assert.equal(FILTER_ACTIVATION_LIMITS.maxFilters, ACTIVATIONS_LIMITS.filters, 'filters per call = filters per payload');
    assert.equal(FILTER_ACTIVATION_LIMITS.maxK, ACTIVATIONS_LIMITS.k, 'k per call = k per payload');
    assert.ok(
      FILTER_ACTIVATION_LIMITS.maxPatchValues <= ACTIVATIONS_LIMITS.patchValues,
      `patch values sent (${FILTER_ACTIVATION_LIMITS.maxPatchValues}) within those accepted (${ACTIVATIONS_LIMITS.patchValues})`,
    );
  });

  test('the validator ties positions, fields and sizes together', () => {
    const layer = convKan2d({ inChannels: 1, filters: 1, kernelSize: 3, strides: 2, padding: 1, seed: 1 });
    const images = tf.randomUniform([2, 7, 7, 1], 0, 1, 'float32', 1);
    const { p } = activationsOf(layer, images, { k: 2 });
    const t = p.filters[0].top;
    // The parser stops at the first problem: each break is checked on its own.
    const first = p.filters[0];
    const breaks: Array<[string, unknown, RegExp]> = [
      ['field', { ...p, field: { height: 4, width: 3 } }, /field\.height: expected dilation·\(k − 1\) \+ 1 = 3, got 4/],
      ['order', { ...p, filters: [{ ...first, top: [t[1], t[0]] }] }, /filters\[0\]\.top\[1\]\.value: expected largest first/],
      ['corner', { ...p, filters: [{ ...first, top: [t[0], { ...t[1], y: t[1].y + 1 }] }] }, /filters\[0\]\.top\[1\]: the field's corner/],
      ['maps', { ...p, filters: [{ ...first, maps: [] }] }, /filters\[0\]\.maps: expected 2 entries, got 0/],
    ];
    for (const [name, broken, want] of breaks) {
      assert.throws(
        () => parsePayload(MIME_ACTIVATIONS, broken),
        (err: Error) => err.message.startsWith(`${MIME_ACTIVATIONS}: `) && want.test(err.message),
        name,
      );
    }
    images.dispose();
  });
});
