// The ConvKAN views: each bundle has its custom MIME type with a payload that validates, a
// well-formed SVG and text; size guards; handles redraw in place. The library's inspection
// functions are replaced by synthetic ones here (displayConvkan.test.ts uses the real layers).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  createDisplayApi,
  MIME_HTML,
  MIME_PATCHES,
  MIME_SPLINES,
  MIME_SVG,
  MIME_TEXT,
  MIME_TIMING,
  parsePayload,
  PayloadError,
  SPLINES_LIMITS,
  type PatchesPayload,
  type SplinesPayload,
  type TimingPayload,
} from '../../kernel/display';
import { setConvkanInspect, type PatchConfig } from '../../kernel/display/convkanInspect';
import { patchesBundle, receptiveField } from '../../kernel/display/bundles/patchesBundle';
import { splinesBundle } from '../../kernel/display/bundles/splinesBundle';
import { timingBundle } from '../../kernel/display/bundles/timingBundle';
import { normalizeTiming, timeIt } from '../../kernel/display/timing';
import { kanLinear } from '../../kernel/convkan/layers/kanLinear';
import { assertHtmlImageOf, fakeEdgeSamples, parseXml, RecordingSink, referenceUnfold, tensorsLeaked } from './displayHelpers';

function assertViewBundle(data: Record<string, unknown>, mime: string): void {
  assert.deepEqual(Object.keys(data).sort(), [mime, MIME_SVG, MIME_HTML, MIME_TEXT].sort());
  parsePayload(mime, data[mime]);
  assert.equal(parseXml(data[MIME_SVG] as string).root, 'svg');
  assertHtmlImageOf(data[MIME_HTML] as string, data[MIME_SVG] as string);
  assert.equal(typeof data[MIME_TEXT], 'string');
}

describe('splines view', () => {
  test('bundle: payload validates, SVG has one curve pair per function, text ranks importance', () => {
    const samples = fakeEdgeSamples(2, 3, 3, 3);
    const b = splinesBundle(samples);
    assertViewBundle(b.data, MIME_SPLINES);
    const p = b.data[MIME_SPLINES] as SplinesPayload;
    assert.equal(p.version, 1);
    assert.equal(p.functions.length, 2 * 3 * 9);
    const svg = b.data[MIME_SVG] as string;
    // φ and base part for each of the 54 functions, plus two legend lines.
    assert.equal(parseXml(svg).elements.filter((e) => e === 'polyline').length, 54 * 2);
    const text = b.data[MIME_TEXT] as string;
    assert.match(text, /ConvKAN2D "conv_kan2d_test" \(bspline, grid 5, order 3, range \[-1, 1\]\)/);
    assert.match(text, /in 3 → out 2, kernel 3×3/);
    const top = [...samples.functions].sort((a, b) => b.importance - a.importance)[0];
    assert.match(text, new RegExp(`Most important: out ${top.out} ← in ${top.in} at \\(ky ${top.ky}, kx ${top.kx}\\)`));
  });

  test('guards: more than SPLINES_LIMITS.sentSamples points are thinned, the SVG draws at most 4×4 channel pairs', () => {
    const samples = fakeEdgeSamples(6, 5, 1, 1, 1200);
    const b = splinesBundle(samples);
    const p = b.data[MIME_SPLINES] as SplinesPayload;
    assert.ok(p.x.length <= SPLINES_LIMITS.sentSamples, `${p.x.length} points sent`);
    assert.equal(Math.fround(p.x[p.x.length - 1]), Math.fround(samples.x[samples.x.length - 1]));
    parsePayload(MIME_SPLINES, p);
    const polylines = parseXml(b.data[MIME_SVG] as string).elements.filter((e) => e === 'polyline').length;
    assert.equal(polylines, 4 * 4 * 2);
    assert.match(b.data[MIME_TEXT] as string, /curves thinned from 1200/);
    assert.match(b.data[MIME_TEXT] as string, /the picture shows the first 4 out × 4 in channels/);
  });

  test("display.splines calls the layer's edgeFunctions() inside tidy, handle.update redraws in place", async () => {
    const calls: unknown[] = [];
    const layer = kanLinear({ units: 1, inFeatures: 1, seed: 1 });
    // the layer's own method is what display calls; replaced here by a synthetic one
    layer.edgeFunctions = (opts) => {
      calls.push(opts);
      tf.ones([4, 4]); // a stray tensor: the tidy around the sampler must free it
      return fakeEdgeSamples(1, 1, 1, 1) as ReturnType<typeof layer.edgeFunctions>;
    };
    const sink = new RecordingSink();
    const display = createDisplayApi(() => sink);
    const h = display.splines(layer, { points: 32, outChannels: [0] });
    assert.deepEqual(calls[0], { outChannels: [0], inChannels: undefined, points: 32, x: undefined });
    assertViewBundle(sink.last.bundle.data, MIME_SPLINES);
    h.update(layer);
    assert.equal(sink.last.displayId, h.displayId);
    assert.equal(sink.last.update, true);
    assert.equal(await tensorsLeaked(() => display.splines(layer)), 0);
    assert.throws(() => display.splines(layer, { points: 1 }), /points must be an integer in \[2, 512\], but got 1/);
    assert.throws(() => display.splines({} as never), /expects a ConvKAN2D or KANLinear layer/);
    assert.throws(
      () => display.splines(tf.layers.dense({ units: 1, name: 'd1' })),
      /expects a ConvKAN2D or KANLinear layer \(or a model that has one\), but got Dense "d1"/,
    );
  });
});

