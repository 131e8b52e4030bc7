// A stand-in for CIFAR-10 when the real files are absent (nothing can be downloaded here): small
// 32×32 RGB images whose class sets a colour and a stripe orientation, plus noise, written in the
// official binary format so that loading them runs exactly the code the real files go through.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeCifar10Batch, CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILES } from './cifar10';
import { seededRng, randomInt } from './random';
import type { ImageSet } from './imageSet';

/** `count` synthetic images: class k has hue k/10 and stripes at angle k·18°, with per-pixel noise. */
export function syntheticCifar10Set(count: number, seed = 0): Pick<ImageSet, 'images' | 'labels' | 'count'> {
  const rng = seededRng(seed);
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const k = randomInt(rng, 10);
    labels[i] = k;
    const angle = (k * Math.PI) / 10;
    const [ca, sa] = [Math.cos(angle), Math.sin(angle)];
    const phase = rng() * 2 * Math.PI;
    const rgb = [0, 1, 2].map((c) => 0.5 + 0.4 * Math.cos(2 * Math.PI * (k / 10 + c / 3)));
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const stripe = 0.5 + 0.5 * Math.sin((x * ca + y * sa) * 0.8 + phase);
        for (let c = 0; c < 3; c++) {
          const v = 255 * (0.6 * rgb[c] * stripe + 0.2 * rgb[c] + 0.2 * rng());
          images[i * 3072 + (y * 32 + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
  }
  return { images, labels, count };
}

export interface SyntheticCifar10Options {
  /** Folder to write (default <tmpdir>/convkan-cifar10-synthetic). */
  dir?: string;
  /** Training images, split over the five data_batch files (at least one each; default 500). */
  train?: number;
  /** Test images (default 100). */
  test?: number;
  seed?: number;
}

/** Writes data_batch_1..5.bin and test_batch.bin; returns the folder, ready for loadCifar10(split, dir). */
export function writeSyntheticCifar10(opts: SyntheticCifar10Options = {}): string {
  const dir = opts.dir ?? path.join(os.tmpdir(), 'convkan-cifar10-synthetic');
  const [trainCount, testCount, seed] = [opts.train ?? 500, opts.test ?? 100, opts.seed ?? 0];
  fs.mkdirSync(dir, { recursive: true });
  const per = Math.ceil(trainCount / CIFAR10_TRAIN_FILES.length);
  CIFAR10_TRAIN_FILES.forEach((f, i) => {
    const n = Math.max(1, Math.min(per, trainCount - i * per));
    fs.writeFileSync(path.join(dir, f), encodeCifar10Batch(syntheticCifar10Set(n, seed + i)));
  });
  fs.writeFileSync(path.join(dir, CIFAR10_TEST_FILES[0]), encodeCifar10Batch(syntheticCifar10Set(testCount, seed + 100)));
  return dir;
}
