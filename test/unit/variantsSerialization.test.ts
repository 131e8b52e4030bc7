// Save → load round trips of every variant layer class through tfjs-layers serialization: the
// loaded model has the same class names, config and weights, and predicts the same outputs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { CONV2D_FAMILIES, CONV1D_FAMILIES, LINEAR_FAMILIES } from '../../kernel/convkan/variants/families';
import { BasisConvKAN2D } from '../../kernel/convkan/variants/basisConvKan2d';
import { BasisConvKAN1D } from '../../kernel/convkan/variants/basisConvKan1d';
import { BasisKANLinear } from '../../kernel/convkan/variants/basisKanLinear';
import { BottleneckConvKAN2D } from '../../kernel/convkan/variants/bottleneckConvKan2d';
import {
  BASIS_CONV_KAN_2D,
  BASIS_CONV_KAN_1D,
  BASIS_KAN_LINEAR,
  BOTTLENECK_CONV_KAN_2D,
  FAMILY_PREFIX,
} from '../../kernel/convkan/variants/classNames';

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  assert.ok(saved, 'nothing was saved');
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

async function checkRoundTrip(layer: tf.layers.Layer, inputShape: number[], className: string): Promise<void> {
  const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape }), layer] });
  const x = tf.randomUniform([2, ...inputShape], -1.5, 1.5, 'float32', 5);
  const loaded = await roundTrip(model);
  const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
  const back = loaded.layers[loaded.layers.length - 1];
  assert.equal(back.getClassName(), className);
  assert.deepEqual(back.getConfig(), { ...layer.getConfig(), name: back.name });
  assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()), `${className}: predictions differ after loading`);
  tf.dispose([x, a, b]);
  model.dispose();
  loaded.dispose();
}

describe('variant layer serialization', () => {
  test('every named Conv2D family keeps its class, basis settings, geometry and weights', async () => {
    for (const [basis, Family] of Object.entries(CONV2D_FAMILIES)) {
      const layer = new Family({
        filters: 4,
        kernelSize: [3, 2],
        strides: [1, 2],
        padding: [
          [1, 1],
          [0, 1],
        ],
        paddingMode: 'replicate',
        groups: 2,
        degree: 2,
        gridSize: 4,
      });
      assert.equal(layer.getConfig().basis, basis);
      await checkRoundTrip(layer, [6, 6, 2], `${FAMILY_PREFIX[basis as keyof typeof FAMILY_PREFIX]}Conv2D`);
    }
  });

  test('every named Conv1D and Linear family', async () => {
    for (const Family of Object.values(CONV1D_FAMILIES)) {
      await checkRoundTrip(new Family({ filters: 3, kernelSize: 3, padding: 'same', paddingMode: 'circular' }), [7, 2], Family.className);
    }
    for (const Family of Object.values(LINEAR_FAMILIES)) {
      await checkRoundTrip(new Family({ units: 3 }), [5], Family.className);
    }
  });

  test('the generic layers keep basis-specific settings (Jacobi α, β; Gram points; B-spline grid)', async () => {
    await checkRoundTrip(
      new BasisConvKAN2D({ basis: 'jacobi', alpha: 0.5, beta: 2, degree: 4, filters: 2, kernelSize: 3, padding: 'same' }),
      [5, 5, 1],
      BASIS_CONV_KAN_2D,
    );
    await checkRoundTrip(
      new BasisConvKAN1D({ basis: 'gram', degree: 2, gramPoints: 9, filters: 2, kernelSize: 2, dilation: 2 }),
      [6, 3],
      BASIS_CONV_KAN_1D,
    );
    await checkRoundTrip(
      new BasisKANLinear({ basis: 'bspline', gridSize: 7, splineOrder: 2, gridRange: [-2, 3], units: 2, useBase: false }),
      [4],
      BASIS_KAN_LINEAR,
    );
    await checkRoundTrip(
      new BottleneckConvKAN2D({ basis: 'rbf', filters: 8, kernelSize: 3, padding: 'same', paddingMode: 'reflect' }),
      [5, 5, 12],
      BOTTLENECK_CONV_KAN_2D,
    );
  });

  test('a family loaded from a config whose basis was edited keeps its own basis', () => {
    const Family = CONV2D_FAMILIES.chebyshev;
    const layer = new Family({ filters: 2, kernelSize: 1, basis: 'rbf' });
    assert.equal(layer.getConfig().basis, 'chebyshev');
  });
});

describe('default layer names', () => {
  test('are readable and numbered per class', () => {
    const a = new CONV2D_FAMILIES.chebyshev({ filters: 1, kernelSize: 1 });
    const b = new CONV2D_FAMILIES.chebyshev({ filters: 1, kernelSize: 1 });
    assert.match(a.name, /^kacn_conv2d_\d+$/);
    assert.notEqual(a.name, b.name);
    assert.match(new LINEAR_FAMILIES.reluKan({ units: 1 }).name, /^relu_kan_linear_\d+$/);
    assert.match(new BasisConvKAN1D({ basis: 'rbf', filters: 1, kernelSize: 1 }).name, /^basis_conv_kan1d_\d+$/);
    assert.equal(new BasisConvKAN2D({ basis: 'rbf', filters: 1, kernelSize: 1, name: 'mine' }).name, 'mine');
  });
});
