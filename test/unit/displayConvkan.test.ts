// The ConvKAN views on the real library (ConvKAN2D, KANLinear, inspect/): payloads validate,
// pictures parse, no tensors leak, and the library's unfold agrees with a longhand unfold.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { convKan2d } from '../../kernel/convkan/layers/convKan2d';
import { kanLinear } from '../../kernel/convkan/layers/kanLinear';
import {
  createDisplayApi,
  MIME_HTML,
  MIME_PATCHES,
  MIME_SPLINES,
  MIME_SVG,
  MIME_TEXT,
  toMimeBundle,
  parsePayload,
  type PatchesPayload,
  type SplinesPayload,
} from '../../kernel/display';
import { parseXml, RecordingSink, referenceUnfold, tensorsLeaked } from './displayHelpers';

function setup() {
  const sink = new RecordingSink();
  return { sink, display: createDisplayApi(() => sink) };
}

describe('ConvKAN views on real layers', () => {
  test('splines of a ConvKAN2D with an input histogram', async () => {
    const { sink, display } = setup();
    const layer = convKan2d({ inChannels: 2, filters: 3, kernelSize: 3, padding: 1, seed: 7 });
    const x = tf.randomNormal([2, 6, 6, 2], 0, 0.7, 'float32', 3);
    tf.dispose(layer.apply(x) as tf.Tensor);
    display.splines(layer, { x, points: 40 });
    const data = sink.last.bundle.data;
    const p = data[MIME_SPLINES] as SplinesPayload;
    parsePayload(MIME_SPLINES, p);
    assert.equal(p.functions.length, 3 * 2 * 9);
    assert.equal(p.x.length, 40);
    assert.equal(p.layer.className, 'ConvKAN2D');
    assert.deepEqual(
      p.inputHistograms?.map((h) => h.in),
      [0, 1],
    );
    // each histogram counts every value of its channel in x
    for (const h of p.inputHistograms!)
      assert.equal(
        h.counts.reduce((a, b) => a + b, 0),
        2 * 6 * 6,
      );
    parseXml(data[MIME_SVG] as string);
    assert.match(data[MIME_TEXT] as string, /in 2 → out 3, kernel 3×3, groups 1/);
    assert.equal(await tensorsLeaked(() => display.splines(layer, { x })), 0);
    x.dispose();
    layer.dispose();
  });

  test('splines of a KANLinear (kernel 1×1) and after a grid update (knots per input)', () => {
    const { sink, display } = setup();
    const layer = kanLinear({ inFeatures: 3, units: 2, seed: 1 });
    const x = tf.randomUniform([64, 3], -2, 2, 'float32', 5);
    tf.dispose(layer.apply(x) as tf.Tensor);
    display.splines(layer);
    let p = sink.last.bundle.data[MIME_SPLINES] as SplinesPayload;
    parsePayload(MIME_SPLINES, p);
    assert.deepEqual(p.layer.kernelSize, [1, 1]);
    assert.equal(p.functions.length, 6);
    assert.ok(p.knots);
    layer.updateGrid(x);
    display.splines(layer);
    p = sink.last.bundle.data[MIME_SPLINES] as SplinesPayload;
    parsePayload(MIME_SPLINES, p);
    assert.ok(p.knotsPerInput && p.knotsPerInput.length === 3, 'adaptive knots differ per input');
    parseXml(sink.last.bundle.data[MIME_SVG] as string);
    x.dispose();
    layer.dispose();
  });

  test('patches of a ConvKAN2D match a longhand zero-padded unfold', async () => {
    const { sink, display } = setup();
    const layer = convKan2d({
      inChannels: 2,
      filters: 1,
      kernelSize: [3, 2],
      strides: [2, 1],
      dilation: [1, 2],
      padding: [
        [1, 1],
        [2, 2],
      ],
      seed: 1,
    });
    const img = tf.randomUniform([5, 6, 2], -1, 1, 'float32', 9);
    const ref = referenceUnfold(
      { height: 5, width: 6, channels: 2, data: Array.from(img.dataSync()) },
      [3, 2],
      [2, 1],
      [1, 2],
      [
        [1, 1],
        [2, 2],
      ],
    );
    // The unfold needs no built layer; the layer's own output has the payload's output size.
    display.patches(layer, img);
    const outShape = tf.tidy(() => (layer.apply(img.expandDims(0)) as tf.Tensor).shape);
    assert.deepEqual(outShape.slice(1, 3), [ref.output.height, ref.output.width]);
    const p = sink.last.bundle.data[MIME_PATCHES] as PatchesPayload;
    parsePayload(MIME_PATCHES, p);
    assert.equal(p.layerName, layer.name);
    assert.deepEqual(p.output, ref.output);
    assert.deepEqual({ rows: p.patches.rows, cols: p.patches.cols }, { rows: ref.patches.rows, cols: ref.patches.cols });
    p.patches.data.forEach((v, i) => assert.equal(Math.fround(v), Math.fround(ref.patches.data[i]), `patch value ${i}`));
    parseXml(sink.last.bundle.data[MIME_SVG] as string);
    assert.equal(await tensorsLeaked(() => display.patches(layer, img)), 0);
    img.dispose();
    layer.dispose();
  });

  test('patches with reflect padding from a config, and from a plain tf conv2d layer', () => {
    const { sink, display } = setup();
    const img = tf.tensor3d(
      Array.from({ length: 16 }, (_, i) => i),
      [4, 4, 1],
    );
    display.patches({ kernelSize: 3, padding: 1, paddingMode: 'reflect' }, img);
    const p = sink.last.bundle.data[MIME_PATCHES] as PatchesPayload;
    parsePayload(MIME_PATCHES, p);
    // reflect (PyTorch): the row above row 0 is row 1, the column left of column 0 is column 1
    assert.deepEqual(p.padded.data.slice(0, 6), [5, 4, 5, 6, 7, 6]);
    display.patches(tf.layers.conv2d({ filters: 1, kernelSize: 2, strides: 2 }), img);
    const q = sink.last.bundle.data[MIME_PATCHES] as PatchesPayload;
    assert.deepEqual(q.output, { height: 2, width: 2 });
    parsePayload(MIME_PATCHES, q);
    assert.throws(
      () => display.patches(tf.layers.dense({ units: 1, name: 'dd' }), img),
      /expects a ConvKAN2D, a 2-D convolution layer .* or a .* config, but got Dense "dd"/,
    );
    img.dispose();
  });

  test('splines of a model use its first KAN layer; patches of a channels-first layer take CHW images', () => {
    const { sink, display } = setup();
    const kan = kanLinear({ units: 2, seed: 3, inputShape: [3] });
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [3] }), kan] });
    display.splines(model);
    assert.equal((sink.last.bundle.data[MIME_SPLINES] as SplinesPayload).layer.name, kan.name);
    const cf = convKan2d({ inChannels: 2, filters: 1, kernelSize: 2, dataFormat: 'channelsFirst', seed: 1 });
    const chw = tf.tensor3d(
      Array.from({ length: 2 * 3 * 4 }, (_, i) => i),
      [2, 3, 4],
    ); // C=2, H=3, W=4
    display.patches(cf, chw);
    const p = sink.last.bundle.data[MIME_PATCHES] as PatchesPayload;
    assert.deepEqual([p.image.height, p.image.width, p.image.channels], [3, 4, 2]);
    // HWC pixel (0, 1) holds channel 0 = 1 and channel 1 = 13 (CHW index 12 + 1)
    assert.deepEqual(p.image.data.slice(2, 4), [1, 13]);
    parsePayload(MIME_PATCHES, p);
    chw.dispose();
    model.dispose();
  });

  test('a ConvKAN2D as a cell result: config, weights and the same count as countParams()', () => {
    const layer = convKan2d({ inChannels: 3, filters: 4, kernelSize: 3, seed: 2 });
    assert.match(toMimeBundle(layer)!.data[MIME_TEXT] as string, /^ConvKAN2D "conv_kan2d\w*" \(not built yet/);
    tf.dispose(layer.apply(tf.zeros([1, 5, 5, 3])) as tf.Tensor);
    const b = toMimeBundle(layer)!;
    assert.match(b.data[MIME_TEXT] as string, new RegExp(`Total params: ${layer.countParams().toLocaleString('en-US')} `));
    parseXml(b.data[MIME_HTML] as string);
    layer.dispose();
  });
});
