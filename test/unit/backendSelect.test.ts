import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  BACKEND_ENV,
  WASM_THREADS_ENV,
  describeBackend,
  initBackend,
  resolveBackendChoice,
  resolveWasmThreads,
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
    assert.equal(info.reason, 'cpu (from CONVKAN_BACKEND): using the plain JavaScript cpu backend');
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
    // the threaded build really started in Node, with the pool size asked for (see wasmThreads.ts)
    assert.equal(info.threads, 2);
    assert.equal(info.label, 'wasm (SIMD, 2 threads)');
    assert.match(
      info.reason,
      new RegExp(
        /^auto \(default\): @tensorflow\/tfjs-node-gpu not usable .*; @tensorflow\/tfjs-node not usable .*; /.source +
          /wasm started with SIMD and 2 threads$/.source,
      ),
    );
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

describe('multithreaded wasm in a child process', () => {
  test('a program that used 2 wasm threads exits by itself (pool workers do not hold the event loop)', () => {
    const script = [
      "const tf = require('@tensorflow/tfjs');",
      "const { initBackend } = require('./kernel/convkan/backend/initBackend');",
      "initBackend({ env: { CONVKAN_BACKEND: 'wasm', CONVKAN_WASM_THREADS: '2' } }).then((info) => {",
      "  const y = tf.conv2d(tf.ones([2, 16, 16, 8]), tf.ones([3, 3, 8, 8]), 1, 'same');",
      '  console.log(info.label, y.dataSync()[0]);',
      '});',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: path.resolve(__dirname, '..', '..'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.signal, null, `the child did not exit on its own (killed by ${r.signal}); stderr: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^wasm \(SIMD, 2 threads\) 32$/m);
  });
});
