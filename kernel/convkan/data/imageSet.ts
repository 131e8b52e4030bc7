// An in-memory labelled image set (raw bytes, HWC) and its conversion to a batched tf.data
// dataset. Batches are built straight from the bytes, so an epoch of 60 000 images makes one
// pair of tensors per batch, not one per image.
import * as tf from '@tensorflow/tfjs';
import { permutation, seededRng, type Rng } from './random';
import { defaultSeed } from '../repro/globalSeed';

export interface ImageSet {
  /** Pixel bytes, N·H·W·C, each image height-major then width then channel (NHWC). */
  images: Uint8Array;
  /** Class index of each image. */
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  classNames?: readonly string[];
}

/** Changes a batch in place: `pixels` holds `n` images of h×w×c raw values (0..255), NHWC. */
export type Augmentation = (pixels: Float32Array, n: number, h: number, w: number, c: number, rng: Rng) => void;

export interface DatasetOptions {
  /** Images per batch (default 32). */
  batchSize?: number;
  /** Reshuffle the whole set at every epoch (default false). */
  shuffle?: boolean;
  /** Seed of the shuffle and of the augmentations; epoch e uses seed + e (default: convkan.seed's, else 0). */
  seed?: number;
  /** 'onehot' → ys [B, numClasses] float32 (for categoricalCrossentropy); 'int' → ys [B] int32. */
  labels?: 'onehot' | 'int';
  /** Per-channel mean and std applied after scaling to [0, 1]; default: only the scaling. */
  normalize?: { mean: readonly number[]; std: readonly number[] };
  /** Applied in order to each batch's raw pixels before normalization (see augment.ts). */
  augment?: readonly Augmentation[];
  /** Leave out the last, smaller batch (default false). */
  dropRemainder?: boolean;
}

// A type alias (not an interface) so that it satisfies tf.TensorContainer's index signature.
export type Batch = {
  xs: tf.Tensor4D;
  ys: tf.Tensor;
};

/** A batched tf.data dataset of {xs: [B, H, W, C] float32, ys} ready for model.fitDataset. */
export function toDataset(set: ImageSet, opts: DatasetOptions = {}): tf.data.Dataset<Batch> {
  const o = resolveOptions(set, opts);
  let epoch = 0;
  // The generator is called again at each iteration of the dataset, i.e. once per epoch.
  return tf.data.generator<Batch>(function* () {
    const rng = seededRng(o.seed + epoch++);
    const order = o.shuffle ? permutation(set.count, rng) : null;
    const nBatches = o.dropRemainder ? Math.floor(set.count / o.batchSize) : Math.ceil(set.count / o.batchSize);
    for (let b = 0; b < nBatches; b++) {
      const start = b * o.batchSize;
      const idx = Array.from({ length: Math.min(o.batchSize, set.count - start) }, (_, i) => (order ? order[start + i] : start + i));
      yield makeBatch(set, idx, o, rng);
    }
  });
}

/** All of a set (or its first `limit` images) as one batch, e.g. for model.evaluate or a confusion matrix. */
export function toTensors(set: ImageSet, opts: Pick<DatasetOptions, 'labels' | 'normalize'> & { limit?: number } = {}): Batch {
  const o = resolveOptions(set, opts);
  const n = Math.min(set.count, opts.limit ?? set.count);
  return makeBatch(
    set,
    Array.from({ length: n }, (_, i) => i),
    { ...o, augment: [] },
    seededRng(0),
  );
}

/** Images [start, start + count) of a set, sharing no memory with it. */
export function subset(set: ImageSet, start: number, count: number): ImageSet {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > set.count) {
    throw new Error(`Error in subset: range [${start}, ${start + count}) must lie inside [0, ${set.count}), but it does not.`);
  }
  const per = set.height * set.width * set.channels;
  return {
    ...set,
    images: set.images.slice(start * per, (start + count) * per),
    labels: set.labels.slice(start, start + count),
    count,
  };
}

