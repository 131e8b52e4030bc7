// The variant layers on the wasm backend (the fast one in Node): forward against the float64
// per-patch reference for every basis, and input gradients against central differences.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../kernel/convkan/backend/initBackend';
import { BasisConvKAN2D } from '../../kernel/convkan/variants/basisConvKan2d';
import { basisConv2d } from '../../kernel/convkan/variants/basisConv';
import { BASIS_NAMES } from '../../kernel/convkan/variants/basisOptions';
import { referenceConv2d, numericGrad, randomHost, type HostTensor } from './variantsReference';

const toTf = (h: HostTensor) => tf.tensor(Float32Array.from(h.data), h.shape);
const toHost = (t: tf.Tensor): HostTensor => ({ shape: t.shape, data: Float64Array.from(t.dataSync()) });

before(async () => {
  const info = await initBackend({ env: { CONVKAN_BACKEND: 'wasm', CONVKAN_WASM_THREADS: '1' } });
  assert.equal(info.name, 'wasm');
});

for (const basis of BASIS_NAMES) {
  test(`wasm, ${basis}: forward and input gradient equal the reference`, () => {
    assert.equal(tf.getBackend(), 'wasm');
    const layer = new BasisConvKAN2D({
      basis,
      filters: 4,
      kernelSize: 3,
      padding: 1,
      paddingMode: 'circular',
      strides: [1, 2],
      groups: 2,
      seed: 7,
    });
    const x = randomHost([2, 5, 6, 4], 31, -1.6, 1.6);
    const xt = toTf(x);
    const y = layer.apply(xt) as tf.Tensor;
    const w = (n: string) => toHost(layer.weights.find((v) => v.originalName.endsWith(n))!.read());
    const [bk, bb] = [w('basisKernel'), w('baseKernel')];
    const want = referenceConv2d(x, layer.basis, layer.geometry, 2, bk, bb);
    const got = y.dataSync();
    want.data.forEach((v, i) =>
      assert.ok(Math.abs(got[i] - v) <= 1e-4 + 1e-4 * Math.abs(v), `${basis} y[${i}]: got ${got[i]}, expected ${v}`),
    );
    const up = randomHost(want.shape, 5);
    const [wk, wb, ut] = [toTf(bk), toTf(bb), toTf(up)];
    const gx = tf.grad((a: tf.Tensor) =>
      tf.sum(tf.mul(basisConv2d(a as tf.Tensor4D, layer.basis, layer.geometry, 2, wk as tf.Tensor4D, wb as tf.Tensor4D), ut)),
    )(xt);
    const g = gx.dataSync();
    const loss = () => referenceConv2d(x, layer.basis, layer.geometry, 2, bk, bb).data.reduce((s, v, j) => s + v * up.data[j], 0);
    for (const idx of [3, 50, 117, 200]) {
      const n = numericGrad(loss, x.data, idx);
      assert.ok(Math.abs(g[idx] - n) <= 2e-3 + 2e-3 * Math.abs(n), `${basis} dx[${idx}]: got ${g[idx]}, numeric ${n}`);
    }
    tf.dispose([xt, y, wk, wb, ut, gx]);
  });
}
