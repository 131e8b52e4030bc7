import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  BACKEND_ENV, WASM_THREADS_ENV, describeBackend, initBackend, resolveBackendChoice, resolveWasmThreads,
} from '../../kernel/convkan/backend/initBackend';

const missing = (id: string): never => {
  throw new Error(`Cannot find module '${id}'`);
};

describe('resolveBackendChoice', () => {
  test('CONVKAN_BACKEND wins over opts.prefer, prefer over the default', () => {
    assert.deepEqual(resolveBackendChoice({ [BACKEND_ENV]: 'CPU' }, 'wasm'), { choice: 'cpu', source: BACKEND_ENV });
    assert.deepEqual(resolveBackendChoice({}, 'wasm'), { choice: 'wasm', source: 'initBackend({ prefer })' });
    assert.deepEqual(resolveBackendChoice({ [BACKEND_ENV]: '' }), { choice: 'auto', source: 'default' });
  });
  test('an unknown value names CONVKAN_BACKEND, the allowed values and the value', () => {
    assert.throws(() => resolveBackendChoice({ [BACKEND_ENV]: 'gpu' }), {
      message: 'CONVKAN_BACKEND must be one of auto, tensorflow, wasm, cpu, but got "gpu".',
    });
    assert.throws(() => resolveBackendChoice({}, 'webgl'), {
      message: 'initBackend({ prefer }) must be one of auto, tensorflow, wasm, cpu, but got "webgl".',
    });
  });
  test('CONVKAN_WASM_THREADS is validated', () => {
    assert.equal(resolveWasmThreads({ [WASM_THREADS_ENV]: '3' }), 3);
    assert.ok(resolveWasmThreads({}) >= 1);
    assert.throws(() => resolveWasmThreads({ [WASM_THREADS_ENV]: '0' }), {
      message: 'CONVKAN_WASM_THREADS must be an integer from 1 to 8, but got "0".',
    });
  });
});

describe('initBackend', () => {
  after(() => {
    if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
  });

  test('forced cpu', async () => {
    const info = await initBackend({ env: { [BACKEND_ENV]: 'cpu' }, requireModule: missing });
    assert.equal(info.name, 'cpu');
    assert.equal(info.label, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    assert.match(info.reason, /^cpu \(from CONVKAN_BACKEND\): forced/);
    assert.deepEqual(describeBackend(), info);
  });

  test('forced tensorflow without tfjs-node fails and says why for both packages', async () => {
    await assert.rejects(initBackend({ env: {}, prefer: 'tensorflow', requireModule: missing }), (e: Error) => {
      assert.match(e.message, /^Backend 'tensorflow' was requested \(initBackend\(\{ prefer \}\)\) but cannot start: /);
      assert.match(e.message, /@tensorflow\/tfjs-node-gpu not usable \(Cannot find module '@tensorflow\/tfjs-node-gpu'\)/);
      assert.match(e.message, /@tensorflow\/tfjs-node not usable \(Cannot find module '@tensorflow\/tfjs-node'\)/);
      return true;
    });
  });

  test('auto falls through to wasm and reports the failed packages', async () => {
    const info = await initBackend({ env: { [WASM_THREADS_ENV]: '2' }, requireModule: missing });
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(info.simd, true);
    assert.ok(info.threads !== undefined && info.threads >= 1);
    assert.equal(info.label, `wasm (SIMD, ${info.threads} thread${info.threads === 1 ? '' : 's'})`);
    assert.match(info.reason, /^auto \(default\): @tensorflow\/tfjs-node-gpu not usable .*; @tensorflow\/tfjs-node not usable .*; wasm /);
    // the backend computes
    const y = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5, 6]))).arraySync());
    assert.equal(y, 32);
  });

  test('auto picks tfjs-node-gpu first when it loads', async () => {
    const loaded: string[] = [];
    const fakeNode = (id: string) => {
      loaded.push(id);
      // stands in for the native package: it registers a backend named 'tensorflow'
      if (!tf.findBackendFactory('tensorflow')) tf.registerBackend('tensorflow', () => new MathBackendCPU());
      return {};
    };
    const info = await initBackend({ env: {}, requireModule: fakeNode });
    assert.deepEqual(loaded, ['@tensorflow/tfjs-node-gpu']);
    assert.equal(info.name, 'tensorflow');
    assert.equal(info.label, 'GPU (tfjs-node-gpu)');
    assert.equal(info.reason, 'auto (default): @tensorflow/tfjs-node-gpu loaded');
    await tf.setBackend('cpu');
  });

  test('auto takes tfjs-node when only the gpu package is missing', async () => {
    const info = await initBackend({
      env: {},
      requireModule: (id) => (id.endsWith('-gpu') ? missing(id) : {}),
    });
    assert.equal(info.label, 'tensorflow (tfjs-node)');
    assert.match(info.reason, /tfjs-node-gpu not usable .*; @tensorflow\/tfjs-node loaded$/);
    await tf.setBackend('cpu');
  });
});
