// A small training notebook that touches every source of randomness a notebook has: unseeded
// initializers (ConvKAN2D, a basis-family layer, tf.layers.dense), tf random ops, dropout,
// model.fit's shuffle, tf.data's shuffle and the data augmentations.
import { codeCell as code } from '../notebookCells';

export function seededTrainingNotebook() {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: 'markdown', id: 'md', source: '# seeded training', metadata: {} },
      code('const epochs = 2;\nconst basis = "rbf";', ['parameters']),
      code(
        [
          'const xs = tf.randomNormal([24, 6, 6, 1]);',
          'const ys = tf.oneHot(tf.randomUniform([24], 0, 3, "int32") as tf.Tensor1D, 3);',
          'const model = tf.sequential({ layers: [',
          '  tf.layers.inputLayer({ inputShape: [6, 6, 1] }),',
          '  new ConvKAN2D({ filters: 2, kernelSize: 3, gridSize: 3 }),',
          '  new BasisConvKAN2D({ basis, filters: 2, kernelSize: 3 }),',
          '  tf.layers.flatten(),',
          '  tf.layers.dropout({ rate: 0.3 }),',
          '  tf.layers.dense({ units: 3, activation: "softmax" }),',
          '] });',
          'model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });',
          'const h = await model.fit(xs, ys, { epochs, batchSize: 8, shuffle: true });',
          'console.log("basis", basis, "epochs", epochs);',
          'console.log("loss", JSON.stringify(h.history.loss));',
        ].join('\n'),
      ),
      code(
        [
          'const order = await tf.data.array([0, 1, 2, 3, 4, 5, 6, 7]).shuffle(8).toArray();',
          'const aug = convkan.augmentBatch(xs.slice([0], [4]) as tf.Tensor4D, [convkan.randomHorizontalFlip(0.5), ' +
            'convkan.randomCrop(1)]);',
          'console.log("shuffle", JSON.stringify(order), "augmented", aug.sum().dataSync()[0].toFixed(6));',
          'console.log("weights", model.getWeights().map((w) => w.sum().dataSync()[0].toFixed(6)).join(" "));',
        ].join('\n'),
      ),
    ],
  };
}

/** The text a cell printed, joined (stream outputs only: they hold everything the notebook computed). */
export function printed(nb: { cells: Array<{ outputs?: unknown[] }> }): string {
  return nb.cells
    .flatMap((c) => (c.outputs ?? []) as Array<{ output_type: string; text?: string | string[] }>)
    .filter((o) => o.output_type === 'stream')
    .map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text))
    .join('');
}
