// The PyTorch bridge: safetensors read/write; whole models (ConvKAN2D, a
// torch-conv-kan FastKAN layer, KANLinear, Dense) loaded from a state dict PyTorch wrote
// (test/torch/torch_bridge.py, Debian's python3-torch) with the same outputs, and a state dict we
// wrote loaded by PyTorch's load_state_dict(strict=True) with the same outputs.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { parseSafetensors, serializeSafetensors } from '../../kernel/convkan/io/safetensors';
import { loadTorchStateDict, saveTorchStateDict } from '../../kernel/convkan/io/torchStateDict';
import { loadTorchParameters } from '../../kernel/convkan/io/torchParameters';
import { ConvKAN2D } from '../../kernel/convkan/layers/convKan2d';
import { KANLinear } from '../../kernel/convkan/layers/kanLinear';
import { BasisConvKAN1D } from '../../kernel/convkan/variants/basisConvKan1d';
import { BasisConvKAN2D } from '../../kernel/convkan/variants/basisConvKan2d';
import { seed, unseed } from '../../kernel/convkan/repro/globalSeed';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'torch_bridge.py');
/** Our layer names → the torch nn.Sequential's child indices (2 is the pooling). */
const NAMES = { ck: '0', fast: '1', kl: '3', fc: '4' };

function model(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [6, 6, 2] }),
      new ConvKAN2D({ filters: 3, kernelSize: 3, padding: 1, gridSize: 4, name: 'ck' }),
      new BasisConvKAN2D({ basis: 'rbf', filters: 4, kernelSize: 3, gridSize: 5, name: 'fast' }),
      tf.layers.globalAveragePooling2d({}),
      new KANLinear({ units: 3, gridSize: 3, name: 'kl' }),
      tf.layers.dense({ units: 2, name: 'fc' }),
    ],
  });
}

