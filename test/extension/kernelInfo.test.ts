import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backendFromBanner, backendFromKernelInfo } from '../../extension/kernelInfo';

describe('backendFromKernelInfo', () => {
  test('prefers the dedicated convkan field', () => {
    assert.deepEqual(
      backendFromKernelInfo({ banner: 'backend: cpu', convkan: { backend: 'wasm', label: 'wasm (4 threads)', reason: 'tfjs-node missing' } }),
      { name: 'wasm', label: 'wasm (4 threads)', reason: 'tfjs-node missing' },
    );
  });

  test('falls back to the banner', () => {
    assert.equal(backendFromKernelInfo({ banner: 'ConvKAN kernel\nTensorFlow.js 4.22.0 · backend: wasm (no tfjs-node)' })?.name, 'wasm');
  });

  test('unknown while TensorFlow.js is still loading', () => {
    assert.equal(backendFromKernelInfo({ banner: 'ConvKAN (TypeScript) kernel 0.1.0 — TensorFlow.js loading…' }), undefined);
    assert.equal(backendFromKernelInfo({}), undefined);
  });
});

describe('backendFromBanner', () => {
  test('reads several spellings and keeps the reason', () => {
    assert.deepEqual(backendFromBanner('Backend: tensorflow (tfjs-node-gpu, CUDA GPU)'), {
      name: 'tensorflow',
      label: 'tensorflow (GPU)',
      reason: 'tfjs-node-gpu, CUDA GPU',
    });
    assert.equal(backendFromBanner('TensorFlow.js backend "cpu"')?.name, 'cpu');
    assert.equal(backendFromBanner('backend=WASM')?.name, 'wasm');
    assert.equal(backendFromBanner('tensorflow backend (CPU)'), undefined);
  });
});
