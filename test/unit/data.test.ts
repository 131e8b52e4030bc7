import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import {
  encodeIdx,
  parseIdx,
  readIdxFile,
  loadMnistFormat,
  loadFashionMnist,
  toDataset,
  toTensors,
  subset,
  concatSets,
  parseCifar10Batch,
  encodeCifar10Batch,
  loadCifar10,
  hasCifar10,
  CIFAR10_DIR_ENV,
  CIFAR10_TRAIN_FILES,
  randomCrop,
  randomHorizontalFlip,
  augmentBatch,
  FASHION_MNIST_DEFAULT_DIR,
  writeSyntheticCifar10,
  type ImageSet,
  type IdxArray,
} from '../../kernel/convkan/data';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-data-'));
}

/** A set whose pixel p of image i is (i·7 + p) mod 256, label i mod numClasses. */
function syntheticSet(count: number, h: number, w: number, c: number, numClasses = 10): ImageSet {
  const per = h * w * c;
  const images = Uint8Array.from({ length: count * per }, (_, k) => (Math.floor(k / per) * 7 + (k % per)) % 256);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % numClasses);
  return { images, labels, count, height: h, width: w, channels: c, numClasses };
}

async function collect(
  ds: tf.data.Dataset<{ xs: tf.Tensor4D; ys: tf.Tensor }>,
): Promise<Array<{ xs: number[]; ys: number[]; xShape: number[]; yShape: number[]; yDtype: string }>> {
  const out: Array<{ xs: number[]; ys: number[]; xShape: number[]; yShape: number[]; yDtype: string }> = [];
  await ds.forEachAsync((b) => {
    out.push({
      xs: Array.from(b.xs.dataSync()),
      ys: Array.from(b.ys.dataSync()),
      xShape: b.xs.shape,
      yShape: b.ys.shape,
      yDtype: b.ys.dtype,
    });
    tf.dispose([b.xs, b.ys]);
  });
  return out;
}

describe('IDX reader', () => {
  test('round-trips every IDX type and keeps shape and values', () => {
    const cases: IdxArray[] = [
      { dtype: 'uint8', shape: [2, 3], data: Uint8Array.from([0, 1, 2, 253, 254, 255]) },
      { dtype: 'int8', shape: [3], data: Int8Array.from([-128, 0, 127]) },
      { dtype: 'int16', shape: [2], data: Int16Array.from([-30000, 513]) },
      { dtype: 'int32', shape: [1, 2], data: Int32Array.from([-2e9, 65536 + 3]) },
      { dtype: 'float32', shape: [2], data: Float32Array.from([1.5, -0.25]) },
      { dtype: 'float64', shape: [2], data: Float64Array.from([Math.PI, -1e-300]) },
    ];
    for (const c of cases) {
      const back = parseIdx(encodeIdx(c));
      assert.equal(back.dtype, c.dtype);
      assert.deepEqual(back.shape, c.shape);
      assert.deepEqual(Array.from(back.data), Array.from(c.data));
    }
  });

  test('reads big-endian header bytes written by hand', () => {
    // magic 0x00000801 (uint8, 1 dim), 3 items
    const buf = Uint8Array.from([0, 0, 0x08, 1, 0, 0, 0, 3, 10, 20, 30]);
    const a = parseIdx(buf);
    assert.deepEqual(a.shape, [3]);
    assert.deepEqual(Array.from(a.data), [10, 20, 30]);
    // int32 big-endian 0x01020304
    const b = parseIdx(Uint8Array.from([0, 0, 0x0c, 1, 0, 0, 0, 1, 1, 2, 3, 4]));
    assert.equal(b.data[0], 0x01020304);
  });

  test('rejects a bad magic, type code and size with the file name and values', () => {
    assert.throws(
      () => parseIdx(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 0]), 'x.idx'),
      /x\.idx.*must start with bytes 0x00 0x00, but got 0x01 0x00/,
    );
    assert.throws(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 1])), /gzip-compressed/);
    assert.throws(() => parseIdx(Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 0])), /type code must be one of .* but got 0x07/);
    assert.throws(
      () => parseIdx(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 4, 1, 2])),
      /shape \[4\] of uint8 needs 12 bytes, but the file has 10/,
    );
    assert.throws(() => parseIdx(Uint8Array.from([0, 0])), /at least the 4-byte magic/);
  });

  test('readIdxFile reads gzip and plain files alike', () => {
    const dir = tmpDir();
    const arr: IdxArray = { dtype: 'uint8', shape: [2, 2], data: Uint8Array.from([1, 2, 3, 4]) };
    fs.writeFileSync(path.join(dir, 'a'), encodeIdx(arr));
    fs.writeFileSync(path.join(dir, 'a.gz'), zlib.gzipSync(encodeIdx(arr)));
    assert.deepEqual(Array.from(readIdxFile(path.join(dir, 'a')).data), [1, 2, 3, 4]);
    assert.deepEqual(Array.from(readIdxFile(path.join(dir, 'a.gz')).data), [1, 2, 3, 4]);
    assert.throws(() => readIdxFile(path.join(dir, 'missing')), /cannot read '.*missing'/);
  });
});