function python(command: string, dir: string) {
  return spawnSync(PYTHON, [SCRIPT, command, dir], { encoding: 'utf8' });
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe('safetensors', () => {
  test('round trip keeps names, shapes, values, order and metadata; data is 8-byte aligned', () => {
    const a = { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-8, -1e8]) };
    const b = { shape: [], data: Float32Array.from([7]) };
    const bytes = serializeSafetensors({ 'x.weight': a, s: b }, { format: 'pt' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.equal((8 + n) % 8, 0);
    const f = parseSafetensors(bytes);
    assert.deepEqual([...f.tensors.keys()], ['x.weight', 's']);
    assert.deepEqual(f.tensors.get('x.weight')!.shape, [2, 3]);
    assert.deepEqual(Array.from(f.tensors.get('x.weight')!.data), Array.from(a.data));
    assert.deepEqual(f.tensors.get('s')!.shape, []);
    assert.deepEqual(f.metadata, { format: 'pt' });
  });

  test('reads F64, F16, BF16 and I64 as float32', () => {
    const header = JSON.stringify({
      d: { dtype: 'F64', shape: [1], data_offsets: [0, 8] },
      h: { dtype: 'F16', shape: [2], data_offsets: [8, 12] },
      b: { dtype: 'BF16', shape: [1], data_offsets: [12, 14] },
      i: { dtype: 'I64', shape: [1], data_offsets: [14, 22] },
    });
    const head = Buffer.from(header);
    const buf = Buffer.alloc(8 + head.length + 22);
    buf.writeBigUInt64LE(BigInt(head.length), 0);
    head.copy(buf, 8);
    const at = 8 + head.length;
    buf.writeDoubleLE(0.25, at);
    buf.writeUInt16LE(0x3c00, at + 8); // 1.0
    buf.writeUInt16LE(0xc000, at + 10); // -2.0
    buf.writeUInt16LE(0x3fc0, at + 12); // bf16 1.5
    buf.writeBigInt64LE(-3n, at + 14);
    const f = parseSafetensors(buf);
    assert.deepEqual(
      ['d', 'h', 'b', 'i'].map((k) => Array.from(f.tensors.get(k)!.data)),
      [[0.25], [1, -2], [1.5], [-3]],
    );
  });

  test('malformed files are refused naming the field, the expected and the actual value', () => {
    assert.throws(
      () => parseSafetensors(new Uint8Array(4)),
      /Error in safetensors: the file must be at least 8 bytes \(the header length\), but got 4 bytes/,
    );
    const withHeader = (h: object, data = 0) => {
      const head = Buffer.from(JSON.stringify(h));
      const buf = Buffer.alloc(8 + head.length + data);
      buf.writeBigUInt64LE(BigInt(head.length), 0);
      head.copy(buf, 8);
      return buf;
    };
    assert.throws(
      () => parseSafetensors(withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, 4)),
      /data_offsets of "a" must be \[begin, end\] within the 4 data bytes, but got \[0,8\]/,
    );
    assert.throws(
      () => parseSafetensors(withHeader({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8)),
      /the byte size of "a" \(F32 \[3\]\) must be 12, but got 8/,
    );
    assert.throws(
      () => parseSafetensors(withHeader({ a: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, 8)),
      /the dtype of "a" must be one of .*, but got "C64"/,
    );
    const bad = Buffer.alloc(16);
    bad.writeBigUInt64LE(1000n, 0);
    assert.throws(() => parseSafetensors(bad), /the header length must be at most 8 bytes, but got 1000/);
  });
});

describe('PyTorch state dicts', { timeout: 180_000 }, () => {
  let dir: string;
  before(async () => {
    await tf.setBackend('cpu');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-torch-'));
  });
  after(() => {
    unseed();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a state dict PyTorch wrote loads into the whole model and gives the same outputs', () => {
    const r = python('write', dir);
    assert.equal(r.status, 0, r.stderr);
    const m = model();
    const before = tf.memory().numTensors;
    loadTorchStateDict(m, path.join(dir, 'torch_model.safetensors'), { names: NAMES });
    assert.equal(tf.memory().numTensors, before, 'loading leaks no tensors');
    const io = parseSafetensors(fs.readFileSync(path.join(dir, 'torch_io.safetensors'))).tensors;
    const y = tf.tidy(() => (m.predict(tf.tensor(io.get('x')!.data, io.get('x')!.shape)) as tf.Tensor).dataSync());
    assert.deepEqual(io.get('y')!.shape, [2, 2]);
    assert.ok(maxDiff(y, io.get('y')!.data) < 1e-4, `outputs ${Array.from(y)} vs torch ${Array.from(io.get('y')!.data)}`);
    m.dispose();
  });

  test('a state dict we wrote loads in PyTorch (strict) and gives the same outputs; the check can fail', () => {
    seed(5);
    const m = model();
    const x = tf.randomUniform([2, 6, 6, 2], -1, 1);
    // Move every weight off its initial value so nothing matches by accident.
    for (const w of m.weights) w.write(tf.tidy(() => tf.add(w.read(), tf.randomNormal(w.shape as number[], 0, 0.05))));
    const y = m.predict(x) as tf.Tensor;
    const before = tf.memory().numTensors;
    saveTorchStateDict(m, path.join(dir, 'ours_model.safetensors'), { names: NAMES });
    assert.equal(tf.memory().numTensors, before, 'saving leaks no tensors');
    const io = (yValues: Float32Array) =>
      serializeSafetensors({ x: { shape: x.shape, data: x.dataSync() as Float32Array }, y: { shape: y.shape, data: yValues } });
    fs.writeFileSync(path.join(dir, 'ours_io.safetensors'), io(y.dataSync() as Float32Array));
    const ok = python('check', dir);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /max abs difference/);
    fs.writeFileSync(path.join(dir, 'ours_io.safetensors'), io((y.dataSync() as Float32Array).map((v) => v + 0.01)));
    assert.equal(python('check', dir).status, 1, 'a wrong output is caught');
    tf.dispose([x, y]);
    m.dispose();
  });

  test('our file round-trips into a fresh model bit for bit', () => {
    const a = model();
    const b = model();
    loadTorchStateDict(b, saveTorchStateDict(a, undefined, { names: NAMES }), { names: NAMES });
    a.weights.forEach((w, i) => assert.deepEqual(Array.from(b.weights[i].read().dataSync()), Array.from(w.read().dataSync()), w.name));
    a.dispose();
    b.dispose();
  });

  test('missing keys, wrong shapes, unexpected keys and unknown names are refused; nothing is written then', () => {
    const m = model();
    const bytes = saveTorchStateDict(m, undefined, { names: NAMES });
    const file = parseSafetensors(bytes).tensors;
    const snapshot = () => m.weights.map((w) => Array.from(w.read().dataSync()));
    const original = snapshot();
    const rewrite = (edit: (t: Record<string, { shape: number[]; data: Float32Array }>) => void) => {
      const t = Object.fromEntries(
        [...file].map(([k, v]) => [k, { shape: v.shape, data: k === '1.rbf.grid' ? v.data : v.data.map(() => 9) }]),
      );
      edit(t);
      return serializeSafetensors(t);
    };
    assert.throws(
      () =>
        loadTorchStateDict(
          m,
          rewrite((t) => delete t['3.grid']),
          { names: NAMES },
        ),
      /KANLinear 'kl' needs "3.grid" of shape \[4, 10\], but the state dict has no such key/,
    );
    assert.throws(
      () =>
        loadTorchStateDict(
          m,
          rewrite((t) => (t['4.weight'] = { shape: [3, 2], data: new Float32Array(6) })),
          { names: NAMES },
        ),
      /Dense 'fc': "4.weight" must have shape \[2, 3\], but got \[3, 2\]/,
    );
    assert.throws(
      () =>
        loadTorchStateDict(
          m,
          rewrite((t) => (t['9.extra'] = { shape: [1], data: new Float32Array(1) })),
          { names: NAMES },
        ),
      /unexpected "9.extra"/,
    );
    assert.throws(
      () => loadTorchStateDict(m, bytes, { names: { nope: '0' } }),
      /names must name layers of the model \(.*\), but got 'nope'/,
    );
    assert.throws(
      () =>
        loadTorchStateDict(
          m,
          rewrite((t) => (t['1.rbf.grid'] = { shape: [5], data: new Float32Array(5) })),
          { names: NAMES },
        ),
      /BasisConvKAN2D 'fast' rbf.grid must equal the layer's centres \[-2, -1, 0, 1, 2\]/,
    );
    assert.deepEqual(snapshot(), original, 'a refused load changes no weight');
    loadTorchStateDict(
      m,
      rewrite((t) => (t['9.extra'] = { shape: [1], data: new Float32Array(1) })),
      { names: NAMES, strict: false },
    );
    assert.notDeepEqual(snapshot(), original, 'strict: false ignores the extra key and loads the rest');
    const lstm = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 4, outputDim: 2, inputLength: 1, name: 'emb' })] });
    assert.throws(() => saveTorchStateDict(lstm), /Embedding 'emb' has weights but no PyTorch counterpart/);
    m.dispose();
    lstm.dispose();
  });

  test("a lone layer uses unprefixed keys; groups > 1 keep torch-conv-kan's one conv per group", () => {
    const layer = new BasisConvKAN2D({ basis: 'chebyshev', filters: 4, kernelSize: 3, groups: 2 });
    tf.dispose(tf.tidy(() => layer.apply(tf.zeros([1, 5, 5, 4])) as tf.Tensor));
    const keys = [...parseSafetensors(saveTorchStateDict(layer)).tensors].map(([k, v]) => `${k} ${v.shape.join('x')}`);
    assert.deepEqual(keys, [
      'base_conv.0.weight 2x2x3x3',
      'base_conv.1.weight 2x2x3x3',
      'spline_conv.0.weight 2x8x3x3',
      'spline_conv.1.weight 2x8x3x3',
    ]);
    const copy = new BasisConvKAN2D({ basis: 'chebyshev', filters: 4, kernelSize: 3, groups: 2 });
    tf.dispose(tf.tidy(() => copy.apply(tf.zeros([1, 5, 5, 4])) as tf.Tensor));
    loadTorchStateDict(copy, saveTorchStateDict(layer));
    layer.weights.forEach((w, i) => assert.deepEqual(Array.from(copy.weights[i].read().dataSync()), Array.from(w.read().dataSync())));
    const conv1d = new BasisConvKAN1D({ basis: 'rbf', filters: 3, kernelSize: 3, gridSize: 4 });
    tf.dispose(tf.tidy(() => conv1d.apply(tf.zeros([1, 7, 2])) as tf.Tensor));
    const keys1d = [...parseSafetensors(saveTorchStateDict(conv1d)).tensors].map(([k, v]) => `${k} ${v.shape.join('x')}`);
    assert.deepEqual(keys1d, ['base_conv.0.weight 3x2x3', 'spline_conv.0.weight 3x8x3', 'rbf.grid 4']);
    // torch's Conv1d weight [O, I, k] holds our [k, I, O] element (t, c, o) at (o, c, t).
    const ours = conv1d.weights
      .find((w) => w.originalName.endsWith('/baseKernel'))!
      .read()
      .arraySync() as number[][][];
    const torchBase = parseSafetensors(saveTorchStateDict(conv1d)).tensors.get('base_conv.0.weight')!.data;
    for (let o = 0; o < 3; o++)
      for (let c = 0; c < 2; c++) for (let t = 0; t < 3; t++) assert.equal(torchBase[(o * 2 + c) * 3 + t], Math.fround(ours[t][c][o]));
    const copy1d = new BasisConvKAN1D({ basis: 'rbf', filters: 3, kernelSize: 3, gridSize: 4 });
    tf.dispose(tf.tidy(() => copy1d.apply(tf.zeros([1, 7, 2])) as tf.Tensor));
    loadTorchStateDict(copy1d, saveTorchStateDict(conv1d));
    conv1d.weights.forEach((w, i) => assert.deepEqual(Array.from(copy1d.weights[i].read().dataSync()), Array.from(w.read().dataSync())));
    conv1d.dispose();
    copy1d.dispose();
    const grouped = new ConvKAN2D({ filters: 4, kernelSize: 3, groups: 2, gridSize: 3 });
    tf.dispose(tf.tidy(() => grouped.apply(tf.zeros([1, 5, 5, 4])) as tf.Tensor));
    const shapes = Object.fromEntries([...parseSafetensors(saveTorchStateDict(grouped)).tensors].map(([k, v]) => [k, v.shape]));
    assert.deepEqual(shapes, {
      'kan_layer.grid': [2, 18, 10],
      'kan_layer.base_weight': [2, 2, 18],
      'kan_layer.spline_weight': [2, 2, 18, 6],
      'kan_layer.spline_scaler': [2, 2, 18],
    });
    layer.dispose();
    copy.dispose();
    grouped.dispose();
  });

  test('a KAN layer built with useBias saves and loads its bias as "bias" (a state dict without it is refused)', () => {
    const make = () => {
      const l = new ConvKAN2D({ filters: 3, kernelSize: 3, gridSize: 3, useBias: true, biasInitializer: 'randomNormal' });
      tf.dispose(tf.tidy(() => l.apply(tf.zeros([1, 5, 5, 2])) as tf.Tensor));
      return l;
    };
    const [a, b] = [make(), make()];
    const saved = parseSafetensors(saveTorchStateDict(a)).tensors;
    assert.deepEqual(saved.get('bias')?.shape, [3], `keys: ${[...saved.keys()].join(', ')}`);
    loadTorchStateDict(b, saveTorchStateDict(a));
    a.weights.forEach((w, i) => assert.deepEqual(Array.from(b.weights[i].read().dataSync()), Array.from(w.read().dataSync()), w.name));
    const noBias = new ConvKAN2D({ filters: 3, kernelSize: 3, gridSize: 3 });
    tf.dispose(tf.tidy(() => noBias.apply(tf.zeros([1, 5, 5, 2])) as tf.Tensor));
    assert.throws(() => loadTorchStateDict(a, saveTorchStateDict(noBias)), /"bias"/);
    [a, b, noBias].forEach((l) => l.dispose());
  });

  test('loadTorchParameters on a basis-family layer names the layer instead of a TypeError', () => {
    const layer = new BasisConvKAN2D({ basis: 'rbf', filters: 2, kernelSize: 3, name: 'fam' });
    const p = { grid: { shape: [1, 9, 8], data: [] }, base_weight: { shape: [1], data: [] }, spline_weight: { shape: [1], data: [] } };
    assert.throws(
      () => loadTorchParameters(layer as never, p),
      new RegExp(
        /Error in loadTorchParameters: layer must be a ConvKAN2D or KANLinear \(for other layers use loadTorchStateDict \/ /.source +
          /saveTorchStateDict\), but got BasisConvKAN2D 'fam'/.source,
      ),
    );
  });
});
