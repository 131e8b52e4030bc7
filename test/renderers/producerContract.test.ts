// The kernel (kernel/display) writes the payloads, the renderers read them, both through the one
// parser per MIME type in kernel/payloads: the renderer fixtures parse, payloads made by the
// kernel's own builders parse, and broken payloads are refused by the renderer and by the kernel
// before sending, with an error naming the MIME type and the field.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MIME_ACTIVATIONS,
  MIME_PATCHES,
  MIME_SPLINES,
  MIME_TIMING,
  MIME_TRAINING,
  parseActivations,
  parsePatches,
  parsePayload,
  parseSplines,
  parseTiming,
  parseTraining,
  PayloadError,
  type ActivationsPayload,
  type ConvkanMimeType,
  type PatchesPayload,
  type SplinesPayload,
} from '../../kernel/payloads';
import { checkBeforeSending } from '../../kernel/display/bundles/checkBeforeSending';
import { normalizeTiming } from '../../kernel/display/timing';
import { patchesPayload } from '../../kernel/display/bundles/patchesBundle';
import { splinesPayload } from '../../kernel/display/bundles/splinesBundle';
import { patchesFixture, splinesFixture, timingFixture, trainingFixture } from '../fixtures/renderers/makeFixtures';
import { loadReference, referencePatches, referenceSplines } from '../fixtures/renderers/referenceFixtures';

/**
 * A 3×3 one-channel image, kernel 2×2, stride 1, padding 1 (zeros) → output 4×4; filter 0's two
 * best positions; the patches are the 2×2 padded windows. Small enough to check by hand.
 */
function activationsFixture(): ActivationsPayload {
  const img = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  const padded = (y: number, x: number) => (y < 1 || y > 3 || x < 1 || x > 3 ? 0 : img[(y - 1) * 3 + (x - 1)]);
  const window = (oy: number, ox: number) => [padded(oy, ox), padded(oy, ox + 1), padded(oy + 1, ox), padded(oy + 1, ox + 1)];
  const map = Array.from({ length: 16 }, (_, i) => window(Math.floor(i / 4), i % 4).reduce((a, b) => a + b, 0)); // a sum filter
  return {
    version: 1,
    layer: {
      name: 'sum',
      className: 'Conv2D',
      filters: 1,
      inChannels: 1,
      kernelSize: [2, 2],
      stride: [1, 1],
      dilation: [1, 1],
      padding: [
        [1, 1],
        [1, 1],
      ],
      paddingMode: 'zeros',
      groups: 1,
    },
    images: { count: 1, height: 3, width: 3, channels: 1 },
    output: { height: 4, width: 4 },
    field: { height: 2, width: 2 },
    patchChannels: [0],
    k: 2,
    mapImages: [0],
    filters: [
      {
        filter: 0,
        max: 28,
        mean: map.reduce((a, b) => a + b, 0) / 16,
        top: [
          { image: 0, oy: 2, ox: 2, value: 28, y: 1, x: 1, data: window(2, 2) },
          { image: 0, oy: 2, ox: 1, value: 24, y: 1, x: 0, data: window(2, 1) },
        ],
        maps: [map],
      },
    ],
  };
}

describe('renderer fixtures parse', () => {
  const cases: Array<[string, string, unknown]> = [
    ['splines', MIME_SPLINES, splinesFixture()],
    ['splines from the PyTorch reference', MIME_SPLINES, referenceSplines(loadReference('reflect'))],
    ['patches', MIME_PATCHES, patchesFixture()],
    [
      'patches with dilation and zero padding',
      MIME_PATCHES,
      patchesFixture({ h: 6, w: 7, c: 1, k: 3, stride: 1, dilation: 2, pad: 2, mode: 'zeros' }),
    ],
    ['patches from the PyTorch reference', MIME_PATCHES, referencePatches(loadReference('rect_kernel_stride'))],
    ['timing', MIME_TIMING, timingFixture()],
    ['training', MIME_TRAINING, trainingFixture()],
    ['activations', MIME_ACTIVATIONS, activationsFixture()],
  ];
  for (const [name, mime, payload] of cases) {
    test(name, () => assert.doesNotThrow(() => parsePayload(mime, payload), `${mime} refused`));
  }
});

