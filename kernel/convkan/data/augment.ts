// The standard image augmentations of CIFAR training recipes, on raw pixel batches (NHWC):
// torchvision's RandomCrop(size, padding, fill=0) and RandomHorizontalFlip(p). They run on a
// batch before normalization, as in torchvision (crop and flip act on the raw image), and draw
// from the dataset's seeded generator, so a seed repeats them exactly.
import * as tf from '@tensorflow/tfjs';
import type { Augmentation } from './imageSet';
import { randomInt, seededRng, type Rng } from './random';
import { defaultSeed } from '../repro/globalSeed';

/**
 * Pads each image by `padding` zeros on every side, then crops an h×w window at a uniformly
 * random offset in [0, 2·padding] along each axis (the same size as the input).
 */
export function randomCrop(padding: number): Augmentation {
  if (!Number.isInteger(padding) || padding < 0)
    throw new Error(`Error in randomCrop: padding must be a non-negative integer, but got ${padding}.`);
  return (pixels, n, h, w, c, rng) => {
    const per = h * w * c;
    const src = new Float32Array(per);
    for (let i = 0; i < n; i++) {
      const dy = randomInt(rng, 2 * padding + 1) - padding; // output (y, x) reads input (y + dy, x + dx)
      const dx = randomInt(rng, 2 * padding + 1) - padding;
      const base = i * per;
      src.set(pixels.subarray(base, base + per));
      for (let y = 0; y < h; y++) {
        const sy = y + dy;
        for (let x = 0; x < w; x++) {
          const sx = x + dx;
          const inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
          for (let k = 0; k < c; k++) pixels[base + (y * w + x) * c + k] = inside ? src[(sy * w + sx) * c + k] : 0;
        }
      }
    }
  };
}

/** Mirrors each image left–right with probability p (default 0.5). */
export function randomHorizontalFlip(p = 0.5): Augmentation {
  if (!(p >= 0 && p <= 1)) throw new Error(`Error in randomHorizontalFlip: p must lie in [0, 1], but got ${p}.`);
  return (pixels, n, h, w, c, rng) => {
    const per = h * w * c;
    for (let i = 0; i < n; i++) {
      if (!(rng() < p)) continue;
      for (let y = 0; y < h; y++) {
        const row = i * per + y * w * c;
        for (let x = 0; x < w >> 1; x++) {
          const a = row + x * c;
          const b = row + (w - 1 - x) * c;
          for (let k = 0; k < c; k++) {
            const t = pixels[a + k];
            pixels[a + k] = pixels[b + k];
            pixels[b + k] = t;
          }
        }
      }
    }
  };
}

/** Applies augmentations to a tensor batch [N, H, W, C] (outside a dataset), seeded (default: convkan.seed's, else 0). */
export function augmentBatch(x: tf.Tensor4D, augmentations: readonly Augmentation[], seed = defaultSeed()): tf.Tensor4D {
  if (x.rank !== 4) throw new Error(`Error in augmentBatch: x must be rank 4 (NHWC), but got rank ${x.rank}.`);
  const [n, h, w, c] = x.shape;
  const pixels = Float32Array.from(x.dataSync());
  const rng: Rng = seededRng(seed);
  for (const a of augmentations) a(pixels, n, h, w, c, rng);
  return tf.tensor4d(pixels, [n, h, w, c]);
}