describe('MNIST-format loader', () => {
  function writeMnistDir(dir: string, n: number, labels: number[], gz: boolean): void {
    const img: IdxArray = { dtype: 'uint8', shape: [n, 4, 3], data: Uint8Array.from({ length: n * 12 }, (_, k) => k % 256) };
    const lbl: IdxArray = { dtype: 'uint8', shape: [labels.length], data: Uint8Array.from(labels) };
    const write = (name: string, bytes: Uint8Array) =>
      fs.writeFileSync(path.join(dir, gz ? `${name}.gz` : name), gz ? zlib.gzipSync(bytes) : bytes);
    write('t10k-images-idx3-ubyte', encodeIdx(img));
    write('t10k-labels-idx1-ubyte', encodeIdx(lbl));
  }

  test('loads images and labels from gzip files and from plain files', () => {
    for (const gz of [true, false]) {
      const dir = tmpDir();
      writeMnistDir(dir, 3, [7, 0, 9], gz);
      const set = loadMnistFormat(dir, 'test');
      assert.deepEqual([set.count, set.height, set.width, set.channels, set.numClasses], [3, 4, 3, 1, 10]);
      assert.deepEqual(Array.from(set.labels), [7, 0, 9]);
      assert.equal(set.images[12], 12);
    }
  });

  test('names the missing file, the count mismatch and the out-of-range label', () => {
    const dir = tmpDir();
    assert.throws(() => loadMnistFormat(dir, 'train'), /must contain train-images-idx3-ubyte or train-images-idx3-ubyte\.gz/);
    writeMnistDir(dir, 3, [1, 2], false);
    assert.throws(() => loadMnistFormat(dir, 'test'), /label count must equal image count 3, but got 2/);
    const dir2 = tmpDir();
    writeMnistDir(dir2, 2, [1, 12], false);
    assert.throws(() => loadMnistFormat(dir2, 'test'), /labels must be below 10, but label 1 is 12/);
  });

  test('reads the real Fashion-MNIST installed by dataset-fashion-mnist', () => {
    assert.ok(
      fs.existsSync(FASHION_MNIST_DEFAULT_DIR),
      `${FASHION_MNIST_DEFAULT_DIR} must exist (test/setup/system.sh installs dataset-fashion-mnist)`,
    );
    const set = loadFashionMnist('test');
    assert.deepEqual([set.count, set.height, set.width, set.channels], [10000, 28, 28, 1]);
    // The test split is balanced: 1000 images of each class; its first image is an ankle boot (9).
    const counts = new Array<number>(10).fill(0);
    set.labels.forEach((l) => counts[l]++);
    assert.deepEqual(counts, new Array<number>(10).fill(1000));
    assert.equal(set.labels[0], 9);
    assert.equal(set.classNames?.[9], 'Ankle boot');
  });
});