/** Joins sets of the same image shape (e.g. CIFAR-10's five training files). */
export function concatSets(sets: readonly ImageSet[]): ImageSet {
  if (sets.length === 0) throw new Error('Error in concatSets: sets must hold at least one set, but got 0.');
  const [first] = sets;
  for (const s of sets) {
    if (s.height !== first.height || s.width !== first.width || s.channels !== first.channels) {
      throw new Error(
        `Error in concatSets: every set must have shape ${first.height}×${first.width}×${first.channels}, ` +
          `but got ${s.height}×${s.width}×${s.channels}.`,
      );
    }
  }
  const count = sets.reduce((a, s) => a + s.count, 0);
  const images = new Uint8Array(sets.reduce((a, s) => a + s.images.length, 0));
  const labels = new Uint8Array(count);
  let io = 0;
  let lo = 0;
  for (const s of sets) {
    images.set(s.images, io);
    labels.set(s.labels, lo);
    io += s.images.length;
    lo += s.count;
  }
  return { ...first, images, labels, count };
}

interface Resolved {
  batchSize: number;
  shuffle: boolean;
  seed: number;
  labels: 'onehot' | 'int';
  scale: Float32Array;
  shift: Float32Array;
  augment: readonly Augmentation[];
  dropRemainder: boolean;
}

function resolveOptions(set: ImageSet, opts: DatasetOptions): Resolved {
  const batchSize = opts.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`Error in toDataset: batchSize must be a positive integer, but got ${batchSize}.`);
  const labels = opts.labels ?? 'onehot';
  if (labels !== 'onehot' && labels !== 'int')
    throw new Error(`Error in toDataset: labels must be 'onehot' or 'int', but got '${String(labels)}'.`);
  const C = set.channels;
  const mean = opts.normalize?.mean ?? new Array<number>(C).fill(0);
  const std = opts.normalize?.std ?? new Array<number>(C).fill(1);
  if (mean.length !== C || std.length !== C) {
    throw new Error(
      `Error in toDataset: normalize.mean and normalize.std must have one value per channel (${C}), ` +
        `but got ${mean.length} and ${std.length}.`,
    );
  }
  if (std.some((s) => !(s > 0))) throw new Error(`Error in toDataset: normalize.std must be positive, but got [${std}].`);
  // x_norm = (raw/255 - mean)/std = raw·scale + shift
  const scale = Float32Array.from(std, (s) => 1 / (255 * s));
  const shift = Float32Array.from(mean, (m, c) => -m / std[c]);
  return {
    batchSize,
    shuffle: opts.shuffle ?? false,
    seed: opts.seed ?? defaultSeed(),
    labels,
    scale,
    shift,
    augment: opts.augment ?? [],
    dropRemainder: opts.dropRemainder ?? false,
  };
}

function makeBatch(set: ImageSet, idx: readonly number[], o: Resolved, rng: Rng): Batch {
  const { height: H, width: W, channels: C, numClasses } = set;
  const per = H * W * C;
  const n = idx.length;
  const pixels = new Float32Array(n * per);
  idx.forEach((src, i) => {
    for (let p = 0; p < per; p++) pixels[i * per + p] = set.images[src * per + p];
  });
  for (const aug of o.augment) aug(pixels, n, H, W, C, rng);
  for (let p = 0; p < pixels.length; p++) {
    const c = p % C;
    pixels[p] = pixels[p] * o.scale[c] + o.shift[c];
  }
  const xs = tf.tensor4d(pixels, [n, H, W, C], 'float32');
  const labels = Int32Array.from(idx, (src) => set.labels[src]);
  let ys: tf.Tensor;
  if (o.labels === 'int') {
    ys = tf.tensor1d(labels, 'int32');
  } else {
    const oh = new Float32Array(n * numClasses);
    labels.forEach((l, i) => (oh[i * numClasses + l] = 1));
    ys = tf.tensor2d(oh, [n, numClasses], 'float32');
  }
  return { xs, ys };
}
