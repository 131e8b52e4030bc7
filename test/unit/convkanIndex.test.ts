// The library's public entry point: everything other parts of the project use is exported from
// kernel/convkan/index.ts, and the layer classes are registered for tf.loadLayersModel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as convkan from '../../kernel/convkan';

test('public API: layers, factories, inspect, io, lstsq, padding, backend', () => {
  const functions = [
    'convKan2d',
    'kanLinear',
    'sampleEdgeFunctions',
    'unfoldPatches',
    'layerGeometry',
    'filterActivations',
    'sampleVariantEdgeFunctions',
    'loadTorchParameters',
    'toTorchLayout',
    'fileSystemHandler',
    'lstsq',
    'lstsqBatched',
    'padInput',
    'extractPatches',
    'resolvePadding',
    'bsplineValues',
    'uniformKnots',
    'groupedConv2d',
    'bsplineBasis',
    'initBackend',
    'describeBackend',
  ] as const;
  for (const name of functions) assert.equal(typeof convkan[name], 'function', name);
  assert.equal(convkan.CONV_KAN_2D_CLASS_NAME, 'ConvKAN2D');
  assert.equal(convkan.KAN_LINEAR_CLASS_NAME, 'KANLinear');
  assert.ok(convkan.convKan2d({ filters: 1, kernelSize: 1 }) instanceof convkan.ConvKAN2D);
  assert.ok(convkan.kanLinear({ units: 1 }) instanceof convkan.KANLinear);
  const registered = tf.serialization.SerializationMap.getMap().classNameMap;
  assert.ok(registered[convkan.CONV_KAN_2D_CLASS_NAME] && registered[convkan.KAN_LINEAR_CLASS_NAME]);
  assert.deepEqual([...convkan.PADDING_MODES], ['zeros', 'reflect', 'replicate', 'circular']);
});

test('the other basis families, model builders and data loaders are re-exported', () => {
  for (const name of ['BasisConvKAN2D', 'BasisKANLinear', 'makeBasis', 'kancMlp', 'simpleConvKan4', 'parseIdx', 'toDataset'] as const) {
    assert.equal(typeof (convkan as Record<string, unknown>)[name], 'function', name);
  }
});
