// One seed for a whole notebook. TF.js draws every unseeded random number from Math.random: the
// default initializers of all layers (tf.layers.dense as much as ours), unseeded random ops,
// dropout, and model.fit's per-epoch shuffle (tfjs-layers' util.shuffle). Replacing Math.random
// by a seeded generator therefore governs all of them at once; tf.data's shuffle seeds itself
// from the clock instead, so it gets a seed drawn from the same generator.
import * as tf from '@tensorflow/tfjs';
import { seededRng } from '../data/random';
import { SEED_ENV } from './seedEnv';

export { SEED_ENV };

const nativeRandom = Math.random;
let currentSeedValue: number | null = null;
let datasetShufflePatched = false;

/**
 * Makes every random number that follows repeat from run to run on the same backend:
 * `convkan.seed(42)` at the top of a notebook. Re-seeding restarts the sequence.
 */
export function seed(n: number): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n))
    throw new Error(`Error in convkan.seed: the seed must be an integer, but got ${JSON.stringify(n)}.`);
  Math.random = seededRng(n);
  currentSeedValue = n;
  patchDatasetShuffle();
}

/** Back to the unseeded Math.random the process started with. */
export function unseed(): void {
  Math.random = nativeRandom;
  currentSeedValue = null;
}

/** The seed given to seed(), or null when unseeded. */
export function currentSeed(): number | null {
  return currentSeedValue;
}

/** Seeds from CONVKAN_SEED when it is set, else unseeds: the kernel calls this on every (re)start. */
export function seedFromEnv(env: Record<string, string | undefined> = process.env): number | null {
  const raw = env[SEED_ENV];
  if (raw === undefined || raw.trim() === '') {
    unseed();
    return null;
  }
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`Error in ${SEED_ENV}: the seed must be an integer, but got ${JSON.stringify(raw)}.`);
  seed(n);
  return n;
}

/** A seed for a seeded helper called without one: the global seed when set, else `fallback`. */
export function defaultSeed(fallback = 0): number {
  return currentSeedValue ?? fallback;
}

/** tf.data's shuffle uses the clock when no seed is given; while seeded, draw one from Math.random. */
function patchDatasetShuffle(): void {
  if (datasetShufflePatched) return;
  datasetShufflePatched = true;
  const proto = tf.data.Dataset.prototype as unknown as { shuffle(bufferSize: number, seed?: string, reshuffle?: boolean): unknown };
  const original = proto.shuffle;
  proto.shuffle = function shuffle(this: unknown, bufferSize: number, seedArg?: string, reshuffle?: boolean) {
    const s = seedArg ?? (currentSeedValue === null ? undefined : String(Math.random()));
    return original.call(this, bufferSize, s, reshuffle);
  };
}
