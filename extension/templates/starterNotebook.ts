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
      'Cells are TypeScript. `tf` (TensorFlow.js), the layers `ConvKAN2D` and `KANLinear`, the whole library as `convkan`, and `display`',
      'are ready without imports. The status bar shows the TensorFlow.js backend; click it to switch.',
    ].join('\n'),
  },
  {
    kind: 'code',
    source: [
      '// A ConvKAN layer: each input channel at each kernel position learns φ(x) = base + spline.',
      'const layer = new ConvKAN2D({ inChannels: 1, filters: 4, kernelSize: 3, padding: 1, gridSize: 5, splineOrder: 3, seed: 1 });',
      'const image = tf.tidy(() => tf.range(0, 10).div(9).reshape([1, 10]).tile([10, 1]).expandDims(2) as tf.Tensor3D);',
      'tf.dispose(layer.apply(image.expandDims(0)) as tf.Tensor);',
      'layer',
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
      'const kan = new ConvKAN2D({ inChannels: 1, filters: 4, kernelSize: 3, padding: 1, seed: 2, inputShape: [10, 10, 1] });',
      'const model = tf.sequential({ layers: [kan, tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: 1 })] });',
      "model.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });",
      "const xs = tf.randomUniform([64, 10, 10, 1], -1, 1, 'float32', 3);",
      'const ys = xs.square().mean([1, 2, 3]).reshape([64, 1]);',
      "await model.fit(xs, ys, { epochs: 6, batchSize: 16, verbose: 0, callbacks: display.training({ title: 'mean of x²', " +
        'totalSteps: 6 }) });',
    ].join('\n'),
  },
  {
    kind: 'code',
    source: ['// The learned functions, with a histogram of the inputs the layer saw.', 'display.splines(kan, { x: xs });'].join('\n'),
  },
  {
    kind: 'code',
    source: [
      '// Forward time against a plain convolution of the same shape.',
      "const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' });",
      'tf.dispose(conv.apply(xs) as tf.Tensor);',
      "const shape = '1→4 @10×10, batch 64';",
      'display.timing([',
      "  await display.timeIt(() => conv.apply(xs) as tf.Tensor, { label: 'conv2d', shape, reps: 5 }),",
      "  await display.timeIt(() => kan.apply(xs) as tf.Tensor, { label: 'ConvKAN2D', kind: 'bspline', shape, reps: 5 }),",
      "], { baseline: 'conv2d', title: `Forward pass on ${tf.getBackend()}` });",
    ].join('\n'),
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
