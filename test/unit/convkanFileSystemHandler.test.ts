// Loading from a folder refuses what would load wrong or reach outside it: a weights path that
// leaves the model folder, a truncated model.json, weights of the wrong size, weights holding NaN.
// Every error names the file.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fileSystemHandler } from '../../kernel/convkan/io/fileSystemHandler';

tf.setBackend('cpu');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-fsh-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
async function savedModel(): Promise<string> {
  const dir = path.join(tmp, `m${n++}`);
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: 'ones' })] });
  await model.save(fileSystemHandler(dir));
  model.dispose();
  return dir;
}
const editJson = (dir: string, edit: (json: { weightsManifest: Array<{ paths: string[] }> }) => void) => {
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
};

describe('fileSystemHandler load', () => {
  test('a clean save loads, without leaking tensors', async () => {
    const dir = await savedModel();
    const before = tf.memory().numTensors;
    const model = await tf.loadLayersModel(fileSystemHandler(dir));
    model.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  test('a weights path outside the model folder is refused, naming model.json', async () => {
    const dir = await savedModel();
    fs.copyFileSync(path.join(dir, 'weights.bin'), path.join(tmp, 'outside.bin'));
    editJson(dir, (j) => (j.weightsManifest[0].paths = ['../outside.bin']));
    await assert.rejects(tf.loadLayersModel(fileSystemHandler(dir)), (e: Error) =>
      /weights path "\.\.\/outside\.bin" in .*model\.json must stay inside/.test(e.message),
    );
    editJson(dir, (j) => (j.weightsManifest[0].paths = ['/etc/passwd']));
    await assert.rejects(tf.loadLayersModel(fileSystemHandler(dir)), /must stay inside/);
  });

  test('a truncated model.json names the file', async () => {
    const dir = await savedModel();
    const file = path.join(dir, 'model.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 40));
    await assert.rejects(
      tf.loadLayersModel(fileSystemHandler(dir)),
      (e: Error) => e.message.includes(file) && /not valid JSON/.test(e.message),
    );
  });

  test('weights of the wrong size (oversized, truncated) are refused with expected and actual bytes', async () => {
    const dir = await savedModel();
    const bin = path.join(dir, 'weights.bin');
    const good = fs.readFileSync(bin);
    fs.writeFileSync(bin, Buffer.concat([good, Buffer.alloc(1024)]));
    await assert.rejects(tf.loadLayersModel(fileSystemHandler(dir)), /weights\.bin .*must hold 32 bytes .* but got 1056 bytes/);
    fs.writeFileSync(bin, good.subarray(0, 10));
    await assert.rejects(tf.loadLayersModel(fileSystemHandler(dir)), /must hold 32 bytes .* but got 10 bytes/);
  });

  test('weights holding NaN are refused, naming the weight', async () => {
    const dir = await savedModel();
    const bin = path.join(dir, 'weights.bin');
    const data = fs.readFileSync(bin);
    data.writeFloatLE(NaN, 4);
    fs.writeFileSync(bin, data);
    await assert.rejects(tf.loadLayersModel(fileSystemHandler(dir)), /weight dense_\w+\/kernel in .*weights\.bin.* holds NaN at element 1/);
  });
});
