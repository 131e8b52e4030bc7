// What a model builder reports: its name and parameter counts (trainable and all, the figures the
// papers' tables give), plus the usual compile settings for classification.
import * as tf from '@tensorflow/tfjs';

export interface ModelReport {
  name: string;
  /** Every weight, trainable or not (e.g. the B-spline grids and BN moving statistics). */
  params: number;
  trainableParams: number;
  layers: number;
}

export function describeModel(model: tf.LayersModel): ModelReport {
  const size = (ws: tf.LayerVariable[]) => ws.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
  return { name: model.name, params: model.countParams(), trainableParams: size(model.trainableWeights), layers: model.layers.length };
}

/** Adam + categorical cross-entropy + accuracy, for one-hot labels (toDataset's default). */
export function compileClassifier(model: tf.LayersModel, learningRate = 1e-3): tf.LayersModel {
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
