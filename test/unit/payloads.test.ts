// kernel/payloads: one parser per ConvKAN MIME type, run by the renderers on what they receive
// and by the kernel on what it sends. These check what the parsers keep, what they refuse and how
// they say it; the per-view checks are in test/renderers (producerContract, geometry).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PADDING_MODES as LIBRARY_PADDING_MODES, type RunEnvironment as LibraryRunEnvironment } from '../../kernel/convkan';
import {
  CONVKAN_MIME_TYPES,
  PADDING_MODES,
  MIME_PATCHES,
  MIME_SPLINES,
  MIME_TIMING,
  MIME_TRAINING,
  PAYLOAD_PARSERS,
  PAYLOAD_VERSIONS,
  parsePatches,
  parsePayload,
  parseTiming,
  parseTraining,
  PayloadError,
  SPLINES_LIMITS,
  TIMING_LIMITS,
  type RunEnvironment,
} from '../../kernel/payloads';
import { patchesFixture, splinesFixture, timingFixture, trainingFixture } from '../fixtures/renderers/makeFixtures';

// The library builds the record a timing payload carries, but may not import the kernel: the two
// declarations must stay assignable both ways (this fails the type check otherwise).
const toPayload = (e: LibraryRunEnvironment): RunEnvironment => e;
const toLibrary = (e: RunEnvironment): LibraryRunEnvironment => e;

const refusal = (parse: () => unknown): PayloadError => {
  try {
    parse();
  } catch (err) {
    assert.ok(err instanceof PayloadError, `a PayloadError, got ${String(err)}`);
    return err;
  }
  assert.fail('the payload was accepted');
};

describe('payload modules', () => {
  test("the payloads' padding modes are the library's, which they cannot import", () => {
    assert.deepEqual([...PADDING_MODES], [...LIBRARY_PADDING_MODES]);
  });

  test('one parser and one version per ConvKAN MIME type, as package.json registers them', () => {
    assert.deepEqual(Object.keys(PAYLOAD_PARSERS).sort(), [...CONVKAN_MIME_TYPES].sort());
    assert.deepEqual(Object.keys(PAYLOAD_VERSIONS).sort(), [...CONVKAN_MIME_TYPES].sort());
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const manifest = require('../../package.json') as { contributes: { notebookRenderer: Array<{ mimeTypes: string[] }> } };
    assert.deepEqual(manifest.contributes.notebookRenderer.flatMap((r) => r.mimeTypes).sort(), [...CONVKAN_MIME_TYPES].sort());
  });

  test('every renderers/<name>/index.ts is a package.json entrypoint, ./dist/renderers/<name>.js (esbuild.mjs builds those)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const manifest = require('../../package.json') as { contributes: { notebookRenderer: Array<{ entrypoint: string }> } };
    const dir = path.resolve(__dirname, '..', '..', 'renderers');
    const sources = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'index.ts')));
    assert.deepEqual(
      manifest.contributes.notebookRenderer.map((r) => r.entrypoint).sort(),
      sources.map((d) => `./dist/renderers/${d}.js`).sort(),
    );
  });

  test('errors name the MIME type, the field, the expected and the actual value; kind tells malformed from too large', () => {
    const bad = refusal(() => parsePayload(MIME_SPLINES, { ...splinesFixture(), x: [0] }));
    assert.equal(bad.mime, MIME_SPLINES);
    assert.equal(bad.kind, 'malformed');
    assert.equal(bad.message, `${MIME_SPLINES}: x: expected at least 2 sample points, got 1`);
    const big = refusal(() =>
      parsePayload(MIME_SPLINES, { ...splinesFixture(), x: Array.from({ length: SPLINES_LIMITS.samples + 1 }, (_, i) => i) }),
    );
    assert.equal(big.kind, 'too-large');
    assert.match(big.message, /sample points per curve is 4,097; this view draws at most 4,096/);
    assert.equal(refusal(() => parsePayload(MIME_TRAINING, 'loss')).message, `${MIME_TRAINING}: payload: expected an object, got "loss"`);
  });

  test('the kernel sends no more than the renderer draws', () => {
    assert.ok(SPLINES_LIMITS.functions * SPLINES_LIMITS.sentSamples * 2 <= SPLINES_LIMITS.values, 'splines');
    assert.ok(SPLINES_LIMITS.sentSamples <= SPLINES_LIMITS.samples, 'splines samples');
    assert.ok(TIMING_LIMITS.sentEntries <= TIMING_LIMITS.entries, 'timing entries');
    assert.ok(TIMING_LIMITS.sentEntries * TIMING_LIMITS.sentSamplesPerEntry <= TIMING_LIMITS.samples, 'timing samples');
  });

  test('timing keeps the run environment and the percentiles, and checks them', () => {
    const environment: RunEnvironment = toPayload({
      backend: 'wasm',
      threads: 4,
      tfjs: '4.22.0',
      convkan: '0.1.0',
      node: 'v20.0.0',
      seed: null,
    });
    const t = timingFixture();
    const p = { ...t, environment, entries: [{ ...t.entries[0], p10: t.entries[0].min, p90: t.entries[0].max }, ...t.entries.slice(1)] };
    const parsed = parseTiming(p);
    assert.deepEqual(toLibrary(parsed.environment!), environment);
    assert.equal(parsed.entries[0].p90, t.entries[0].max);
    assert.match(
      refusal(() => parseTiming({ ...p, environment: { ...environment, seed: 'x' } })).message,
      /: environment\.seed: expected a finite number, got "x"$/,
    );
    assert.match(
      refusal(() => parseTiming({ ...p, entries: [{ ...p.entries[0], p10: null }] })).message,
      /: entries\[0\]\.p10: expected a finite number, got null$/,
    );
  });

  test('patches keep config.groups, which must divide the channels', () => {
    const p = patchesFixture();
    const grouped = { ...p, config: { ...p.config, groups: p.image.channels } };
    assert.equal(parsePatches(grouped).config.groups, p.image.channels);
    assert.match(
      refusal(() => parsePatches({ ...p, config: { ...p.config, groups: p.image.channels + 1 } })).message,
      /config\.groups: expected a divisor of image\.channels/,
    );
  });

  test('training: a NaN (kernel side) or null (after JSON) metric is a gap, not an error', () => {
    const t = trainingFixture(3, 3);
    const nan = { ...t, points: t.points.map((pt, i) => (i === 1 ? { ...pt, logs: { ...pt.logs, loss: NaN } } : pt)) };
    assert.equal(parseTraining(nan).points[1].logs.loss, undefined);
    assert.equal(parseTraining(JSON.parse(JSON.stringify(nan))).points[1].logs.loss, undefined);
    assert.match(
      refusal(() => parseTraining({ ...t, points: [{ step: 1, logs: { loss: 'low' } }] })).message,
      /points\[0\]\.logs\.loss: expected a finite number, got "low"/,
    );
  });

  test('an unknown MIME type is refused, naming the known ones', () => {
    assert.match(
      refusal(() => parsePayload('application/vnd.convkan.nope+json', {})).message,
      /^mime: expected one of application\/vnd\.convkan\.splines\+json, .* got "application\/vnd\.convkan\.nope\+json"$/,
    );
    assert.equal(PAYLOAD_PARSERS[MIME_PATCHES], parsePatches);
    assert.equal(PAYLOAD_VERSIONS[MIME_TIMING], 1);
  });
});
