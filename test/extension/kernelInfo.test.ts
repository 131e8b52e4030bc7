import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backendFromKernelInfo } from '../../extension/kernelInfo';

describe('backendFromKernelInfo', () => {
  test('reads the convkan field of kernel_info_reply', () => {
    assert.deepEqual(
      backendFromKernelInfo({
        banner: 'TensorFlow.js 4.22.0, backend: wasm',
        convkan: { backend: 'wasm', label: 'wasm (SIMD, 4 threads)', reason: 'tfjs-node missing' },
      }),
      { name: 'wasm', label: 'wasm (SIMD, 4 threads)', reason: 'tfjs-node missing' },
    );
    assert.deepEqual(backendFromKernelInfo({ convkan: { backend: 'cpu', label: '', reason: '' } }), {
      name: 'cpu',
      label: 'cpu',
      reason: undefined,
    });
  });

  test('never parses the banner: without the field the backend is unknown', () => {
    assert.equal(backendFromKernelInfo({ banner: 'ConvKAN kernel\nTensorFlow.js 4.22.0, backend: wasm (no tfjs-node)' }), undefined);
    assert.equal(backendFromKernelInfo({ banner: 'ConvKAN Notebook kernel: TypeScript cells with TensorFlow.js (loading…)' }), undefined);
    assert.equal(backendFromKernelInfo({}), undefined);
  });

  test('a malformed field is no backend', () => {
    for (const convkan of [null, 'wasm', { label: 'x' }, { backend: '' }, { backend: 3 }]) {
      assert.equal(backendFromKernelInfo({ convkan } as never), undefined, JSON.stringify(convkan));
    }
  });
});
