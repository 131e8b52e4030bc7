// display.patches draws every 2-D convolution with the geometry the layer really uses (asked of
// the layer by inspect/layerGeometry): the basis families' and GroupedConv2D's dilation, numeric
// padding, padding mode and groups, and tf conv2d's TensorFlow 'same' with a stride. The check is
// the strongest there is: the patch matrix times the layer's kernel gives the layer's own output.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createDisplayApi, MIME_PATCHES, MIME_TEXT, parsePayload, type PatchesPayload } from '../../kernel/display';
import { KACNConv2D } from '../../kernel/convkan/variants';
import { GroupedConv2D } from '../../kernel/convkan/models';
import { layerGeometry, tfSamePadding } from '../../kernel/convkan/inspect/layerGeometry';
import { RecordingSink, tensorsLeaked } from './displayHelpers';

function patchesOf(layer: tf.layers.Layer, image: tf.Tensor3D): { p: PatchesPayload; text: string } {
  const sink = new RecordingSink();
  createDisplayApi(() => sink).patches(layer, image);
  const p = sink.last.bundle.data[MIME_PATCHES] as PatchesPayload;
  parsePayload(MIME_PATCHES, p);
  return { p, text: sink.last.bundle.data[MIME_TEXT] as string };
}

/** out[col, f] = Σ_row patches[row, col] · W[row → (ky, kx, c), f] for an HWIO kernel of a groups = 1 layer. */
function outputFromPatches(p: PatchesPayload, kernel: number[], filters: number): number[][] {
  const [kh, kw] = p.config.kernelSize;
  const c = p.image.channels;
  const { rows, cols, data } = p.patches;
  return Array.from({ length: cols }, (_, col) =>
    Array.from({ length: filters }, (_, f) => {
      let acc = 0;
      for (let row = 0; row < rows; row++) {
        const ch = Math.floor(row / (kh * kw));
        const tap = row % (kh * kw);
        acc += data[row * cols + col] * kernel[(tap * c + ch) * filters + f];
      }
      return acc;
    }),
  );
}

function layerOutput(layer: tf.layers.Layer, image: tf.Tensor3D): { shape: number[]; rows: number[][] } {
  return tf.tidy(() => {
    const y = layer.apply(image.expandDims(0)) as tf.Tensor4D;
    const [, h, w, f] = y.shape;
    return { shape: [h, w], rows: y.reshape([h * w, f]).arraySync() as number[][] };
  });
}

describe('display.patches uses the layer’s real geometry', () => {
  const sameModesTest =
    "tf conv2d, stride 2 'same' (TensorFlow's asymmetric split) and dilation 2 'same': " + "the patches give the layer's output";
  test(sameModesTest, async () => {
    await tf.setBackend('cpu');
    const image = tf.randomUniform([6, 7, 2], -1, 1, 'float32', 4) as tf.Tensor3D;
    for (const args of [
      { strides: 2 },
      { dilationRate: 2 },
      { strides: [2, 1] as [number, number], kernelSize: [2, 3] as [number, number] },
    ]) {
      const conv = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', useBias: false, ...args });
      const { shape, rows } = layerOutput(conv, image);
      const { p } = patchesOf(conv, image);
      assert.deepEqual([p.output.height, p.output.width], shape, `output size of ${JSON.stringify(args)}`);
      const mine = outputFromPatches(p, Array.from(conv.getWeights()[0].dataSync()), 3);
      mine.forEach((r, i) =>
        r.forEach((v, f) =>
          assert.ok(Math.abs(v - rows[i][f]) < 1e-5, `${JSON.stringify(args)} position ${i} filter ${f}: ${v} vs ${rows[i][f]}`),
        ),
      );
      conv.dispose();
    }
    // 6 rows, k 3, stride 2: output 3, total padding 1 → nothing on top, 1 at the bottom (TensorFlow's rule)
    assert.deepEqual(tfSamePadding([6, 7], [3, 3], [2, 2], [1, 1]), [
      [0, 1],
      [1, 1],
    ]);
    image.dispose();
  });

  test('a basis-family ConvKAN layer: dilation, numeric padding, reflect mode and groups as the layer has them', async () => {
    const layer = new KACNConv2D({
      filters: 4,
      kernelSize: 3,
      dilation: 2,
      padding: [2, 1],
      paddingMode: 'reflect',
      groups: 2,
      seed: 1,
    } as never);
    const image = tf.tensor3d(
      Array.from({ length: 5 * 6 * 2 }, (_, i) => i),
      [5, 6, 2],
    );
    const { shape } = layerOutput(layer, image);
    const { p, text } = patchesOf(layer, image);
    assert.deepEqual(p.config.dilation, [2, 2]);
    assert.deepEqual(p.config.padding, [
      [2, 2],
      [1, 1],
    ]);
    assert.equal(p.config.paddingMode, 'reflect');
    assert.equal(p.config.groups, 2);
    assert.deepEqual([p.output.height, p.output.width], shape);
    // reflect (PyTorch): padded row 0 is image row 2, padded column 0 is image column 1 → pixel (2, 1), channel 0
    assert.equal(p.padded.data[0], (2 * 6 + 1) * 2);
    assert.match(text, /mode reflect/);
    assert.match(text, /groups 2: each filter sees 1 of the 2 channels/);
    assert.equal(await tensorsLeaked(() => patchesOf(layer, image)), 0);
    image.dispose();
    layer.dispose();
  });

  test('GroupedConv2D with per-side padding and circular mode: the patches give the layer’s output', () => {
    const layer = new GroupedConv2D({
      filters: 2,
      kernelSize: [2, 3],
      padding: [
        [1, 0],
        [0, 2],
      ],
      paddingMode: 'circular',
      useBias: false,
      seed: 3,
    });
    const image = tf.randomUniform([4, 5, 3], -1, 1, 'float32', 8) as tf.Tensor3D;
    const { shape, rows } = layerOutput(layer, image);
    const { p } = patchesOf(layer, image);
    assert.deepEqual(p.config.padding, [
      [1, 0],
      [0, 2],
    ]);
    assert.equal(p.config.paddingMode, 'circular');
    assert.deepEqual([p.output.height, p.output.width], shape);
    const mine = outputFromPatches(p, Array.from(layer.getWeights()[0].dataSync()), 2);
    mine.forEach((r, i) =>
      r.forEach((v, f) => assert.ok(Math.abs(v - rows[i][f]) < 1e-5, `position ${i} filter ${f}: ${v} vs ${rows[i][f]}`)),
    );
    image.dispose();
    layer.dispose();
  });

  test('layerGeometry refuses what is not a 2-D convolution, naming the layer', () => {
    const dense = tf.layers.dense({ units: 2, name: 'dense_x' });
    assert.throws(() => layerGeometry(dense, 4, 4), /Dense 'dense_x': layer must be a 2-D convolution .*, but got Dense/);
    const depthwise = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', strides: 2 });
    assert.equal(layerGeometry(depthwise, 5, 5, 3).groups, 3);
    assert.deepEqual(layerGeometry(depthwise, 5, 5, 3).geometry.padding, [
      [1, 1],
      [1, 1],
    ]);
  });
});