describe('toDataset', () => {
  test('batches NHWC float32 images scaled to [0, 1] with one-hot labels, the last batch smaller', async () => {
    const set = syntheticSet(5, 2, 2, 1, 3);
    const before = tf.memory().numTensors;
    const batches = await collect(toDataset(set, { batchSize: 2 }));
    assert.deepEqual(
      batches.map((b) => b.xShape),
      [
        [2, 2, 2, 1],
        [2, 2, 2, 1],
        [1, 2, 2, 1],
      ],
    );
    batches[0].xs.slice(0, 4).forEach((v, k) => assert.ok(Math.abs(v - k / 255) < 1e-7, `pixel ${k}: ${v}`));
    assert.deepEqual(batches[2].ys, [0, 1, 0]); // image 4 → label 1
    assert.deepEqual(batches[0].yShape, [2, 3]);
    assert.equal(tf.memory().numTensors, before);
  });

  test('int labels, dropRemainder and per-channel normalization', async () => {
    const set = syntheticSet(5, 1, 1, 2, 4);
    const batches = await collect(
      toDataset(set, { batchSize: 2, labels: 'int', dropRemainder: true, normalize: { mean: [0.5, 0.25], std: [0.5, 2] } }),
    );
    assert.equal(batches.length, 2);
    assert.equal(batches[0].yDtype, 'int32');
    assert.deepEqual(batches[1].ys, [2, 3]);
    // image 1 pixels: 7, 8 → ((7/255) - 0.5)/0.5, ((8/255) - 0.25)/2
    const [a, b] = batches[0].xs.slice(2, 4);
    assert.ok(Math.abs(a - (7 / 255 - 0.5) / 0.5) < 1e-6);
    assert.ok(Math.abs(b - (8 / 255 - 0.25) / 2) < 1e-6);
  });

  test('a seeded shuffle visits every image once per epoch, repeats from the seed and changes between epochs', async () => {
    const set = syntheticSet(20, 1, 1, 1, 20); // label = index
    const order = (bs: Array<{ ys: number[] }>) => bs.flatMap((b) => b.ys);
    const ds = toDataset(set, { batchSize: 6, shuffle: true, seed: 3, labels: 'int' });
    const e1 = order(await collect(ds));
    const e2 = order(await collect(ds));
    assert.deepEqual(
      [...e1].sort((x, y) => x - y),
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.notDeepEqual(e1, e2);
    assert.deepEqual(order(await collect(toDataset(set, { batchSize: 6, shuffle: true, seed: 3, labels: 'int' }))), e1);
    assert.notDeepEqual(order(await collect(toDataset(set, { batchSize: 6, shuffle: true, seed: 4, labels: 'int' }))), e1);
  });

  test('rejects bad options with the value', () => {
    const set = syntheticSet(2, 1, 1, 3);
    assert.throws(() => toDataset(set, { batchSize: 0 }), /batchSize must be a positive integer, but got 0/);
    assert.throws(() => toDataset(set, { normalize: { mean: [0], std: [1] } }), /one value per channel \(3\), but got 1 and 1/);
  });

  test('toTensors, subset and concatSets', () => {
    const set = syntheticSet(6, 2, 1, 1);
    const part = subset(set, 2, 3);
    assert.deepEqual(Array.from(part.labels), [2, 3, 4]);
    assert.equal(part.images[0], set.images[4]);
    const joined = concatSets([subset(set, 0, 2), subset(set, 2, 4)]);
    assert.deepEqual(Array.from(joined.images), Array.from(set.images));
    assert.throws(() => subset(set, 5, 2), /range \[5, 7\) must lie inside \[0, 6\)/);
    const { xs, ys } = toTensors(set, { limit: 4, labels: 'int' });
    assert.deepEqual(xs.shape, [4, 2, 1, 1]);
    assert.deepEqual(Array.from(ys.dataSync()), [0, 1, 2, 3]);
    tf.dispose([xs, ys]);
  });

  test('model.fitDataset trains on it without leaking tensors', async () => {
    const set = syntheticSet(8, 2, 2, 1, 2);
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 2, activation: 'softmax' })],
    });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const ds = toDataset(set, { batchSize: 4, shuffle: true });
    await model.fitDataset(ds, { epochs: 1, verbose: 0 });
    const before = tf.memory().numTensors;
    const h = await model.fitDataset(ds, { epochs: 1, verbose: 0 });
    assert.ok(Number.isFinite(h.history.loss[0] as number));
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  });
});

