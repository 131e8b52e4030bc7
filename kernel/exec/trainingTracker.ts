// Stops model.fit / model.fitDataset on interrupt. tf.LayersModel checks `stopTraining` after every
// batch, so wrapping fit once to remember the models being trained is enough.

const PATCHED = Symbol.for('convkan.exec.fitTracked');

interface Trainable {
  stopTraining: boolean;
}

const training = new Set<Trainable>();

type FitFn = (this: Trainable, ...args: unknown[]) => Promise<unknown>;

/** Wraps fit and fitDataset of the given model classes (tf.LayersModel and subclasses share its prototype). */
export function trackTraining(modelClass: { prototype: object } | undefined): void {
  const proto = modelClass?.prototype as Record<string | symbol, unknown> | undefined;
  if (!proto || proto[PATCHED]) return;
  for (const method of ['fit', 'fitDataset']) {
    const original = proto[method] as FitFn | undefined;
    if (typeof original !== 'function') continue;
    proto[method] = async function (this: Trainable, ...args: unknown[]) {
      training.add(this);
      try {
        return await original.apply(this, args);
      } finally {
        training.delete(this);
      }
    };
  }
  proto[PATCHED] = true;
}

/** Asks every model being trained to stop after its current batch. */
export function stopAllTraining(): number {
  for (const model of training) model.stopTraining = true;
  return training.size;
}
