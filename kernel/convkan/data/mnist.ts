// MNIST-format image sets: MNIST and Fashion-MNIST ship the same four IDX files
// (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte),
// optionally gzip-compressed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readIdxFile } from './idx';
import type { ImageSet } from './imageSet';

/** Where Debian's `dataset-fashion-mnist` package installs the real Fashion-MNIST. */
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_MNIST_DIR_ENV = 'CONVKAN_FASHION_MNIST_DIR';
export const MNIST_DIR_ENV = 'CONVKAN_MNIST_DIR';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;
export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export type Split = 'train' | 'test';

const FILE_STEMS: Record<Split, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/** Path of `stem` or `stem.gz` in dir (the first that exists). */
function findFile(dir: string, stem: string): string {
  for (const name of [stem, `${stem}.gz`]) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`Error in loadMnistFormat: '${dir}' must contain ${stem} or ${stem}.gz, but neither exists.`);
}

/** Loads one split of an MNIST-format directory as 28×28×1 (or whatever the files say) images. */
export function loadMnistFormat(dir: string, split: Split, classNames?: readonly string[]): ImageSet {
  if (split !== 'train' && split !== 'test')
    throw new Error(`Error in loadMnistFormat: split must be 'train' or 'test', but got '${String(split)}'.`);
  const imgPath = findFile(dir, FILE_STEMS[split].images);
  const lblPath = findFile(dir, FILE_STEMS[split].labels);
  const img = readIdxFile(imgPath);
  const lbl = readIdxFile(lblPath);
  if (img.dtype !== 'uint8' || img.shape.length !== 3) {
    throw new Error(`Error in loadMnistFormat: ${imgPath} must hold uint8 images [N, H, W], but got ${img.dtype} [${img.shape}].`);
  }
  if (lbl.dtype !== 'uint8' || lbl.shape.length !== 1) {
    throw new Error(`Error in loadMnistFormat: ${lblPath} must hold uint8 labels [N], but got ${lbl.dtype} [${lbl.shape}].`);
  }
  if (lbl.shape[0] !== img.shape[0]) {
    throw new Error(`Error in loadMnistFormat: label count must equal image count ${img.shape[0]}, but got ${lbl.shape[0]} (${lblPath}).`);
  }
  const labels = lbl.data as Uint8Array;
  const numClasses = classNames?.length ?? 10;
  const bad = labels.findIndex((l) => l >= numClasses);
  if (bad >= 0)
    throw new Error(`Error in loadMnistFormat: labels must be below ${numClasses}, but label ${bad} is ${labels[bad]} (${lblPath}).`);
  const [count, height, width] = img.shape;
  return { images: img.data as Uint8Array, labels, count, height, width, channels: 1, numClasses, classNames };
}

/** Fashion-MNIST from `dir`, else $CONVKAN_FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist. */
export function loadFashionMnist(split: Split, dir?: string): ImageSet {
  return loadMnistFormat(dir ?? process.env[FASHION_MNIST_DIR_ENV] ?? FASHION_MNIST_DEFAULT_DIR, split, FASHION_MNIST_CLASSES);
}

/** MNIST digits from `dir`, else $CONVKAN_MNIST_DIR (no copy is installed by default). */
export function loadMnist(split: Split, dir?: string): ImageSet {
  const d = dir ?? process.env[MNIST_DIR_ENV];
  if (!d) throw new Error(`Error in loadMnist: a directory must be given or set in $${MNIST_DIR_ENV}, but got neither.`);
  return loadMnistFormat(d, split, MNIST_CLASSES);
}
