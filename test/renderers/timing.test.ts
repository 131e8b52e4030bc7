// The timing renderer in a real browser: medians as grouped bars with min–max whiskers, every
// run's sample as a point, ratios to the baseline on the bars, log toggle, theme, errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TimingPayload } from '../../kernel/payloads';
import { figure, fixture, type Harness, startHarness, THEMES, waitForFontColor, waitForRenders } from './harness';

// Callbacks passed to page.evaluate run in the browser; these module-local declarations type
// them without adding the DOM library to the node test build (tsconfig.json has no "dom").
declare const document: any;
declare const window: any;
type HTMLElement = any;

describe('timing renderer (chromium)', () => {
  let h: Harness;
  const p = fixture<TimingPayload>('timing'); // 3 labels × 2 shapes × 2 backends, 10 runs each
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('one bar series per label, grouped by shape and backend, with whiskers and every sample', async () => {
    await h.render('timing', 'bench', p);
    await waitForRenders(h.page, 'bench', 1);
    assert.equal(await h.page.locator('#out-bench .convkan-view[data-view=timing][data-state=ready] .js-plotly-plot').count(), 1);
    const { data, layout } = await figure(h.page, 'bench');
    const bars = data.filter((t) => t.meta?.role === 'median');
    assert.deepEqual(
      bars.map((b) => b.meta.label),
      ['conv2d', 'KANConv2D', 'FastKANConv2D'],
      'baseline first',
    );
    assert.equal(layout.xaxis.type, 'multicategory');
    assert.equal(layout.barmode, 'group');
    for (const bar of bars) {
      const es = p.entries.filter((e) => e.label === bar.meta.label);
      assert.deepEqual(
        bar.y,
        es.map((e) => e.median),
      );
      assert.deepEqual(bar.x, [es.map((e) => e.shape), es.map((e) => e.backend)]);
      assert.deepEqual(
        bar.error_y.array,
        es.map((e) => e.max - e.median),
      );
      assert.deepEqual(
        bar.error_y.arrayminus,
        es.map((e) => e.median - e.min),
      );
      const runs = data.find((t) => t.meta?.role === 'samples' && t.meta.label === bar.meta.label);
      assert.deepEqual(
        runs.y,
        es.flatMap((e) => e.samples),
      );
      assert.equal(runs.offsetgroup, bar.offsetgroup, 'samples sit on their own bar');
    }
    assert.equal(layout.scattermode, 'group');
    await h.screenshot('bench', 'timing-light');
  });

  test('writes the ratio to the baseline on each bar', async () => {
    const { data } = await figure(h.page, 'bench');
    const kan = data.find((t) => t.meta?.role === 'median' && t.meta.label === 'KANConv2D');
    const es = p.entries.filter((e) => e.label === 'KANConv2D');
    assert.deepEqual(
      kan.text,
      es.map((e) => `×${e.ratio! >= 10 ? e.ratio!.toFixed(1) : e.ratio!.toFixed(2)}`),
    );
    const base = data.find((t) => t.meta?.role === 'median' && t.meta.label === 'conv2d');
    assert.deepEqual(base.text, ['baseline', 'baseline', 'baseline', 'baseline']);
    // The drawn SVG carries the text too (not only the trace data).
    const ratios = data.find((t) => t.meta?.role === 'ratio' && t.meta.label === 'KANConv2D');
    assert.deepEqual(ratios.text, kan.text);
    assert.deepEqual(
      ratios.y,
      es.map((e) => e.max),
      'written above the whisker',
    );
    const drawn = await h.page.locator('#out-bench .textpoint text').evaluateAll((ns) => ns.map((n) => n.textContent));
    assert.ok(drawn.includes(kan.text[0]), `drawn bar texts: ${drawn.join(', ')}`);
  });

  test('one colour per layer kind; labels of the same kind differ by fill pattern', async () => {
    const q = structuredClone(p);
    for (const e of p.entries.filter((x) => x.label === 'KANConv2D'))
      q.entries.push({
        ...e,
        ratio: undefined,
        label: 'KANConv2D grid 10',
        median: e.median * 1.4,
        min: e.min * 1.4,
        max: e.max * 1.4,
        samples: e.samples.map((v) => v * 1.4),
      });
    await h.render('timing', 'kinds', q);
    const { data } = await figure(h.page, 'kinds');
    const bar = (label: string) => data.find((t) => t.meta?.role === 'median' && t.meta.label === label);
    assert.equal(bar('KANConv2D grid 10').marker.line.color, bar('KANConv2D').marker.line.color);
    assert.notEqual(bar('KANConv2D grid 10').marker.pattern.shape, bar('KANConv2D').marker.pattern.shape);
    assert.notEqual(bar('FastKANConv2D').marker.line.color, bar('KANConv2D').marker.line.color);
    assert.equal(bar('KANConv2D grid 10').name, 'KANConv2D grid 10 (bspline)');
    await h.screenshot('kinds', 'timing-kinds-light');
  });

  test('ratios left out by the producer are computed from the baseline of the same group', async () => {
    const q = structuredClone(p);
    for (const e of q.entries) delete e.ratio;
    await h.render('timing', 'computed', q);
    const { data } = await figure(h.page, 'computed');
    const fast = data.find((t) => t.meta?.role === 'median' && t.meta.label === 'FastKANConv2D');
    const e = p.entries.find((x) => x.label === 'FastKANConv2D' && x.backend === 'wasm' && x.shape === '16→32 @16×16')!;
    const b = p.entries.find((x) => x.label === 'conv2d' && x.backend === 'wasm' && x.shape === '16→32 @16×16')!;
    assert.equal(fast.text[3], `×${(e.median / b.median).toFixed(2)}`);
  });

  test('log scale: chosen automatically for wide ranges, and switchable', async () => {
    const { layout } = await figure(h.page, 'bench');
    assert.equal(layout.yaxis.type, 'log', 'medians span more than 20×');
    await h.page.uncheck('#out-bench input[data-role=log-scale]');
    await h.page.waitForFunction(() => (document.querySelector('#out-bench .js-plotly-plot') as any).layout.yaxis.type === 'linear');
  });

  test('follows the dark theme', async () => {
    await h.setTheme('dark');
    await waitForFontColor(h.page, 'bench', THEMES.dark.vars['--vscode-editor-foreground']);
    const { layout, data } = await figure(h.page, 'bench');
    assert.equal(layout.font.color, THEMES.dark.vars['--vscode-editor-foreground']);
    assert.equal(data[0].marker.line.color, THEMES.dark.vars['--vscode-charts-blue']);
    assert.equal(layout.yaxis.type, 'linear', "the user's choice survives a theme change");
    await h.page.check('#out-bench input[data-role=log-scale]');
    await h.page.waitForFunction(() => (document.querySelector('#out-bench .js-plotly-plot') as any).layout.yaxis.type === 'log');
    await h.screenshot('bench', 'timing-dark');
    await h.setTheme('light');
  });

  test('malformed and too-large payloads show a message', async () => {
    const bad = (f: (q: any) => void) => {
      const q = structuredClone(p) as any;
      f(q);
      return q;
    };
    const cases: Array<[string, unknown, string, RegExp]> = [
      ['no-entries', { ...p, entries: [] }, 'malformed', /entries: expected at least one timed entry/],
      ['bad-median', bad((q) => (q.entries[2].median = q.entries[2].max + 1)), 'malformed', /entries\[2\]: expected min ≤ median ≤ max/],
      [
        'bad-phase',
        bad((q) => (q.entries[0].phase = 'backward')),
        'malformed',
        /entries\[0\]\.phase: expected one of "forward", "forward\+backward", got "backward"/,
      ],
      ['bad-baseline', { ...p, baseline: 'conv3d' }, 'malformed', /baseline: "conv3d" is not the label of any entry/],
      ['too-many', { ...p, entries: Array.from({ length: 401 }, () => p.entries[0]) }, 'too-large', /401; this view draws at most 400/],
    ];
    for (const [id, q, kind, message] of cases) {
      await h.render('timing', id, q);
      const box = h.page.locator(`#out-${id} .convkan-error[data-error-kind=${kind}]`);
      assert.equal(await box.count(), 1, id);
      assert.match(await box.innerText(), message);
    }
  });

  test('draws under a strict Content-Security-Policy (no eval, no inline script)', async () => {
    assert.equal(
      await h.page.evaluate(() => (window as any).evalBlocked),
      true,
      'the harness page must forbid eval, or this proves nothing',
    );
    assert.equal(await h.page.locator('#out-bench .convkan-view[data-state=ready]').count(), 1);
  });

  test('dispose purges the figure', async () => {
    await h.dispose('timing', 'bench');
    assert.equal(await h.page.evaluate(() => (document.querySelector('#out-bench .convkan-plot') as any).data), undefined);
  });

  test('a layer kind with markup reaches the hover label escaped and the legend literally, never as a link or bold', async () => {
    const kind = '<b>bold</b> <a href="https://example.invalid">link</a>';
    const q = structuredClone(p);
    for (const e of q.entries) e.kind = kind;
    await h.render('timing', 'markup', q);
    await waitForRenders(h.page, 'markup', 1);
    const { data } = await figure(h.page, 'markup');
    const bar = data.find((t) => t.meta?.role === 'median');
    assert.equal(bar.customdata[0][0], '&lt;b&gt;bold&lt;/b&gt; &lt;a href="https://example.invalid"&gt;link&lt;/a&gt;');
    // Hover text is drawn from customdata as pseudo-HTML: escaped there, it shows literally.
    assert.match(bar.hovertemplate, /%\{customdata\[0\]\}/);
    const legend = await h.page.locator('#out-markup .legendtext').allTextContents();
    assert.ok(
      legend.some((t) => t.includes(kind)),
      `legend: ${legend.join(' | ')}`,
    );
    assert.equal(await h.page.locator('#out-markup svg a').count(), 0, 'no link drawn');
  });
});
