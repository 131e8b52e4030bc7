// The kernel (kernel/display) writes the payloads, the renderers read them: this node test checks
// that both sides agree on the schema in kernel/display/mimeTypes.ts. The renderer fixtures pass
// the kernel's validatePayload, payloads made by the kernel's own builders pass the renderers'
// parsers, and both sides reject the same broken payloads.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MIME_PATCHES, MIME_SPLINES, MIME_TIMING, MIME_TRAINING, type PatchesPayload, type SplinesPayload } from '../../kernel/display/mimeTypes';
import { validatePayload } from '../../kernel/display/validatePayload';
import { normalizeTiming } from '../../kernel/display/timing';
import { patchesPayload } from '../../kernel/display/views/patchesView';
import { splinesPayload } from '../../kernel/display/views/splinesView';
import { parsePatches } from '../../renderers/patches/parsePatches';
import { parseSplines } from '../../renderers/splines/parseSplines';
import { parseTiming } from '../../renderers/timing/parseTiming';
import { parseTraining } from '../../renderers/training/parseTraining';
import { patchesFixture, splinesFixture, timingFixture, trainingFixture } from '../fixtures/renderers/makeFixtures';
import { loadReference, referencePatches, referenceSplines } from '../fixtures/renderers/referenceFixtures';

describe('renderer fixtures satisfy the kernel\'s payload validator', () => {
  const cases: Array<[string, string, unknown]> = [
    ['splines', MIME_SPLINES, splinesFixture()],
    ['splines from the PyTorch reference', MIME_SPLINES, referenceSplines(loadReference('reflect'))],
    ['patches', MIME_PATCHES, patchesFixture()],
    ['patches with dilation and zero padding', MIME_PATCHES, patchesFixture({ h: 6, w: 7, c: 1, k: 3, stride: 1, dilation: 2, pad: 2, mode: 'zeros' })],
    ['patches from the PyTorch reference', MIME_PATCHES, referencePatches(loadReference('rect_kernel_stride'))],
    ['timing', MIME_TIMING, timingFixture()],
    ['training', MIME_TRAINING, trainingFixture()],
  ];
  for (const [name, mime, payload] of cases) {
    test(name, () => assert.deepEqual(validatePayload(mime, payload), []));
  }
});

describe('payloads built by the kernel\'s display code parse in the renderers', () => {
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
});

describe('both sides reject the same broken payloads', () => {
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
  const cases: Array<[string, string, unknown, (x: unknown) => unknown]> = [
    ['curve shorter than x', MIME_SPLINES, brokenSplines((p) => p.functions[0].base.pop()), parseSplines],
    ['histogram edges ≠ counts + 1', MIME_SPLINES, brokenSplines((p) => p.inputHistograms![0].edges.pop()), parseSplines],
    ['function outside outChannels', MIME_SPLINES, brokenSplines((p) => (p.outChannels = [0])), parseSplines],
    ['wrong output size', MIME_PATCHES, brokenPatches((p) => (p.output.width = 3)), parsePatches],
    ['wrong patch rows', MIME_PATCHES, brokenPatches((p) => (p.patches.rows = 9)), parsePatches],
    ['unknown padding mode', MIME_PATCHES, brokenPatches((p) => ((p.config as { paddingMode: string }).paddingMode = 'mirror')), parsePatches],
    ['median above max', MIME_TIMING, { ...timingFixture(), entries: [{ ...timingFixture().entries[0], median: 1e9 }] }, parseTiming],
    ['unknown status', MIME_TRAINING, { ...trainingFixture(), status: 'paused' }, parseTraining],
    ['version 2', MIME_TRAINING, { ...trainingFixture(), version: 2 }, parseTraining],
  ];
  for (const [name, mime, payload, parse] of cases) {
    test(name, () => {
      assert.notDeepEqual(validatePayload(mime, payload), [], 'kernel validator accepted it');
      assert.throws(() => parse(payload), { name: 'PayloadError' });
    });
  }
});
