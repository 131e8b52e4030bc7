// The notebook "ConvKAN: New ConvKAN Notebook" opens: a few cells that build a ConvKAN layer
// and show each inline view. Kept as data (not an .ipynb file) so it is bundled with the
// extension; the metadata is what VS Code's ipynb serializer writes as the notebook's header.

import { KERNELSPEC_NAME } from '../ids';

export interface StarterCell {
  kind: 'markdown' | 'code';
  source: string;
}

export const STARTER_CELLS: readonly StarterCell[] = [
  {
    kind: 'markdown',
    source: [
      '# ConvKAN notebook',
      '',
      'Cells are TypeScript. `tf` (TensorFlow.js), the ConvKAN layers (`ConvKAN2D`, `KANLinear`, `convkan.*`) and',
      '`display` are ready without imports. The status bar shows the TensorFlow.js backend; click it to switch.',
    ].join('\n'),
  },
  {
    kind: 'code',
    source: [
      '// A ConvKAN layer: every kernel position learns its own function φ(x) = base + spline.',
      "const layer = new ConvKAN2D({ filters: 4, kernelSize: 3, padding: 'same', gridSize: 5, splineOrder: 3, seed: 1 });",
      'const image = tf.randomUniform([1, 12, 12, 2], -1, 1, "float32", 7);',
      'const out = layer.apply(image) as tf.Tensor;',
      'out.shape',
    ].join('\n'),
  },
  {
    kind: 'code',
    source: ['// How the layer cuts the image into patches: hover an output position.', 'display.patches(layer, image);'].join('\n'),
  },
  {
    kind: 'code',
    source: [
      '// Train a tiny model; the curves update in place while it trains.',
      'const model = tf.sequential({ layers: [',
      "  new ConvKAN2D({ inputShape: [12, 12, 2], filters: 4, kernelSize: 3, padding: 'same', seed: 2 }),",
      '  tf.layers.globalAveragePooling2d({}),',
      '  tf.layers.dense({ units: 1 }),',
      '] });',
      "model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });",
      'const xs = tf.randomUniform([64, 12, 12, 2], -1, 1, "float32", 3);',
      'const ys = xs.mean([1, 2, 3]).reshape([64, 1]);',
      'await model.fit(xs, ys, { epochs: 5, batchSize: 16, callbacks: display.training() });',
    ].join('\n'),
  },
  {
    kind: 'code',
    source: ['// The learned functions of the first layer, with the inputs it saw.', 'display.splines(model.layers[0], { x: xs });'].join('\n'),
  },
];

/** Notebook-level metadata in the shape VS Code's ipynb serializer reads and writes. */
export const STARTER_METADATA = {
  cells: [],
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: KERNELSPEC_NAME, display_name: 'ConvKAN (TypeScript)', language: 'typescript' },
    language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
  },
};