describe("payloads built by the kernel's display code parse in the renderers", () => {
  test('splinesPayload (float32-compacted numbers)', () => {
    const { version: _v, ...samples } = splinesFixture();
    const { payload } = splinesPayload(samples);
    const parsed = parseSplines(payload);
    assert.equal(parsed.functions.length, samples.functions.length);
  });

  test('patchesPayload', () => {
    const { version: _v, layerName: _n, ...unfolded } = patchesFixture({ mode: 'circular' });
    const parsed = parsePatches(patchesPayload(unfolded, 'conv'));
    assert.equal(parsed.layerName, 'conv');
  });

  test('normalizeTiming from { label: samples }, baseline ratios filled in', () => {
    const parsed = parseTiming(normalizeTiming({ conv2d: [1, 1.2, 0.9], ConvKAN2D: [5, 5.5, 4.8] }));
    const kan = parsed.entries.find((e) => e.label === 'ConvKAN2D')!;
    assert.ok(kan.ratio !== undefined && Math.abs(kan.ratio - 5 / 1) < 1e-9, `ratio ${kan.ratio}`);
  });

  test('training fixture parses unchanged', () => {
    assert.deepEqual(parseTraining(trainingFixture()), trainingFixture());
  });

  test('activations fixture parses unchanged, and its numbers are a sum filter’s', () => {
    const p = activationsFixture();
    assert.deepEqual(parseActivations(p), p);
    assert.equal(p.filters[0].maps[0][2 * 4 + 2], 5 + 6 + 8 + 9);
  });
});

describe('broken payloads are refused by the renderer and by the kernel before sending', () => {
  const brokenSplines = (f: (p: SplinesPayload) => void) => {
    const p = splinesFixture();
    f(p);
    return p;
  };
  const brokenPatches = (f: (p: PatchesPayload) => void) => {
    const p = patchesFixture();
    f(p);
    return p;
  };
  const brokenActivations = (f: (p: ActivationsPayload) => void) => {
    const p = activationsFixture();
    f(p);
    return p;
  };
  const cases: Array<[string, ConvkanMimeType, unknown, (x: unknown) => unknown]> = [
    ['curve shorter than x', MIME_SPLINES, brokenSplines((p) => p.functions[0].base.pop()), parseSplines],
    ['histogram edges ≠ counts + 1', MIME_SPLINES, brokenSplines((p) => p.inputHistograms![0].edges.pop()), parseSplines],
    ['function outside outChannels', MIME_SPLINES, brokenSplines((p) => (p.outChannels = [0])), parseSplines],
    ['wrong output size', MIME_PATCHES, brokenPatches((p) => (p.output.width = 3)), parsePatches],
    ['wrong patch rows', MIME_PATCHES, brokenPatches((p) => (p.patches.rows = 9)), parsePatches],
    [
      'unknown padding mode',
      MIME_PATCHES,
      brokenPatches((p) => ((p.config as { paddingMode: string }).paddingMode = 'mirror')),
      parsePatches,
    ],
    ['median above max', MIME_TIMING, { ...timingFixture(), entries: [{ ...timingFixture().entries[0], median: 1e9 }] }, parseTiming],
    ['unknown status', MIME_TRAINING, { ...trainingFixture(), status: 'paused' }, parseTraining],
    ['version 2', MIME_TRAINING, { ...trainingFixture(), version: 2 }, parseTraining],
    [
      'activations: field not the dilated kernel',
      MIME_ACTIVATIONS,
      { ...activationsFixture(), field: { height: 3, width: 2 } },
      parseActivations,
    ],
    [
      'activations: patch corner not oy·stride − padding',
      MIME_ACTIVATIONS,
      brokenActivations((p) => (p.filters[0].top[0].y = 0)),
      parseActivations,
    ],
    ['activations: smaller value first', MIME_ACTIVATIONS, brokenActivations((p) => p.filters[0].top.reverse()), parseActivations],
    ['activations: one map too few', MIME_ACTIVATIONS, brokenActivations((p) => p.filters[0].maps.pop()), parseActivations],
    ['activations: patch data too short', MIME_ACTIVATIONS, brokenActivations((p) => p.filters[0].top[1].data.pop()), parseActivations],
  ];
  for (const [name, mime, payload, parse] of cases) {
    test(name, () => {
      assert.throws(
        () => parse(payload),
        (err: unknown) =>
          err instanceof PayloadError && err.kind === 'malformed' && err.mime === mime && err.message.startsWith(`${mime}: `),
      );
      assert.throws(() => checkBeforeSending(mime, payload), { name: 'PayloadError' }, 'the kernel would have sent it');
    });
  }
});
