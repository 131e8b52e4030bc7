// The `display` global and toMimeBundle: the right MIME types for each call, handles that
// update the same output in place, and the value → bundle rules for cell results.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { inspect } from 'node:util';
import { inflateSync } from 'node:zlib';
import {
  createDisplayApi,
  MIME_HTML,
  MIME_JSON,
  MIME_MARKDOWN,
  MIME_PLOTLY,
  MIME_PNG,
  MIME_SVG,
  MIME_TEXT,
  toMimeBundle,
} from '../../kernel/display';
import { crc32, encodePng } from '../../kernel/display/png';
import { assertHtmlImageOf, parseXml, RecordingSink, tensorsLeaked } from './displayHelpers';

function setup() {
  const sink = new RecordingSink();
  return { sink, display: createDisplayApi(() => sink) };
}

describe('display API', () => {
  test('display(value) emits one display_data with a display id and the value bundle', () => {
    const { sink, display } = setup();
    const h = display({ a: 1 });
    assert.equal(sink.outputs.length, 1);
    assert.equal(sink.last.displayId, h.displayId);
    assert.ok(!sink.last.update);
    assert.deepEqual(sink.last.bundle.data[MIME_JSON], { a: 1 });
    assert.equal(sink.last.bundle.data[MIME_TEXT], '{ a: 1 }');
  });

  test('handle.update replaces the same output (same display id, update flag), shown the same way', () => {
    const { sink, display } = setup();
    const h = display.html('<b>1</b>');
    h.update('<b>2</b>');
    assert.equal(sink.outputs.length, 2);
    assert.equal(sink.outputs[1].displayId, h.displayId);
    assert.equal(sink.outputs[1].update, true);
    assert.equal(sink.outputs[1].bundle.data[MIME_HTML], '<b>2</b>');
    // A bundle is taken as is.
    h.update({ data: { [MIME_TEXT]: 'plain' }, metadata: {} });
    assert.deepEqual(sink.last.bundle.data, { [MIME_TEXT]: 'plain' });
    assert.equal(sink.last.displayId, h.displayId);
  });

  test('every call gets its own display id unless one is given', () => {
    const { sink, display } = setup();
    const a = display.text('a');
    const b = display.text('b');
    assert.notEqual(a.displayId, b.displayId);
    const c = display.markdown('# hi', { displayId: 'mine' });
    assert.equal(c.displayId, 'mine');
    assert.equal(sink.last.displayId, 'mine');
  });

  test('the sink is looked up at every emission (updates after the cell go to the current sink)', () => {
    let sink = new RecordingSink();
    const display = createDisplayApi(() => sink);
    const h = display.text('first');
    const later = new RecordingSink();
    sink = later;
    h.update('second');
    assert.equal(later.outputs.length, 1);
    assert.equal(later.last.displayId, h.displayId);
  });

  test('html, markdown, svg each carry their MIME type and a text/plain fallback', () => {
    const { sink, display } = setup();
    display.html('<i>x</i>');
    display.markdown('**x**');
    display.svg('<svg xmlns="http://www.w3.org/2000/svg"/>');
    assert.deepEqual(
      sink.outputs.map((o) => Object.keys(o.bundle.data).sort()),
      [[MIME_TEXT, MIME_HTML].sort(), [MIME_TEXT, MIME_MARKDOWN].sort(), [MIME_TEXT, MIME_SVG].sort()],
    );
    assert.equal(sink.outputs[1].bundle.data[MIME_TEXT], '**x**');
  });

  test('png accepts bytes, base64 and data URLs, with optional size metadata', () => {
    const { sink, display } = setup();
    const png = encodePng(new Uint8Array([255, 0, 0, 255]), 1, 1);
    display.png(png, { width: 20, height: 10 });
    display.png(png.toString('base64'));
    display.png(`data:image/png;base64,${png.toString('base64')}`);
    for (const o of sink.outputs) assert.equal(o.bundle.data[MIME_PNG], png.toString('base64'));
    assert.deepEqual(sink.outputs[0].bundle.metadata, { [MIME_PNG]: { width: 20, height: 10 } });
    assert.throws(() => display.png(42 as unknown as string), /display\.png expects PNG bytes/);
  });

  test('json turns typed arrays into arrays; plotly keeps the figure with a text summary', () => {
    const { sink, display } = setup();
    display.json({ v: new Float32Array([1, 2]) });
    assert.deepEqual(sink.last.bundle.data[MIME_JSON], { v: [1, 2] });
    display.plotly({ data: [{ type: 'bar', y: new Float32Array([1, 2]) }], layout: { title: { text: 'T' } } });
    assert.deepEqual(sink.last.bundle.data[MIME_PLOTLY], { data: [{ type: 'bar', y: [1, 2] }], layout: { title: { text: 'T' } } });
    assert.equal(sink.last.bundle.data[MIME_TEXT], 'Plotly figure "T": 1 trace(s) (bar)');
    assert.throws(() => display.plotly({} as never), /display\.plotly expects a figure/);
  });

  test('clear forwards the wait flag', () => {
    const { sink, display } = setup();
    display.clear();
    display.clear(true);
    assert.deepEqual(sink.clears, [false, true]);
  });

  test('display.bundle passes a raw bundle or a {mime: data} map through; metadata option merges', () => {
    const { sink, display } = setup();
    display.bundle({ 'text/x-custom': 'c', [MIME_TEXT]: 't' }, { metadata: { isolated: true } });
    assert.deepEqual(sink.last.bundle, { data: { 'text/x-custom': 'c', [MIME_TEXT]: 't' }, metadata: { isolated: true } });
    assert.throws(() => display.bundle('nope' as never), /display\.bundle expects a MIME bundle/);
  });
});