describe('CIFAR-10 binary loader', () => {
  test('reads records as 1 label byte + 3072 CHW bytes and lays them out HWC', () => {
    const rec = new Uint8Array(3073);
    rec[0] = 6; // frog
    rec[1 + 0 * 1024 + 33] = 11; // red plane, row 1 col 1
    rec[1 + 1 * 1024 + 33] = 22; // green
    rec[1 + 2 * 1024 + 33] = 33; // blue
    rec[1 + 2 * 1024 + 1023] = 44; // blue, last pixel
    const set = parseCifar10Batch(rec);
    assert.deepEqual([set.count, set.height, set.width, set.channels], [1, 32, 32, 3]);
    assert.equal(set.labels[0], 6);
    assert.deepEqual(Array.from(set.images.slice(33 * 3, 33 * 3 + 3)), [11, 22, 33]);
    assert.equal(set.images[1023 * 3 + 2], 44);
    assert.equal(set.classNames?.[6], 'frog');
  });

  test('encode → files in the official layout → loadCifar10 via $CONVKAN_CIFAR10_DIR', () => {
    const dir = tmpDir();
    const files = [...CIFAR10_TRAIN_FILES, 'test_batch.bin'];
    const sets = files.map((_, f) => {
      const s = syntheticSet(2, 32, 32, 3);
      s.labels[0] = f; // file f's first label is f
      return s;
    });
    files.forEach((f, i) => fs.writeFileSync(path.join(dir, f), encodeCifar10Batch(sets[i])));
    assert.equal(fs.statSync(path.join(dir, 'test_batch.bin')).size, 2 * 3073);
    const old = process.env[CIFAR10_DIR_ENV];
    process.env[CIFAR10_DIR_ENV] = dir;
    try {
      assert.ok(hasCifar10());
      const train = loadCifar10('train');
      assert.equal(train.count, 10);
      assert.deepEqual(
        Array.from(train.labels).filter((_, i) => i % 2 === 0),
        [0, 1, 2, 3, 4],
      );
      assert.deepEqual(Array.from(train.images.slice(0, 3072)), Array.from(sets[0].images.slice(0, 3072)));
      const testSet = loadCifar10('test');
      assert.equal(testSet.labels[0], 5);
    } finally {
      if (old === undefined) delete process.env[CIFAR10_DIR_ENV];
      else process.env[CIFAR10_DIR_ENV] = old;
    }
    fs.rmSync(path.join(dir, 'data_batch_3.bin'));
    assert.equal(hasCifar10(dir), false);
    assert.throws(() => loadCifar10('train', dir), /must contain data_batch_3\.bin/);
  });

  test('the synthetic stand-in is written in the official layout and loads like the real files', () => {
    const dir = writeSyntheticCifar10({ dir: path.join(tmpDir(), 'cifar'), train: 23, test: 7, seed: 1 });
    assert.equal(fs.statSync(path.join(dir, 'data_batch_1.bin')).size, 5 * 3073);
    const train = loadCifar10('train', dir);
    const testSet = loadCifar10('test', dir);
    assert.deepEqual([train.count, testSet.count], [23, 7]);
    assert.ok(new Set(train.labels).size > 3, 'several classes');
    // same seed, same images
    assert.deepEqual(
      loadCifar10('test', writeSyntheticCifar10({ dir: path.join(tmpDir(), 'c2'), train: 23, test: 7, seed: 1 })).images,
      testSet.images,
    );
  });

  test('rejects a truncated file and a bad label', () => {
    assert.throws(() => parseCifar10Batch(new Uint8Array(3000), 'b.bin'), /b\.bin.*positive multiple of 3073 bytes .* but got 3000/);
    const rec = new Uint8Array(3073);
    rec[0] = 10;
    assert.throws(() => parseCifar10Batch(rec), /label of record 0 must be below 10, but got 10/);
  });
});