describe('patches view', () => {
  const image = { height: 5, width: 6, channels: 2, data: Array.from({ length: 60 }, (_, i) => (i % 7) - 3) };
  const u = referenceUnfold(
    image,
    [3, 3],
    [2, 1],
    [1, 2],
    [
      [1, 1],
      [2, 2],
    ],
  );

  test('bundle: payload validates and ties sizes together; SVG marks two receptive fields', () => {
    const b = patchesBundle(u, 'conv');
    assertViewBundle(b.data, MIME_PATCHES);
    const p = b.data[MIME_PATCHES] as PatchesPayload;
    assert.equal(p.layerName, 'conv');
    assert.deepEqual(p.output, { height: 3, width: 6 });
    const svg = b.data[MIME_SVG] as string;
    // kernel taps of the first and the last output position, drawn as outlined cells
    assert.equal((svg.match(/stroke="#e15759" stroke-width="1.2"/g) ?? []).length, 9 + 1);
    assert.match(b.data[MIME_TEXT] as string, /patch matrix 18×18/);
  });

  test('receptive field: stride and dilation place the taps', () => {
    const p = patchesBundle(u).data[MIME_PATCHES] as PatchesPayload;
    assert.deepEqual(receptiveField(p, 1, 2).slice(0, 4), [
      [2, 2],
      [2, 4],
      [2, 6],
      [3, 2],
    ]);
  });

  test('the parser catches inconsistent sizes', () => {
    const p = patchesBundle(u).data[MIME_PATCHES] as PatchesPayload;
    const breaks: Array<[unknown, string]> = [
      [{ ...p, output: { height: 4, width: 6 } }, 'output.height: expected 3 '],
      [{ ...p, patches: { ...p.patches, cols: 24 } }, 'patches.cols: expected 18 '],
      [{ ...p, patches: { ...p.patches, data: p.patches.data.slice(1) } }, 'patches.data: expected 324 entries, got 323'],
    ];
    for (const [bad, want] of breaks) {
      assert.throws(
        () => parsePayload(MIME_PATCHES, bad),
        (err: PayloadError) => err.detail.startsWith(want),
        want,
      );
    }
  });

  test('display.patches: sample 0 of NHWC, crop guard, no leaked tensors', async () => {
    let seen: number[] = [];
    setConvkanInspect({
      unfoldPatches: (img, cfg) => {
        seen = img.shape;
        const data = Array.from(img.dataSync());
        const c = cfg as PatchConfig;
        const k = c.kernelSize as [number, number];
        return referenceUnfold(
          { height: img.shape[0], width: img.shape[1], channels: img.shape[2], data },
          k,
          [1, 1],
          [1, 1],
          [
            [0, 0],
            [0, 0],
          ],
        );
      },
    });
    try {
      const sink = new RecordingSink();
      const display = createDisplayApi(() => sink);
      const batch = tf.randomUniform([3, 10, 12, 1]);
      display.patches({ kernelSize: [3, 3] }, batch);
      assert.deepEqual(seen, [10, 12, 1]);
      assertViewBundle(sink.last.bundle.data, MIME_PATCHES);
      assert.match(sink.last.bundle.data[MIME_TEXT] as string, /sample 0 of a batch of 3/);
      const big = tf.zeros([200, 200, 16]);
      display.patches({ kernelSize: [3, 3] }, big);
      // 250 000 / (16·9) → 41² pixels at most
      assert.deepEqual(seen, [41, 41, 16]);
      assert.match(sink.last.bundle.data[MIME_TEXT] as string, /cropped from 200×200 to its top-left 41×41/);
      assert.equal(await tensorsLeaked(() => display.patches({ kernelSize: [3, 3] }, batch)), 0);
      assert.throws(
        () => display.patches({ kernelSize: 3 }, tf.zeros([4, 4])),
        /image must be HWC \(rank 3\) or NHWC \(rank 4\), but got shape \[4, 4\]/,
      );
      tf.dispose([batch, big]);
    } finally {
      setConvkanInspect(undefined);
    }
  });
});

