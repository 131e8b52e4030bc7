// The splines renderer in a real browser: grid of kH·kW subplots, curves equal to base + spline
// from the payload, importance shading, selectors, parts toggle, theme, dispose, error messages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SplinesPayload } from '../../kernel/payloads';
import { splinesFixture } from '../fixtures/renderers/makeFixtures';
import { loadReference, referenceSplines } from '../fixtures/renderers/referenceFixtures';
import { figure, fixture, type Harness, startHarness, THEMES, waitForFontColor, waitForRenders } from './harness';

// Callbacks passed to page.evaluate run in the browser; these module-local declarations type
// them without adding the DOM library to the node test build (tsconfig.json has no "dom").
declare const document: any;
declare const window: any;
type HTMLElement = any;

const phiOf = (p: SplinesPayload, out: number, inn: number, ky: number, kx: number) => {
  const f = p.functions.find((g) => g.out === out && g.in === inn && g.ky === ky && g.kx === kx)!;
  return f.base.map((b, i) => b + f.spline[i]);
};

const close = (a: number[], b: number[], tol = 1e-9) =>
  assert.ok(a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= tol), `arrays differ: ${a.slice(0, 4)}… vs ${b.slice(0, 4)}…`);

describe('splines renderer (chromium)', () => {
  let h: Harness;
  const payload = fixture<SplinesPayload>('splines');
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('draws one subplot per kernel position with φ = base + spline, knots and the input histogram', async () => {
    await h.render('splines', 'grid', payload);
    await waitForRenders(h.page, 'grid', 1);
    assert.equal(await h.page.locator('#out-grid .convkan-view[data-view=splines][data-state=ready] .js-plotly-plot').count(), 1);
    const { data, layout } = await figure(h.page, 'grid');
    const xaxes = Object.keys(layout).filter((k) => /^xaxis\d*$/.test(k));
    assert.equal(xaxes.length, 3 * 3, 'kH·kW subplots');
    const phi = data.filter((t) => t.meta?.role === 'phi');
    assert.equal(phi.length, 9);
    for (const t of phi) close(t.y, phiOf(payload, 0, 0, t.meta.ky, t.meta.kx));
    // Each φ lives on its own axes pair, laid out row-major like the kernel.
    const centre = phi.find((t) => t.meta.ky === 1 && t.meta.kx === 1);
    assert.equal(centre.xaxis, 'x5');
    assert.equal(centre.yaxis, 'y5');
    const knots = data.filter((t) => t.meta?.role === 'knots');
    assert.equal(knots.length, 9);
    // Only the knots inside the drawn range [-1, 1]: the 6 grid points of a 5-interval grid.
    assert.deepEqual(
      knots[0].x.map((v: number) => +v.toFixed(6)),
      [-1, -0.6, -0.2, 0.2, 0.6, 1],
    );
    const hist = data.filter((t) => t.meta?.role === 'histogram');
    assert.equal(hist.length, 9);
    assert.deepEqual(hist[0].y, payload.inputHistograms![0].counts);
    assert.equal(data.filter((t) => t.meta?.role === 'base').length, 0, 'parts are off by default');
    await h.screenshot('grid', 'splines-light');
  });

  test('shades each curve by its importance relative to the largest one, as pykan does', async () => {
    const { data } = await figure(h.page, 'grid');
    const max = Math.max(...payload.functions.map((f) => f.importance));
    for (const t of data.filter((d) => d.meta?.role === 'phi')) {
      const f = payload.functions.find((g) => g.out === 0 && g.in === 0 && g.ky === t.meta.ky && g.kx === t.meta.kx)!;
      assert.ok(Math.abs(t.meta.relativeImportance - f.importance / max) < 1e-12);
      const alpha = Number(/rgba\([^)]*,([\d.]+)\)$/.exec(t.line.color)![1]);
      assert.ok(Math.abs(alpha - (0.2 + 0.8 * (f.importance / max))) < 1e-9, `alpha ${alpha} for importance ${f.importance}`);
    }
  });

  test('channel selectors and the parts toggle redraw the same plot in place', async () => {
    await h.page.evaluate(() => ((document.querySelector('#out-grid .js-plotly-plot') as any).__marker = 'same'));
    const count = Number(await h.page.locator('#out-grid .convkan-view').getAttribute('data-render-count'));
    await h.page.selectOption('#out-grid select[data-role=out-channel]', '1');
    await h.page.selectOption('#out-grid select[data-role=in-channel]', '2');
    await h.page.check('#out-grid input[data-role=show-parts]');
    await h.page.waitForFunction(() => {
      const gd = document.querySelector('#out-grid .js-plotly-plot') as any;
      return (
        gd.data.some((t: any) => t.meta?.role === 'base') &&
        gd.data.find((t: any) => t.meta?.role === 'phi').meta &&
        document.querySelector('#out-grid .convkan-view')!.dataset.in === '2'
      );
    });
    const { data } = await figure(h.page, 'grid');
    for (const t of data.filter((d) => d.meta?.role === 'phi')) close(t.y, phiOf(payload, 1, 2, t.meta.ky, t.meta.kx));
    const f = payload.functions.find((g) => g.out === 1 && g.in === 2 && g.ky === 0 && g.kx === 2)!;
    close(data.find((t) => t.meta?.role === 'base' && t.meta.ky === 0 && t.meta.kx === 2).y, f.base);
    close(data.find((t) => t.meta?.role === 'spline' && t.meta.ky === 0 && t.meta.kx === 2).y, f.spline);
    assert.deepEqual(data.find((t) => t.meta?.role === 'histogram').y, payload.inputHistograms![2].counts);
    assert.equal(await h.page.evaluate(() => (document.querySelector('#out-grid .js-plotly-plot') as any).__marker), 'same');
    // Control changes are not new renders of the output.
    assert.equal(Number(await h.page.locator('#out-grid .convkan-view').getAttribute('data-render-count')), count);
    await h.screenshot('grid', 'splines-parts-light');
  });

  test('follows the VS Code theme (dark, high contrast) through its CSS variables', async () => {
    for (const theme of ['dark', 'high-contrast', 'light'] as const) {
      await h.setTheme(theme);
      await waitForFontColor(h.page, 'grid', THEMES[theme].vars['--vscode-editor-foreground']);
      const { layout, data } = await figure(h.page, 'grid');
      const vars = THEMES[theme].vars;
      assert.equal(layout.font.color, vars['--vscode-editor-foreground'], `${theme} font colour`);
      assert.equal(layout.plot_bgcolor, vars['--vscode-editor-background'], `${theme} plot background`);
      assert.equal(layout.colorway[0], vars['--vscode-charts-blue']);
      const expectedGrid = theme === 'high-contrast' ? vars['--vscode-contrastBorder'] : vars['--vscode-editorWidget-border'];
      assert.equal(layout.xaxis.gridcolor, expectedGrid, `${theme} grid colour`);
      const phi = data.find((t) => t.meta?.role === 'phi');
      assert.match(phi.line.color, new RegExp(`^rgba\\(${hexToRgb(vars['--vscode-charts-blue'])},`));
      // High contrast keeps weak curves legible: the importance shading never fades below 0.65.
      const alpha = Number(/,([\d.]+)\)$/.exec(phi.line.color)![1]);
      const floor = theme === 'high-contrast' ? 0.65 : 0.2;
      assert.ok(Math.abs(alpha - (floor + (1 - floor) * phi.meta.relativeImportance)) < 1e-9, `${theme} alpha ${alpha}`);
      if (theme !== 'light') await h.screenshot('grid', `splines-${theme}`);
    }
  });

  test('a new payload for the same output id updates in place and keeps the chosen channels', async () => {
    const next = structuredClone(payload);
    for (const f of next.functions) f.spline = f.spline.map((v) => v * 2);
    await h.render('splines', 'grid', next);
    const { data } = await figure(h.page, 'grid');
    for (const t of data.filter((d) => d.meta?.role === 'phi')) close(t.y, phiOf(next, 1, 2, t.meta.ky, t.meta.kx));
    assert.equal(await h.page.evaluate(() => (document.querySelector('#out-grid .js-plotly-plot') as any).__marker), 'same');
  });

  test('groups: kernel positions without a function say so instead of drawing nothing', async () => {
    const p = structuredClone(payload);
    p.functions = p.functions.filter((f) => !(f.out === 0 && f.in === 0 && f.ky === 2));
    await h.render('splines', 'sparse', p);
    const { data, layout } = await figure(h.page, 'sparse');
    assert.equal(data.filter((t) => t.meta?.role === 'phi').length, 6);
    assert.equal(layout.annotations.filter((a: any) => /not connected/.test(a.text)).length, 3);
  });

  test('draws the edge functions of a layer trained in PyTorch (convkan reference), knots per input', async () => {
    const ref = referenceSplines(loadReference('reflect'));
    await h.render('splines', 'torch', ref);
    await h.page.selectOption('#out-torch select[data-role=out-channel]', '3');
    await h.page.waitForFunction(() => document.querySelector('#out-torch .convkan-view')!.dataset.out === '3');
    const { data } = await figure(h.page, 'torch');
    for (const t of data.filter((d) => d.meta?.role === 'phi')) close(t.y, phiOf(ref, 3, 0, t.meta.ky, t.meta.kx));
    const knots = ref.knotsPerInput![0].knots.filter((k) => k >= -1 && k <= 1);
    assert.deepEqual(data.find((t) => t.meta?.role === 'knots').x, knots);
    assert.equal(data.filter((t) => t.meta?.role === 'histogram').length, 0, 'no histogram without inputHistograms');
    assert.equal(await h.page.locator('#out-torch input[data-role=show-histogram]').count(), 0);
    await h.screenshot('torch', 'splines-pytorch-reference-light');
  });

  test('marks the grid range when the samples reach past it', async () => {
    assert.equal(
      (await figure(h.page, 'grid')).layout.shapes.filter((s: any) => s.name === 'grid-range').length,
      0,
      'x = grid range: nothing to mark',
    );
    const q = structuredClone(payload);
    q.x = q.x.map((t) => t * 1.2);
    await h.render('splines', 'wide', q);
    const lines = (await figure(h.page, 'wide')).layout.shapes.filter((s: any) => s.name === 'grid-range');
    assert.equal(lines.length, 2 * 9);
    assert.deepEqual([...new Set(lines.map((l: any) => l.x0))].sort(), [-1, 1]);
    assert.equal(lines.find((l: any) => l.xref === 'x5').yref, 'y5 domain');
  });

  test('knots per kernel position (after a grid update) are drawn on their own subplot', async () => {
    const q = structuredClone(payload);
    delete q.knots;
    q.knotsPerInput = [
      { in: 0, knots: [-0.5, 0, 0.5] }, // every position of input 0 ...
      { in: 0, ky: 1, kx: 1, knots: [-0.9, 0.9] }, // ... except the centre
    ];
    await h.render('splines', 'knots', q);
    const { data } = await figure(h.page, 'knots');
    const knots = data.filter((t) => t.meta?.role === 'knots');
    assert.deepEqual(knots.find((t) => t.meta.ky === 1 && t.meta.kx === 1).x, [-0.9, 0.9]);
    assert.deepEqual(knots.find((t) => t.meta.ky === 0 && t.meta.kx === 2).x, [-0.5, 0, 0.5]);
  });

  test('dispose purges the plot and forgets the output', async () => {
    await h.render('splines', 'gone', payload);
    await h.dispose('splines', 'gone');
    const state = await h.page.evaluate(() => {
      const gd = document.querySelector('#out-gone .convkan-plot') as any;
      return { data: gd.data, fullLayout: gd._fullLayout, live: (window as any).harness.live('splines') };
    });
    assert.equal(state.data, undefined);
    assert.equal(state.fullLayout, undefined);
    assert.ok(!state.live.includes('gone'));
    assert.ok(state.live.includes('grid'));
  });

  test('malformed payloads show a message naming the field, the expected and the actual value', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['bad-json', '{"version": 1, "layer": ', /not valid JSON/],
      ['bad-version', { ...payload, version: 2 }, /version: expected 1, got number 2/],
      [
        'short-curve',
        (() => {
          const p = structuredClone(payload);
          p.functions[3].base.pop();
          return p;
        })(),
        /functions\[3\]\.base: expected 64 entries, got 63/,
      ],
      [
        'nan',
        (() => {
          const p = structuredClone(payload) as any;
          p.functions[0].spline[5] = null;
          return p;
        })(),
        /functions\[0\]\.spline\[5\]: expected a finite number, got null/,
      ],
      ['no-layer', { ...payload, layer: undefined }, /layer: expected an object, got undefined/],
      [
        'bad-channel',
        (() => {
          const p = structuredClone(payload);
          p.functions[0].out = 7;
          return p;
        })(),
        /functions\[0\]\.out: expected an integer in \[0, 1\], got number 7/,
      ],
    ];
    for (const [id, p, message] of cases) {
      await h.render('splines', id, p);
      const box = h.page.locator(`#out-${id} .convkan-view[data-state=error] .convkan-error[data-error-kind=malformed]`);
      assert.equal(await box.count(), 1, id);
      assert.match(await box.innerText(), message);
      assert.match(await box.innerText(), /ConvKAN splines view: the output data is malformed/);
    }
    await h.screenshot('short-curve', 'splines-error-light');
  });

  test('too-large payloads show the limit instead of freezing the webview', async () => {
    await h.render('splines', 'huge-kernel', splinesFixture({ outC: 1, inC: 1, k: 11, points: 8, withHistogram: false }));
    const box = h.page.locator('#out-huge-kernel .convkan-error[data-error-kind=too-large]');
    assert.match(await box.innerText(), /121.*at most 81/s);
    await h.render('splines', 'many-samples', splinesFixture({ outC: 1, inC: 1, k: 1, points: 5000, withHistogram: false }));
    assert.match(await h.page.locator('#out-many-samples .convkan-error[data-error-kind=too-large]').innerText(), /5,000.*at most 4,096/s);
  });

  test('an error replaces a live plot when an update turns malformed, and a good update recovers', async () => {
    await h.render('splines', 'recover', payload);
    await h.render('splines', 'recover', { ...payload, x: [] });
    assert.equal(await h.page.locator('#out-recover .convkan-error').count(), 1);
    await h.render('splines', 'recover', payload);
    await waitForRenders(h.page, 'recover', 2);
    assert.equal(await h.page.locator('#out-recover .convkan-error').count(), 0);
    assert.equal((await figure(h.page, 'recover')).data.filter((t) => t.meta?.role === 'phi').length, 9);
  });
});

function hexToRgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `${(n >> 16) & 255},${(n >> 8) & 255},${n & 255}`;
}