describe('augmentations', () => {
  const H = 5;
  const W = 4;
  const C = 2;
  const img = (i: number, y: number, x: number, c: number) => 1 + i * 100 + y * 10 + x + c * 0.5;
  function batch(n: number): Float32Array {
    const a = new Float32Array(n * H * W * C);
    for (let i = 0; i < n; i++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) a[((i * H + y) * W + x) * C + c] = img(i, y, x, c);
    return a;
  }

  test('randomCrop output is the zero-padded image shifted by some (dy, dx) in [-p, p], and varies', () => {
    const n = 30;
    const p = 2;
    const px = batch(n);
    let rngState = 0;
    randomCrop(p)(px, n, H, W, C, () => (rngState = (rngState * 9301 + 49297) % 233280) / 233280);
    const shifts = new Set<string>();
    for (let i = 0; i < n; i++) {
      let found: string | null = null;
      for (let dy = -p; dy <= p && !found; dy++) {
        for (let dx = -p; dx <= p && !found; dx++) {
          let ok = true;
          for (let y = 0; y < H && ok; y++)
            for (let x = 0; x < W && ok; x++)
              for (let c = 0; c < C; c++) {
                const sy = y + dy;
                const sx = x + dx;
                const want = sy >= 0 && sy < H && sx >= 0 && sx < W ? img(i, sy, sx, c) : 0;
                if (px[((i * H + y) * W + x) * C + c] !== want) ok = false;
              }
          if (ok) found = `${dy},${dx}`;
        }
      }
      assert.ok(found, `image ${i} is not a shifted crop`);
      shifts.add(found);
    }
    assert.ok(shifts.size > 5, `only ${shifts.size} distinct shifts in ${n} crops`);
  });

  test('randomHorizontalFlip mirrors columns with p = 1 and keeps images with p = 0', () => {
    const px = batch(2);
    randomHorizontalFlip(1)(px, 2, H, W, C, Math.random);
    assert.equal(px[((1 * H + 3) * W + 0) * C + 1], img(1, 3, W - 1, 1));
    assert.equal(px[((0 * H + 0) * W + 1) * C + 0], img(0, 0, W - 2, 0));
    const same = batch(2);
    randomHorizontalFlip(0)(same, 2, H, W, C, Math.random);
    assert.deepEqual(same, batch(2));
  });

  test('augmentBatch is repeatable from its seed and does not leak', () => {
    const x = tf.tensor4d(batch(4), [4, H, W, C]);
    const before = tf.memory().numTensors;
    const a = augmentBatch(x, [randomCrop(1), randomHorizontalFlip()], 7);
    const b = augmentBatch(x, [randomCrop(1), randomHorizontalFlip()], 7);
    assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
    tf.dispose([a, b]);
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
    assert.throws(() => randomCrop(-1), /padding must be a non-negative integer, but got -1/);
  });

  test('a dataset with augmentations is repeatable from its seed', async () => {
    const set = syntheticSet(4, 4, 4, 3);
    const opts = { batchSize: 4, seed: 11, augment: [randomCrop(2), randomHorizontalFlip()] };
    const a = await collect(toDataset(set, opts));
    const b = await collect(toDataset(set, opts));
    assert.deepEqual(a[0].xs, b[0].xs);
    const plain = await collect(toDataset(set, { batchSize: 4 }));
    assert.notDeepEqual(a[0].xs, plain[0].xs);
  });
});