describe('timing view', () => {
  test('normalize: medians (even and odd), min, max, ratios within shape/backend/phase groups', () => {
    const p = normalizeTiming(
      [
        { label: 'conv2d', samples: [2, 4, 3, 1], shape: 'a', backend: 'wasm' },
        { label: 'ConvKAN2D', samples: [10, 12, 11], shape: 'a', backend: 'wasm' },
        { label: 'ConvKAN2D', samples: [5], shape: 'b', backend: 'wasm' },
      ],
      { baseline: 'conv2d' },
    );
    assert.deepEqual(
      p.entries.map((e) => [e.median, e.min, e.max, e.ratio]),
      [
        [2.5, 1, 4, 1],
        [11, 10, 12, 11 / 2.5],
        [5, 5, 5, undefined],
      ],
    );
    assert.equal(p.baseline, 'conv2d');
    parsePayload(MIME_TIMING, p);
  });

  test('accepts {label: samples} and a payload; keeps given medians and ratios', () => {
    const p = normalizeTiming({ a: [1, 2, 3], b: [2, 4, 6] });
    assert.deepEqual(
      p.entries.map((e) => e.ratio),
      [1, 2],
    );
    const given = normalizeTiming({
      title: 'T',
      baseline: 'x',
      entries: [{ label: 'x', samples: [1], median: 1, min: 1, max: 1, ratio: 1 }],
    });
    assert.equal(given.title, 'T');
    assert.throws(() => normalizeTiming([{ label: 'x', samples: [] }]), /entry "x" must have one or more finite, non-negative samples/);
    assert.throws(() => normalizeTiming([]), /entries must not be empty/);
  });

  test('a timing payload carries the run environment (backend, threads, versions, seed); a given one is kept', () => {
    const p = normalizeTiming({ a: [1] });
    assert.equal(p.environment?.backend, tf.getBackend());
    assert.equal(p.environment?.tfjs, tf.version.tfjs);
    assert.equal(p.environment?.node, process.version);
    assert.equal(typeof p.environment?.threads, 'number');
    assert.equal(p.environment?.seed, null);
    parsePayload(MIME_TIMING, p);
    const env = { backend: 'wasm', threads: 2, tfjs: '4.22.0', convkan: '0.1.0', node: 'v20.0.0', seed: 4 };
    assert.deepEqual(normalizeTiming({ environment: env, entries: [{ label: 'a', samples: [1] }] }).environment, env);
    const bad = { ...p, environment: { ...env, threads: 'two' } };
    assert.throws(() => parsePayload(MIME_TIMING, bad), /environment\.threads: expected an integer ≥ 1, got "two"/);
  });

  test('bundle: ratio written on each bar, runs as dots, text table', () => {
    const b = timingBundle({ conv2d: [1, 1.2, 0.9], ConvKAN2D: [3, 3.3, 2.8] }, { title: 'forward, 3→8 @16²' });
    assertViewBundle(b.data, MIME_TIMING);
    const svg = b.data[MIME_SVG] as string;
    assert.match(svg, />1 ms {2}baseline</);
    assert.match(svg, />3 ms {2}×3</);
    assert.equal((svg.match(/<circle /g) ?? []).length, 6);
    const text = b.data[MIME_TEXT] as string;
    assert.match(text, /^forward, 3→8 @16²\nlabel +kind/);
    assert.match(text, /ConvKAN2D +ConvKAN2D .* ×3$/m);
    assert.equal((b.data[MIME_TIMING] as TimingPayload).entries.length, 2);
  });

  test('timeIt: warm-up not counted, returned tensors read and freed, no leaks', async () => {
    let runs = 0;
    const x = tf.ones([8, 8]);
    const entry = await timeIt(
      () => {
        runs++;
        return tf.matMul(x, x).add(1);
      },
      { reps: 3, warmup: 2, label: 'matmul', shape: '8×8' },
    );
    assert.equal(runs, 5);
    assert.equal(entry.samples.length, 3);
    assert.equal(entry.label, 'matmul');
    assert.ok(entry.min <= entry.median && entry.median <= entry.max);
    assert.equal(await tensorsLeaked(() => timeIt(async () => tf.square(x), { reps: 2, warmup: 0 })), 0);
    await assert.rejects(
      timeIt(() => undefined, { reps: 0 }),
      /reps must be an integer ≥ 1, but got 0/,
    );
    // A layer built during the first timed call keeps its weights (variables outlive the run's scope).
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3 });
    const img = tf.ones([1, 6, 6, 1]);
    await timeIt(() => conv.apply(img) as tf.Tensor, { reps: 1, warmup: 1 });
    assert.ok(conv.getWeights().every((w) => !w.isDisposed));
    tf.dispose(conv.apply(img) as tf.Tensor);
    conv.dispose();
    tf.dispose([x, img]);
  });
});

