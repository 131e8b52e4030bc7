// Grid updates: the knots follow the data as efficient-kan places them, ConvKAN2D's update is
// KANLinear's on the unfolded patches (what `convkan` does), and the 'preserve' refit keeps the
// layer's function on the data it was fitted to.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ConvKAN2D } from '../../kernel/convkan/layers/convKan2d';
import { KANLinear } from '../../kernel/convkan/layers/kanLinear';
import { adaptiveKnots, integerLinspace, uniformKnots } from '../../kernel/convkan/bases/knots';
import { bsplineMatrix } from '../../kernel/convkan/bases/bsplineValues';
import { extractPatches } from '../../kernel/convkan/conv/extractPatches';
import { padInput } from '../../kernel/convkan/conv/padInput';

tf.setBackend('cpu');
const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

/**
 * Spline coefficients at the Greville abscissae of the default knots: Σ c_j·B_j(x) = x on [−1, 1].
 * Cubic B-splines reproduce any cubic exactly on any knots, so a refit on new knots can keep it exactly.
 */
function setIdentitySplines(weight: tf.LayerVariable): void {
  const t = uniformKnots(5, 3, [-1, 1]);
  const greville = Array.from({ length: 8 }, (_, j) => (t[j + 1] + t[j + 2] + t[j + 3]) / 3);
  tf.tidy(() => {
    weight.write(tf.mul(tf.ones(weight.shape as number[]), tf.tensor2d(greville, [8, 1]))); // basis axis is second to last
  });
}

describe('knot placement', () => {
  test('integer linspace truncates like torch.linspace(..., dtype=int64)', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((i) => integerLinspace(0, 63, 6, i)),
      [0, 12, 25, 37, 50, 63],
    );
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => integerLinspace(0, 9, 4, i)),
      [0, 3, 6, 9],
    );
  });

  test('uniform knots extend the range by order steps; B-splines sum to one inside it', () => {
    const k = uniformKnots(5, 3, [-1, 1]);
    assert.equal(k.length, 12);
    assert.ok(Math.abs(k[0] + 2.2) < 1e-12 && Math.abs(k[11] - 2.2) < 1e-12);
    const xs = Array.from({ length: 41 }, (_, i) => -1 + i * 0.0499);
    const B = bsplineMatrix(xs, k, 0, 12, 3);
    for (let i = 0; i < xs.length; i++) {
      const sum = B.slice(i * 8, i * 8 + 8).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-12, `partition of unity at ${xs[i]}: ${sum}`);
    }
  });

  test('adaptive knots: sample quantiles blended with a uniform grid over [min − margin, max + margin]', () => {
    const sorted = Float64Array.from({ length: 11 }, (_, i) => (i / 10) ** 2); // 0 … 1, dense near 0
    const k = adaptiveKnots(sorted, 2, 1, 0.1, 0.5);
    // ranks 0, 5, 10 → 0, 0.25, 1; uniform step (1 + 0.2) / 2 = 0.6 from −0.1: −0.1, 0.5, 1.1
    const inner = [0.5 * -0.1 + 0.5 * 0, 0.5 * 0.5 + 0.5 * 0.25, 0.5 * 1.1 + 0.5 * 1];
    const want = [inner[0] - 0.6, ...inner, inner[2] + 0.6];
    want.forEach((v, i) => assert.ok(Math.abs(k[i] - v) < 1e-12, `knot ${i}: ${k[i]} vs ${v}`));
  });
});

