// Node-only checks of what the browser tests rely on: the fixture builders reproduce PyTorch's
// padding modes and unfold layout and real B-splines, and the renderer's convolution index
// arithmetic (patchGeometry) and payload checks agree with them for many configurations.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PaddingMode } from '../../kernel/payloads';
import { parsePatches } from '../../kernel/payloads';
import { columnOf, firstInconsistency, positionNearPixel, positionOfColumn, receptiveField } from '../../renderers/patches/patchGeometry';
import { parseSplines } from '../../kernel/payloads';
import { bsplineBases, knotVector, padIndex, patchesFixture, splinesFixture } from '../fixtures/renderers/makeFixtures';
import { loadReference, referencePatches, referencePhi, referenceSplines } from '../fixtures/renderers/referenceFixtures';

// Callbacks passed to page.evaluate run in the browser; these module-local declarations type
// them without adding the DOM library to the node test build (tsconfig.json has no "dom").
declare const document: any;
declare const window: any;
type HTMLElement = any;

describe('fixture builders match PyTorch and B-spline definitions', () => {
  // torch.nn.functional.pad(torch.arange(4.).view(1,1,4), (2, 2), mode=...) — values from the PyTorch docs' semantics.
  const torchPad: Record<PaddingMode, number[]> = {
    zeros: [NaN, NaN, 0, 1, 2, 3, NaN, NaN],
    reflect: [2, 1, 0, 1, 2, 3, 2, 1],
    replicate: [0, 0, 0, 1, 2, 3, 3, 3],
    circular: [2, 3, 0, 1, 2, 3, 0, 1],
  };
  for (const [mode, want] of Object.entries(torchPad) as Array<[PaddingMode, number[]]>) {
    test(`${mode} padding of [0 1 2 3] by 2`, () => {
      const got = want.map((_, p) => padIndex(p, 4, 2, mode) ?? NaN);
      assert.deepEqual(got, want);
    });
  }

  test('cubic B-spline bases on the extended grid sum to 1 inside the grid range and are ≥ 0', () => {
    const knots = knotVector(-1, 1, 5, 3);
    assert.equal(knots.length, 5 + 2 * 3 + 1);
    for (let x = -1; x < 1; x += 0.0371) {
      const b = bsplineBases(x, knots, 3);
      assert.equal(b.length, 5 + 3);
      assert.ok(Math.abs(b.reduce((s, v) => s + v, 0) - 1) < 1e-12, `partition of unity at ${x}`);
      assert.ok(b.every((v) => v >= 0));
    }
  });

  test('the splines fixture is what the renderer accepts', () => {
    const p = parseSplines(splinesFixture());
    assert.equal(p.functions.length, 2 * 3 * 9);
    assert.equal(p.x.length, 64);
  });
});

describe('patch geometry agrees with unfold', () => {
  const configs = [
    { h: 8, w: 8, c: 2, k: 3, stride: 2, dilation: 1, pad: 1, mode: 'reflect' as const },
    { h: 6, w: 7, c: 1, k: 3, stride: 1, dilation: 2, pad: 2, mode: 'zeros' as const },
    { h: 5, w: 9, c: 3, k: 2, stride: 3, dilation: 1, pad: 0, mode: 'replicate' as const },
    { h: 7, w: 5, c: 1, k: 5, stride: 1, dilation: 1, pad: 2, mode: 'circular' as const },
  ];
  for (const cfg of configs) {
    test(`k${cfg.k} s${cfg.stride} d${cfg.dilation} p${cfg.pad} ${cfg.mode}`, () => {
      const p = parsePatches(patchesFixture(cfg));
      assert.equal(firstInconsistency(p), undefined);
      for (let col = 0; col < p.patches.cols; col++) {
        const pos = positionOfColumn(p, col);
        assert.equal(columnOf(p, pos), col);
        // The window centred on a tap's centre pixel maps back to the same output position.
        const taps = receptiveField(p, pos);
        const mid = taps[Math.floor(taps.length / 2)];
        if (cfg.k % 2 === 1) assert.deepEqual(positionNearPixel(p, mid.y, mid.x), pos);
      }
    });
  }

  test('a corrupted entry is reported with its row, column and source pixel', () => {
    const p = patchesFixture();
    p.patches.data[0] += 0.5;
    assert.match(firstInconsistency(p)!, /^patches\[0, 0\] = .* but it unfolds padded\[0, 0, 0\]/);
  });
});

describe('fixtures built from the PyTorch reference layers reproduce its output', () => {
  for (const name of ['reflect', 'circular', 'replicate', 'dilation2', 'rect_kernel_stride']) {
    test(`${name}: Σ φ over each patch column = convkan output`, () => {
      const ref = loadReference(name);
      const patches = parsePatches(referencePatches(ref, 1));
      assert.equal(firstInconsistency(patches), undefined);
      const [, O, Ho, Wo] = ref.tensors.output.shape;
      assert.deepEqual([patches.output.height, patches.output.width], [Ho, Wo]);
      const { rtol, atol } = ref.tolerance;
      for (let col = 0; col < patches.patches.cols; col++) {
        const { oy, ox } = positionOfColumn(patches, col);
        for (let o = 0; o < O; o++) {
          let sum = 0;
          for (let i = 0; i < patches.patches.rows; i++) {
            const phi = referencePhi(ref, o, i, patches.patches.data[i * patches.patches.cols + col]);
            sum += phi.base + phi.spline;
          }
          const want = ref.tensors.output.data[((1 * O + o) * Ho + oy) * Wo + ox];
          assert.ok(Math.abs(sum - want) <= atol + rtol * Math.abs(want), `${name} out[1, ${o}, ${oy}, ${ox}] = ${sum}, PyTorch ${want}`);
        }
      }
      // The trained layer as a splines payload is valid for the renderer.
      const splines = parseSplines(referenceSplines(ref));
      assert.equal(
        splines.functions.length,
        ref.config.out_channels * ref.config.in_channels * ref.config.kernel_size[0] * ref.config.kernel_size[1],
      );
    });
  }
});