describe('payload parser', () => {
  /** The message of the PayloadError that parsing `value` as `mime` throws. */
  const refusal = (mime: string, value: unknown): string => {
    try {
      parsePayload(mime, value);
    } catch (err) {
      assert.ok(err instanceof PayloadError, `a PayloadError, got ${String(err)}`);
      return err.message;
    }
    assert.fail(`${mime} accepted ${JSON.stringify(value).slice(0, 80)}`);
  };

  test('rejects wrong MIME types, versions, types and enum values, naming the MIME type and field', () => {
    assert.equal(
      refusal('application/x', {}),
      'mime: expected one of application/vnd.convkan.splines+json, application/vnd.convkan.patches+json, ' +
        'application/vnd.convkan.timing+json, application/vnd.convkan.training+json, application/vnd.convkan.activations+json, ' +
        'got "application/x"',
    );
    const t = normalizeTiming({ a: [1] });
    assert.match(refusal(MIME_TIMING, { ...t, version: 2 }), /^application\/vnd\.convkan\.timing\+json: version: expected 1, got number 2/);
    assert.match(
      refusal(MIME_TIMING, { ...t, entries: [{ ...t.entries[0], phase: 'backward' }] }),
      /: entries\[0\]\.phase: expected one of "forward", "forward\+backward", got "backward"$/,
    );
    assert.match(
      refusal(MIME_TIMING, { ...t, entries: [{ ...t.entries[0], median: 5 }] }),
      /: entries\[0\]: expected min ≤ median ≤ max, got min 1, median 5, max 1$/,
    );
    const s = splinesBundle(fakeEdgeSamples(1, 1, 1, 1)).data[MIME_SPLINES] as SplinesPayload;
    assert.match(
      refusal(MIME_SPLINES, { ...s, functions: [{ ...s.functions[0], in: 7 }] }),
      /: functions\[0\]\.in: expected an integer in \[0, 0\], got number 7$/,
    );
    assert.match(
      refusal(MIME_SPLINES, { ...s, functions: [{ ...s.functions[0], base: s.functions[0].base.slice(1) }] }),
      /: functions\[0\]\.base: expected 64 entries, got 63$/,
    );
    assert.equal(refusal(MIME_SPLINES, null), `${MIME_SPLINES}: payload: expected an object, got null`);
  });
});

before(() => setConvkanInspect(undefined));
after(() => setConvkanInspect(undefined));
