// Save → load round trips (memory and a folder on disk) reproduce the outputs bit for bit,
// including a layer whose grid was updated from data, and torch parameters load by name.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConvKAN2D, convKan2d } from '../../kernel/convkan/layers/convKan2d';
import { KANLinear, kanLinear } from '../../kernel/convkan/layers/kanLinear';
import { fileSystemHandler } from '../../kernel/convkan/io/fileSystemHandler';
import { loadTorchParameters } from '../../kernel/convkan/io/torchParameters';

tf.setBackend('cpu');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-save-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function buildModel(): tf.Sequential {
  return tf.sequential({
    layers: [
      convKan2d({
        inputShape: [6, 6, 2],
        filters: 4,
        kernelSize: [3, 2],
        padding: 'same',
        paddingMode: 'reflect',
        dilation: [1, 2],
        groups: 2,
        gridSize: 4,
        seed: 1,
      }),
      convKan2d({
        filters: 3,
        kernelSize: 3,
        strides: 2,
        padding: [
          [1, 0],
          [0, 1],
        ],
        paddingMode: 'circular',
        splineOrder: 2,
        gridRange: [-2, 2],
        seed: 2,
      }),
      tf.layers.flatten(),
      kanLinear({ units: 3, seed: 3 }),
    ],
  });
}

async function saveToMemory(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

const bits = (t: tf.Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

describe('save → load', () => {
  const x = tf.randomUniform([3, 6, 6, 2], -2, 2, 'float32', 11);

  test('memory handler: same classes, same config, bit-identical outputs', async () => {
    const model = buildModel();
    const want = model.predict(x) as tf.Tensor;
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(await saveToMemory(model)));
    assert.deepEqual(
      loaded.layers.map((l) => l.getClassName()),
      ['ConvKAN2D', 'ConvKAN2D', 'Flatten', 'KANLinear'],
    );
    assert.deepEqual(loaded.layers[1].getConfig(), model.layers[1].getConfig());
    const got = loaded.predict(x) as tf.Tensor;
    assert.deepEqual(bits(got), bits(want));
    tf.dispose([want, got]);
    model.dispose();
    loaded.dispose();
  });

  test('folder on disk, after updateGrid (per-tap knots, unfold path): bit-identical outputs', async () => {
    const model = buildModel();
    const first = model.layers[0] as ConvKAN2D;
    first.updateGrid(x);
    assert.equal(first.resolvedPath(), 'unfold', 'taps now have their own knots');
    (model.layers[3] as KANLinear).updateGrid(tf.tidy(() => model.layers[2].apply(model.layers[1].apply(first.apply(x))) as tf.Tensor));
    const want = model.predict(x) as tf.Tensor;
    const dir = path.join(tmp, 'model');
    await model.save(fileSystemHandler(dir));
    assert.ok(fs.existsSync(path.join(dir, 'model.json')) && fs.existsSync(path.join(dir, 'weights.bin')));
    const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
    assert.equal((loaded.layers[0] as ConvKAN2D).resolvedPath(), 'unfold');
    const got = loaded.predict(x) as tf.Tensor;
    assert.deepEqual(bits(got), bits(want));
    tf.dispose([want, got]);
    model.dispose();
    loaded.dispose();
  });

  test('loading a missing folder names the file', async () => {
    await assert.rejects(tf.loadLayersModel(fileSystemHandler(path.join(tmp, 'nope'))), /nope[\\/]model\.json/);
  });
});

describe('loadTorchParameters', () => {
  test('builds the layer from the grid shape and refuses a wrong shape, leaving weights untouched', () => {
    const layer = new ConvKAN2D({ filters: 4, kernelSize: 3, groups: 2, name: 'tp', seed: 1 });
    const G = 2,
      Og = 2,
      inDim = 9,
      nb = 8,
      nk = 12;
    const fill = (shape: number[], v: number) => ({ shape, data: new Array(shape.reduce((a, b) => a * b, 1)).fill(v) });
    const params = {
      grid: fill([G, inDim, nk], 0).data.map((_, i) => (i % nk) * 0.5 - 3),
      base_weight: fill([G, Og, inDim], 0.5),
      spline_weight: fill([G, Og, inDim, nb], 0.25),
      spline_scaler: fill([G, Og, inDim], 2),
    };
    loadTorchParameters(layer, { ...params, grid: { shape: [G, inDim, nk], data: params.grid } });
    assert.equal(layer.inChannels, 2);
    assert.deepEqual(Array.from(layer.splineScaler!.read().dataSync().slice(0, 2)), [2, 2]);
    assert.throws(
      () =>
        loadTorchParameters(layer, {
          ...params,
          grid: { shape: [G, inDim, nk], data: params.grid },
          base_weight: fill([G, Og, 8], 9),
          spline_scaler: fill([G, Og, inDim], 7),
        }),
      /ConvKAN2D 'tp': base_weight must be torch shape \[2,2,9\], but got shape \[2,2,8\]\./,
    );
    assert.equal(layer.splineScaler!.read().dataSync()[0], 2, 'nothing written by the refused call');
  });
});
