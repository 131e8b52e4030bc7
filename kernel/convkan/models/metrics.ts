// Classification metrics as the papers report them: accuracy and the macro averages (mean over
// classes) of precision, recall and F1, from a confusion matrix; plus a batched evaluation of a
// model on an image set that keeps memory flat.
import * as tf from '@tensorflow/tfjs';
import type { ImageSet, DatasetOptions } from '../data/imageSet';
import { toTensors, subset } from '../data/imageSet';

export interface ClassificationReport {
  accuracy: number;
  /** Macro averages over classes (a class never predicted has precision 0, as sklearn's zero_division=0). */
  precision: number;
  recall: number;
  f1: number;
  perClass: Array<{ precision: number; recall: number; f1: number; support: number }>;
  /** confusion[true][predicted] */
  confusion: number[][];
  count: number;
}

export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): number[][] {
  if (yTrue.length !== yPred.length)
    throw new Error(`Error in confusionMatrix: yPred must have the length of yTrue (${yTrue.length}), but got ${yPred.length}.`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const [t, p] = [yTrue[i], yPred[i]];
    if (!(t >= 0 && t < numClasses && p >= 0 && p < numClasses))
      throw new Error(`Error in confusionMatrix: labels must lie in [0, ${numClasses}), but got true ${t}, predicted ${p} at ${i}.`);
    m[t][p]++;
  }
  return m;
}

export function classificationReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): ClassificationReport {
  const confusion = confusionMatrix(yTrue, yPred, numClasses);
  const perClass = confusion.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + r[c], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
  const mean = (k: 'precision' | 'recall' | 'f1') => perClass.reduce((a, c) => a + c[k], 0) / numClasses;
  const correct = confusion.reduce((a, row, c) => a + row[c], 0);
  return {
    accuracy: correct / yTrue.length,
    precision: mean('precision'),
    recall: mean('recall'),
    f1: mean('f1'),
    perClass,
    confusion,
    count: yTrue.length,
  };
}

/** Predicts `set` in batches (argmax of the model's output) and reports against its labels. */
export function evaluateClassifier(
  model: tf.LayersModel,
  set: ImageSet,
  opts: Pick<DatasetOptions, 'normalize'> & { batchSize?: number } = {},
): ClassificationReport {
  const bs = opts.batchSize ?? 500;
  const pred = new Int32Array(set.count);
  for (let start = 0; start < set.count; start += bs) {
    const part = subset(set, start, Math.min(bs, set.count - start));
    const { xs, ys } = toTensors(part, { normalize: opts.normalize, labels: 'int' });
    const p = tf.tidy(() => tf.argMax(model.predict(xs) as tf.Tensor, -1));
    pred.set(p.dataSync() as Int32Array, start);
    tf.dispose([xs, ys, p]);
  }
  return classificationReport(set.labels, pred, set.numClasses);
}
