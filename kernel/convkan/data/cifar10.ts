// CIFAR-10 in its official binary format ("CIFAR-10 binary version", cifar-10-binary.tar.gz):
// data_batch_1.bin … data_batch_5.bin and test_batch.bin, each 10 000 records of
// 1 label byte + 3072 pixel bytes (1024 red, 1024 green, 1024 blue; each 32×32 row-major).
// Nothing is downloaded: users unpack the archive and point $CONVKAN_CIFAR10_DIR at
// the folder that holds the .bin files (cifar-10-batches-bin/).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { concatSets, type ImageSet } from './imageSet';
import type { Split } from './mnist';

export const CIFAR10_DIR_ENV = 'CONVKAN_CIFAR10_DIR';
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;
export const CIFAR10_TRAIN_FILES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
] as const;
export const CIFAR10_TEST_FILES = ['test_batch.bin'] as const;
/** Per-channel mean and std of the training set, as commonly used with torchvision's Normalize. */
export const CIFAR10_MEAN = [0.4914, 0.4822, 0.4465] as const;
export const CIFAR10_STD = [0.247, 0.2435, 0.2616] as const;

const SIDE = 32;
const PIXELS = SIDE * SIDE * 3;
const RECORD = 1 + PIXELS;

/** Parses one CIFAR-10 binary file's bytes into HWC images. */
export function parseCifar10Batch(buf: Uint8Array, source = 'CIFAR-10 buffer'): ImageSet {
  if (buf.length === 0 || buf.length % RECORD !== 0) {
    throw new Error(
      `Error in parseCifar10Batch (${source}): file size must be a positive multiple of ${RECORD} bytes (1 label + 3072 pixels), ` +
        `but got ${buf.length}.`,
    );
  }
  const count = buf.length / RECORD;
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  const plane = SIDE * SIDE;
  for (let r = 0; r < count; r++) {
    const o = r * RECORD;
    const label = buf[o];
    if (label >= CIFAR10_CLASSES.length) {
      throw new Error(`Error in parseCifar10Batch (${source}): label of record ${r} must be below 10, but got ${label}.`);
    }
    labels[r] = label;
    // CHW on disk → HWC in memory
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) images[r * PIXELS + p * 3 + c] = buf[o + 1 + c * plane + p];
    }
  }
  return { images, labels, count, height: SIDE, width: SIDE, channels: 3, numClasses: 10, classNames: CIFAR10_CLASSES };
}

/** Directory given, else $CONVKAN_CIFAR10_DIR; null when neither is set. */
export function cifar10Dir(dir?: string): string | null {
  return dir ?? process.env[CIFAR10_DIR_ENV] ?? null;
}

/** True when every CIFAR-10 binary file is present in the directory. */
export function hasCifar10(dir?: string): boolean {
  const d = cifar10Dir(dir);
  return d !== null && [...CIFAR10_TRAIN_FILES, ...CIFAR10_TEST_FILES].every((f) => fs.existsSync(path.join(d, f)));
}

/** Loads the train (50 000) or test (10 000) split from the binary files. */
export function loadCifar10(split: Split, dir?: string): ImageSet {
  const d = cifar10Dir(dir);
  if (d === null) {
    throw new Error(
      `Error in loadCifar10: a directory must be given or set in $${CIFAR10_DIR_ENV} (the unpacked cifar-10-batches-bin/), ` +
        `but got neither.`,
    );
  }
  const files = split === 'train' ? CIFAR10_TRAIN_FILES : CIFAR10_TEST_FILES;
  return concatSets(
    files.map((f) => {
      const p = path.join(d, f);
      if (!fs.existsSync(p)) throw new Error(`Error in loadCifar10: '${d}' must contain ${f}, but it does not.`);
      const b = fs.readFileSync(p);
      return parseCifar10Batch(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), p);
    }),
  );
}

/** Encodes images (HWC) and labels as one CIFAR-10 binary file (for tests and small custom sets). */
export function encodeCifar10Batch(set: Pick<ImageSet, 'images' | 'labels' | 'count'>): Uint8Array {
  const out = new Uint8Array(set.count * RECORD);
  const plane = SIDE * SIDE;
  for (let r = 0; r < set.count; r++) {
    out[r * RECORD] = set.labels[r];
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) out[r * RECORD + 1 + c * plane + p] = set.images[r * PIXELS + p * 3 + c];
    }
  }
  return out;
}