describe('toMimeBundle', () => {
  test('undefined has no result; primitives are util.inspect text', () => {
    assert.equal(toMimeBundle(undefined), undefined);
    assert.deepEqual(toMimeBundle(2)?.data, { [MIME_TEXT]: '2' });
    assert.deepEqual(toMimeBundle('str')?.data, { [MIME_TEXT]: "'str'" });
    assert.deepEqual(toMimeBundle(null)?.data, { [MIME_TEXT]: 'null' });
  });

  test('plain JSON data gets application/json; classes, cycles and non-finite numbers do not', () => {
    assert.deepEqual(toMimeBundle([1, { b: 'x' }])?.data[MIME_JSON], [1, { b: 'x' }]);
    assert.equal(toMimeBundle(new Map([[1, 2]]))?.data[MIME_JSON], undefined);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(toMimeBundle(cyclic)?.data[MIME_JSON], undefined);
    assert.equal(toMimeBundle({ v: NaN })?.data[MIME_JSON], undefined);
    assert.equal(toMimeBundle(new Float32Array(2))?.data[MIME_JSON], undefined);
  });

  test('objects with toMimeBundle() or _repr_mimebundle_() are shown their way', () => {
    const own = { toMimeBundle: () => ({ data: { [MIME_HTML]: '<p>me</p>' }, metadata: { a: 1 } }) };
    assert.deepEqual(toMimeBundle(own), { data: { [MIME_HTML]: '<p>me</p>' }, metadata: { a: 1 } });
    const ipy = { _repr_mimebundle_: () => ({ [MIME_MARKDOWN]: '*md*' }) };
    assert.deepEqual(toMimeBundle(ipy), { data: { [MIME_MARKDOWN]: '*md*' }, metadata: {} });
    assert.throws(() => toMimeBundle({ toMimeBundle: () => 3 }), /toMimeBundle\(\) must return a MIME bundle/);
  });

  test('a 2-D tensor: PyTorch-style text plus a well-formed SVG heatmap, without leaking tensors', async () => {
    const t = tf.tensor2d([
      [1, -2],
      [3, 4.5],
    ]);
    const b = toMimeBundle(t)!;
    assert.equal(b.data[MIME_TEXT], 'tensor([[ 1.0000, -2.0000],\n        [ 3.0000,  4.5000]], shape=[2, 2], dtype=float32)');
    const svg = b.data[MIME_SVG] as string;
    assert.equal(parseXml(svg).root, 'svg');
    assert.match(svg, /data:image\/png;base64,/);
    assert.match(svg, /matrix \[2×2\]/);
    // HTML: the values and the picture together (front ends show one type per output)
    const html = b.data[MIME_HTML] as string;
    assert.match(html, /^<div class="convkan-tensor"[^>]*><img [^>]*\/><pre[^>]*>tensor\(\[\[ 1\.0000, -2\.0000\],\n/);
    assertHtmlImageOf(html.slice(html.indexOf('<img'), html.indexOf('<pre')), svg);
    parseXml(html);
    assert.equal(await tensorsLeaked(() => toMimeBundle(t)), 0);
    t.dispose();
  });

  test('1-D tensors have text only; HWC images and NHWC batches get a picture of sample 0', () => {
    const v = tf.tensor1d([1, 2, 3]);
    assert.deepEqual(Object.keys(toMimeBundle(v)!.data), [MIME_TEXT]);
    const img = tf.ones([2, 4, 4, 3]);
    const svg = toMimeBundle(img)!.data[MIME_SVG] as string;
    assert.match(svg, /\[0\] HWC image, 3 channels \[4×4×3\]/);
    parseXml(svg);
    const chw = tf.zeros([8, 5, 5]);
    assert.match(toMimeBundle(chw)!.data[MIME_SVG] as string, /channel 0 of 5/);
    tf.dispose([v, img, chw]);
  });

  test('console.log / util.inspect of tensors, alone or inside objects, use the same text', () => {
    createDisplayApi(() => new RecordingSink()); // installs the inspect form
    const t = tf.tensor1d([1, 2]);
    assert.equal(inspect(t), 'tensor([1., 2.], shape=[2], dtype=float32)');
    assert.equal(inspect({ w: t }), '{ w: tensor([1., 2.], shape=[2], dtype=float32) }');
    assert.equal(toMimeBundle([t])!.data[MIME_TEXT], '[ tensor([1., 2.], shape=[2], dtype=float32) ]');
    t.dispose();
  });

  test('int32 and bool tensors, variables and disposed tensors', () => {
    const i = tf.tensor1d([1, 2], 'int32');
    assert.equal(toMimeBundle(i)!.data[MIME_TEXT], 'tensor([1, 2], shape=[2], dtype=int32)');
    const b = tf.tensor2d(
      [
        [1, 0],
        [0, 1],
      ],
      undefined,
      'bool',
    );
    assert.match(toMimeBundle(b)!.data[MIME_TEXT] as string, /^tensor\(\[\[ true, false\],/);
    parseXml(toMimeBundle(b)!.data[MIME_SVG] as string);
    const v = tf.variable(tf.scalar(1));
    assert.equal(toMimeBundle(v)!.data[MIME_TEXT], 'variable(1., shape=[], dtype=float32)');
    i.dispose();
    assert.equal(toMimeBundle(i)!.data[MIME_TEXT], 'tensor(<disposed>, shape=[2], dtype=int32)');
    tf.dispose([b, v]);
  });

  test('a large matrix is summarized in text and strided in the heatmap', () => {
    const t = tf.zeros([600, 300]);
    const b = toMimeBundle(t)!;
    assert.match(b.data[MIME_TEXT] as string, /\.\.\./);
    assert.match(b.data[MIME_SVG] as string, /one cell in 3×2 shown/);
    t.dispose();
  });

  test('a symbolic tensor shows its name, shape and dtype', () => {
    const input = tf.input({ shape: [4], name: 'features' });
    assert.match(toMimeBundle(input)!.data[MIME_TEXT] as string, /^SymbolicTensor\(name=features\w*, shape=\[null, 4\], dtype=float32\)$/);
  });

  test('a model: model.summary() text and an HTML table with parameter counts', () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] }), tf.layers.dense({ units: 2 })] });
    const b = toMimeBundle(m)!;
    assert.match(b.data[MIME_TEXT] as string, /Total params: 23/);
    const html = b.data[MIME_HTML] as string;
    assert.match(html, /<table>/);
    assert.match(html, /Total params: 23 \(trainable 23, non-trainable 0\)/);
    parseXml(html);
    m.dispose();
  });

  test('a layer: config, weights and counts once built; a note before', () => {
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3 });
    assert.match(toMimeBundle(conv)!.data[MIME_TEXT] as string, /not built yet/);
    conv.apply(tf.zeros([1, 5, 5, 1]));
    const text = toMimeBundle(conv)!.data[MIME_TEXT] as string;
    assert.match(text, /kernelSize: \[3,3\]/);
    assert.match(text, /Total params: 20 \(trainable 20, non-trainable 0\)/);
    parseXml(toMimeBundle(conv)!.data[MIME_HTML] as string);
    conv.dispose();
  });
});

describe('PNG encoder', () => {
  test('CRC-32 check value', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  });

  test('round trip: header fields and pixel rows after inflating IDAT', () => {
    const rgba = new Uint8Array([1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 128, 10, 11, 12, 0]);
    const png = encodePng(rgba, 2, 2);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.toString('latin1', 12, 16), 'IHDR');
    assert.equal(png.readUInt32BE(16), 2);
    assert.equal(png.readUInt32BE(20), 2);
    const idatLen = png.readUInt32BE(33);
    assert.equal(png.toString('latin1', 37, 41), 'IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    assert.deepEqual([...raw], [0, ...rgba.subarray(0, 8), 0, ...rgba.subarray(8)]);
    // Every chunk's CRC covers its type and data.
    assert.equal(png.readUInt32BE(41 + idatLen), crc32(png.subarray(37, 41 + idatLen)));
    assert.throws(() => encodePng(rgba, 3, 2), /must have 24 bytes/);
  });
});