describe('updateGrid', () => {
  test("KANLinear: 'preserve' keeps a cubic-representable function exactly; 'efficient-kan' rescales it by the scaler", () => {
    const x = tf.randomUniform([256, 3], -0.95, 0.95, 'float32', 4);
    const drift = (refit: 'preserve' | 'efficient-kan') => {
      const a = new KANLinear({ units: 2, seed: 1 });
      a.build([null, 3]);
      setIdentitySplines(a.splineWeight!);
      const y0 = a.apply(x) as tf.Tensor;
      a.updateGrid(x, { refit });
      return maxAbs(a.apply(x) as tf.Tensor, y0);
    };
    const kept = drift('preserve');
    assert.ok(kept < 1e-4, `'preserve' drift ${kept}`);
    assert.ok(drift('efficient-kan') > 100 * kept, "efficient-kan's update folds the scaler into spline_weight and keeps the scaler");
    const b = new KANLinear({ units: 2, seed: 1, enableStandaloneScaleSpline: false });
    const c = new KANLinear({ units: 2, seed: 1, enableStandaloneScaleSpline: false });
    b.apply(x);
    c.apply(x);
    b.updateGrid(x, { refit: 'preserve' });
    c.updateGrid(x, { refit: 'efficient-kan' });
    assert.deepEqual(
      Array.from(b.splineWeight!.read().dataSync()),
      Array.from(c.splineWeight!.read().dataSync()),
      'without a scaler the modes are one',
    );
  });

  test('ConvKAN2D.updateGrid = KANLinear.updateGrid on the unfolded patches (knots and refit weights)', () => {
    const conv = new ConvKAN2D({ filters: 3, kernelSize: [2, 3], strides: [1, 2], padding: 1, paddingMode: 'replicate', seed: 2 });
    const x = tf.randomNormal([2, 6, 7, 2], 0, 0.8, 'float32', 5);
    conv.apply(x);
    const patches = tf.tidy(() => {
      const p = extractPatches(
        padInput(x as tf.Tensor4D, conv.geometry.padding, conv.geometry.paddingMode),
        conv.geometry.kernelSize,
        conv.geometry.strides,
        conv.geometry.dilation,
        'tapMajor',
      );
      return tf.reshape(p, [-1, p.shape[3]]);
    });
    const lin = new KANLinear({ units: 3, seed: 9 });
    lin.apply(patches);
    lin.setWeights(conv.getWeights().map((w) => tf.reshape(w, [-1, ...w.shape.slice(3)]))); // [kH, kW, C, …] → [kH·kW·C, …]
    conv.updateGrid(x);
    lin.updateGrid(patches);
    const [cw, lw] = [conv.getWeights(), lin.getWeights()];
    // same data, tap-major rows
    cw.forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(lw[i].dataSync()), conv.weights[i].originalName));
    // Each feature's knots come from its own column of patches.
    const col = Float64Array.from(tf.tidy(() => tf.slice(patches, [0, 4], [-1, 1]).dataSync())).sort();
    const want = Float32Array.from(adaptiveKnots(col, 5, 3, 0.01, 0.02));
    assert.deepEqual(
      Array.from(
        conv
          .grid!.read()
          .dataSync()
          .slice(4 * 12, 5 * 12),
      ),
      Array.from(want),
    );
    assert.equal(conv.resolvedPath(), 'unfold');
  });

  test("ConvKAN2D 'preserve' keeps the function; 'expanded' is refused once taps differ", () => {
    const conv = new ConvKAN2D({ filters: 2, kernelSize: 3, padding: 1, seed: 3, name: 'gx' });
    const x = tf.randomUniform([4, 6, 6, 2], -0.95, 0.95, 'float32', 6);
    conv.build([null, 6, 6, 2]);
    setIdentitySplines(conv.splineWeight!);
    const before = conv.apply(x) as tf.Tensor;
    conv.updateGrid(x, { refit: 'preserve' });
    const drift = maxAbs(conv.apply(x) as tf.Tensor, before);
    assert.ok(drift < 1e-4, `drift ${drift}`);
    const forced = new ConvKAN2D({ filters: 2, kernelSize: 3, padding: 1, forwardPath: 'expanded', name: 'fx' });
    forced.apply(x);
    forced.updateGrid(x);
    assert.throws(
      () => forced.apply(x),
      new RegExp(
        /ConvKAN2D 'fx': forwardPath must be 'auto' or 'unfold' once the kernel taps of a channel have different knots \(after /.source +
          /updateGrid\), but got 'expanded'\./.source,
      ),
    );
  });

  test('regularizationLoss follows efficient-kan: Σ mean|w| + entropy of their shares', () => {
    const conv = new ConvKAN2D({ filters: 2, kernelSize: 1, groups: 2, seed: 4 });
    conv.build([null, 3, 3, 2]);
    const w = conv.splineWeight!.read().dataSync(); // [1, 1, Cg = 1, K = 8, Cout = 2]
    const l1 = [0, 1].map((o) => Array.from({ length: 8 }, (_, j) => Math.abs(w[j * 2 + o])).reduce((a, b) => a + b, 0) / 8);
    const total = l1.reduce((a, b) => a + b, 0);
    const entropy = -l1.reduce((s, v) => s + (v / total) * Math.log(v / total), 0);
    const got = tf.tidy(() => conv.regularizationLoss(0.5, 2).dataSync()[0]);
    assert.ok(Math.abs(got - (0.5 * total + 2 * entropy)) < 1e-5, `${got} vs ${0.5 * total + 2 * entropy}`);
  });

  test('regularization option: model.fit adds regularizationLoss(activation, entropy) to the loss', async () => {
    const make = (regularization: { activation: number; entropy: number } | null) => {
      const model = tf.sequential({
        layers: [new ConvKAN2D({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, seed: 7, regularization }), tf.layers.flatten()],
      });
      model.compile({ optimizer: tf.train.sgd(0), loss: 'meanSquaredError' }); // learning rate 0: the loss is evaluated, nothing moves
      return model;
    };
    const x = tf.randomNormal([4, 4, 4, 1], 0, 1, 'float32', 8);
    const y = tf.zeros([4, 8]);
    const plain = make(null);
    const regular = make({ activation: 0.5, entropy: 2 });
    const layer = regular.layers[0] as ConvKAN2D;
    const reg = tf.tidy(() => layer.regularizationLoss(0.5, 2).dataSync()[0]);
    const lossPlain = ((await plain.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 })).history.loss as number[])[0];
    const lossReg = ((await regular.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 })).history.loss as number[])[0];
    assert.ok(Math.abs(lossReg - lossPlain - reg) < 1e-4, `${lossReg} − ${lossPlain} vs ${reg}`);
    assert.deepEqual(layer.getConfig().regularization, { activation: 0.5, entropy: 2 });
    assert.throws(
      () => new ConvKAN2D({ filters: 1, kernelSize: 1, regularization: { activation: -1, entropy: 0 }, name: 'rg' }),
      new RegExp(
        /ConvKAN2D 'rg': regularization must be \{ activation, entropy \} of finite numbers ≥ 0, or null, /.source +
          /but got \{"activation":-1,"entropy":0\}\./.source,
      ),
    );
    tf.dispose([x, y]);
    plain.dispose();
    regular.dispose();
  });
});
