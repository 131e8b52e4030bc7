// The patches renderer in a real browser: padded image, output grid and unfolded patch matrix,
// linked by real mouse hover (receptive field taps, output cell, matrix column), padding border,
// channel selector, theme, error messages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { PatchesPayload } from '../../kernel/payloads';
import { patchesFixture } from '../fixtures/renderers/makeFixtures';
import { figure, fixture, type Harness, startHarness, THEMES, waitForFontColor, waitForRenders } from './harness';

// Callbacks passed to page.evaluate run in the browser; these module-local declarations type
// them without adding the DOM library to the node test build (tsconfig.json has no "dom").
declare const document: any;
declare const window: any;
type HTMLElement = any;

/** Moves the real mouse over data point (x, y) of subplot `axis` ('' | '2' | '3') in output `id`. */
async function hoverAt(page: Page, id: string, axis: string, x: number, y: number): Promise<void> {
  const point = await page.evaluate(
    ([i, a, px, py]) => {
      const gd = document.querySelector(`#out-${i} .js-plotly-plot`) as any;
      gd.scrollIntoView({ block: 'center' }); // the mouse only reaches what is in the viewport
      const xa = gd._fullLayout[`xaxis${a}`];
      const ya = gd._fullLayout[`yaxis${a}`];
      const box = gd.getBoundingClientRect();
      return { x: box.left + xa._offset + xa.l2p(px), y: box.top + ya._offset + ya.l2p(py) };
    },
    [id, axis, x, y] as const,
  );
  await page.mouse.move(point.x, point.y, { steps: 2 });
}

const shapesNamed = (layout: any, name: string) => (layout.shapes as any[]).filter((s) => s.name === name);
const centre = (s: any) => ({ x: (s.x0 + s.x1) / 2, y: (s.y0 + s.y1) / 2 });

describe('patches renderer (chromium)', () => {
  let h: Harness;
  const p = fixture<PatchesPayload>('patches'); // 8×8×2, kernel 3, stride 2, padding 1 reflect → output 4×4
  const pixel = (y: number, x: number, c: number) => p.padded.data[(y * p.padded.width + x) * p.padded.channels + c];
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('draws the padded image, the output grid and the unfolded patch matrix', async () => {
    await h.render('patches', 'main', p);
    await waitForRenders(h.page, 'main', 1);
    assert.equal(await h.page.locator('#out-main .convkan-view[data-view=patches][data-state=ready] .js-plotly-plot').count(), 1);
    const { data, layout } = await figure(h.page, 'main');
    const [image, output, patches] = data;
    assert.deepEqual([image.meta.role, output.meta.role, patches.meta.role], ['image', 'output', 'patches']);
    assert.equal(image.z.length, 10);
    assert.equal(image.z[0].length, 10);
    for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) assert.equal(image.z[y][x], pixel(y, x, 0));
    assert.equal(output.z.length, 4);
    assert.equal(output.z[0].length, 4);
    assert.equal(patches.z.length, 18);
    assert.equal(patches.z[0].length, 16);
    assert.equal(patches.z[4][5], p.patches.data[4 * 16 + 5]);
    assert.equal(image.customdata[0][3], 'padding (reflect)');
    assert.equal(image.customdata[1][1], 'image pixel (0, 0)');
    // The padded border: a shaded band on each side plus the outline of the original image.
    const border = shapesNamed(layout, 'padding-border');
    assert.equal(border.length, 4);
    const bounds = shapesNamed(layout, 'image-bounds')[0];
    assert.deepEqual([bounds.x0, bounds.x1, bounds.y0, bounds.y1], [0.5, 8.5, 0.5, 8.5]);
    assert.equal(await h.page.locator('#out-main .convkan-note').getAttribute('data-consistent'), 'true');
    // Before any hover, the window sits at output (0, 0).
    const taps = shapesNamed(layout, 'rf-tap').map(centre);
    assert.deepEqual(
      taps,
      [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => ({ x: j, y: i }))),
    );
    await h.screenshot('main', 'patches-light');
  });

  test('hovering an output cell highlights its receptive field and the matching patch column', async () => {
    await hoverAt(h.page, 'main', '2', 1, 2); // ox 1, oy 2
    await h.page.waitForFunction(() => document.querySelector('#out-main .convkan-view')!.dataset.outputPosition === '2,1');
    const { layout, data } = await figure(h.page, 'main');
    const taps = shapesNamed(layout, 'rf-tap').map(centre);
    // stride 2, dilation 1: rows 4..6, columns 2..4 of the padded image.
    assert.deepEqual(
      taps,
      [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => ({ x: 2 + j, y: 4 + i }))),
    );
    const cell = centre(shapesNamed(layout, 'output-cell')[0]);
    assert.deepEqual(cell, { x: 1, y: 2 });
    const col = shapesNamed(layout, 'patch-column')[0];
    assert.equal(centre(col).x, 2 * 4 + 1);
    assert.deepEqual([col.y0, col.y1], [-0.5, 17.5]);
    // The highlighted column holds exactly the highlighted pixels (channel 0 rows first).
    const column = (data[2].z as number[][]).map((row) => row[9]);
    assert.deepEqual(
      column.slice(0, 9),
      taps.map((t) => pixel(t.y, t.x, 0)),
    );
    assert.deepEqual(
      column.slice(9),
      taps.map((t) => pixel(t.y, t.x, 1)),
    );
    assert.equal(
      await h.page.locator('#out-main [data-role=readout]').innerText(),
      'Output (oy 2, ox 1) reads padded rows 4–6, columns 2–4 (9 taps per channel) = column 9 of the patch matrix. ' +
        'Hover or click a cell to move the window.',
    );
    await h.screenshot('main', 'patches-hover-light');
  });

  test('hovering the image or a patch-matrix column moves the window too', async () => {
    await hoverAt(h.page, 'main', '3', 14, 5); // column 14 = (3, 2)
    await h.page.waitForFunction(() => document.querySelector('#out-main .convkan-view')!.dataset.outputPosition === '3,2');
    await hoverAt(h.page, 'main', '', 3, 5); // padded pixel (y 5, x 3): window centred there starts at (4, 2) → output (2, 1)
    await h.page.waitForFunction(() => document.querySelector('#out-main .convkan-view')!.dataset.outputPosition === '2,1');
    assert.equal(await h.page.locator('#out-main .convkan-view').getAttribute('data-column'), '9');
  });

  test('arrow keys slide the window one output position at a time', async () => {
    await h.page.focus('#out-main [data-role=patches-figure]');
    await h.page.keyboard.press('ArrowRight');
    await h.page.keyboard.press('ArrowDown');
    await h.page.waitForFunction(() => document.querySelector('#out-main .convkan-view')!.dataset.outputPosition === '3,2');
    await h.page.keyboard.press('ArrowDown'); // already on the last row: stays
    await h.page.keyboard.press('ArrowLeft');
    await h.page.waitForFunction(() => document.querySelector('#out-main .convkan-view')!.dataset.outputPosition === '3,1');
    await h.page.keyboard.press('ArrowUp');
    await h.page.waitForFunction(() => document.querySelector('#out-main .convkan-view')!.dataset.outputPosition === '2,1');
    const { layout } = await figure(h.page, 'main');
    assert.equal(centre(shapesNamed(layout, 'patch-column')[0]).x, 9);
  });

  test("the channel selector redraws the image and marks that channel's rows of the matrix", async () => {
    await h.page.selectOption('#out-main select[data-role=channel]', '1');
    await h.page.waitForFunction(() =>
      (document.querySelector('#out-main .js-plotly-plot') as any).layout.shapes.some(
        (s: any) => s.name === 'channel-rows' && s.y0 === 8.5,
      ),
    );
    const { data, layout } = await figure(h.page, 'main');
    for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) assert.equal(data[0].z[y][x], pixel(y, x, 1));
    const rows = shapesNamed(layout, 'channel-rows')[0];
    assert.deepEqual([rows.y0, rows.y1], [8.5, 17.5]);
    // The selected output position survives the redraw.
    assert.deepEqual(centre(shapesNamed(layout, 'output-cell')[0]), { x: 1, y: 2 });
  });

  test('dilation, asymmetric stride-1 windows and zero padding', async () => {
    const q = patchesFixture({ h: 6, w: 7, c: 1, k: 3, stride: 1, dilation: 2, pad: 2, mode: 'zeros' });
    await h.render('patches', 'dilated', q);
    await hoverAt(h.page, 'dilated', '2', 3, 1);
    await h.page.waitForFunction(() => document.querySelector('#out-dilated .convkan-view')!.dataset.outputPosition === '1,3');
    const { layout, data } = await figure(h.page, 'dilated');
    const taps = shapesNamed(layout, 'rf-tap').map(centre);
    assert.deepEqual(
      taps,
      [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => ({ x: 3 + 2 * j, y: 1 + 2 * i }))),
    );
    // Zero padding: the border values drawn are zeros.
    assert.deepEqual(data[0].z[0], new Array(11).fill(0));
    assert.equal(await h.page.locator('#out-dilated select[data-role=channel]').count(), 0, 'no channel selector for C = 1');
  });

  test('3-channel images in [0, 1] are shown as an RGB picture by default, channels on demand', async () => {
    const q = patchesFixture({ h: 8, w: 8, c: 3, unitRange: true });
    await h.render('patches', 'rgb', q);
    assert.equal(await h.page.locator('#out-rgb select[data-role=channel]').inputValue(), 'rgb');
    let { data, layout } = await figure(h.page, 'rgb');
    assert.equal(data[0].type, 'image');
    const at = (y: number, x: number, c: number) => q.padded.data[(y * 10 + x) * 3 + c];
    assert.deepEqual(
      data[0].z[0][3],
      [0, 1, 2].map((c) => at(0, 3, c) * 255),
    );
    assert.equal(shapesNamed(layout, 'channel-rows').length, 0);
    // The output colour is the patch mean over all 27 rows.
    const col0 = Array.from({ length: 27 }, (_, r) => q.patches.data[r * 16]);
    assert.ok(Math.abs(data[1].z[0][0] - col0.reduce((a, b) => a + b, 0) / 27) < 1e-12);
    await hoverAt(h.page, 'rgb', '', 7, 3); // padded (y 3, x 7) → output (1, 3)
    await h.page.waitForFunction(() => document.querySelector('#out-rgb .convkan-view')!.dataset.outputPosition === '1,3');
    await h.screenshot('rgb', 'patches-rgb-light');
    await h.page.selectOption('#out-rgb select[data-role=channel]', '2');
    await h.page.waitForFunction(() => (document.querySelector('#out-rgb .js-plotly-plot') as any).data[0].type === 'heatmap');
    ({ data } = await figure(h.page, 'rgb'));
    assert.equal(data[0].z[4][5], at(4, 5, 2));
  });

  test('draws the largest payload the kernel sends (64×64×3, 3×3, stride 1: 110,592 matrix values) and links it', async () => {
    const q = patchesFixture({ h: 64, w: 64, c: 3, k: 3, stride: 1, pad: 1, mode: 'replicate' });
    await h.render('patches', 'large', q);
    const { data } = await figure(h.page, 'large');
    assert.equal(data[2].z.length, 27);
    assert.equal(data[2].z[0].length, 64 * 64);
    assert.equal(data[2].customdata, undefined, 'no per-cell hover labels above 65,536 cells');
    await hoverAt(h.page, 'large', '2', 40, 30);
    await h.page.waitForFunction(() => document.querySelector('#out-large .convkan-view')!.dataset.outputPosition === '30,40');
    assert.equal(await h.page.locator('#out-large .convkan-view').getAttribute('data-column'), String(30 * 64 + 40));
  });

  test('follows the dark theme', async () => {
    await h.setTheme('dark');
    await waitForFontColor(h.page, 'main', THEMES.dark.vars['--vscode-editor-foreground']);
    const { layout } = await figure(h.page, 'main');
    assert.equal(layout.font.color, THEMES.dark.vars['--vscode-editor-foreground']);
    assert.equal(shapesNamed(layout, 'rf-tap')[0].line.color, THEMES.dark.vars['--vscode-charts-red']);
    await h.screenshot('main', 'patches-dark');
    await h.setTheme('light');
  });

  test('an inconsistent patch matrix is flagged, not silently drawn', async () => {
    const q = structuredClone(p);
    q.patches.data[3 * 16 + 7] += 1;
    await h.render('patches', 'inconsistent', q);
    const note = h.page.locator('#out-inconsistent .convkan-note');
    assert.equal(await note.getAttribute('data-consistent'), 'false');
    assert.match(await note.innerText(), /patches\[3, 7\] = .*, but it unfolds padded\[3, 6, 0\]/);
  });

  test('malformed and too-large payloads show a message', async () => {
    const bad = (f: (q: any) => void) => {
      const q = structuredClone(p) as any;
      f(q);
      return q;
    };
    const cases: Array<[string, unknown, string, RegExp]> = [
      ['bad-output', bad((q) => (q.output.height = 5)), 'malformed', /output\.height: expected 4 \(⌊\(10 − 3\) \/ 2⌋ \+ 1\), got 5/],
      ['bad-data', bad((q) => q.patches.data.pop()), 'malformed', /patches\.data: expected 288 entries, got 287/],
      [
        'bad-mode',
        bad((q) => (q.config.paddingMode = 'mirror')),
        'malformed',
        /config\.paddingMode: expected one of "zeros", "reflect", "replicate", "circular", got "mirror"/,
      ],
      [
        'bad-padded',
        bad((q) => ((q.padded.width = 9), (q.padded.data = q.padded.data.slice(0, 10 * 9 * 2)))),
        'malformed',
        /padded\.width: expected 10 \(image\.width 8 \+ padding 1 \+ 1\), got 9/,
      ],
      [
        'huge',
        { ...p, image: { height: 600, width: 600, channels: 1, data: [] } },
        'too-large',
        /360,000; this view draws at most 262,144/,
      ],
    ];
    for (const [id, q, kind, message] of cases) {
      await h.render('patches', id, q);
      const box = h.page.locator(`#out-${id} .convkan-error[data-error-kind=${kind}]`);
      assert.equal(await box.count(), 1, id);
      assert.match(await box.innerText(), message);
    }
  });

  test('dispose purges the figure', async () => {
    await h.dispose('patches', 'main');
    assert.equal(await h.page.evaluate(() => (document.querySelector('#out-main .convkan-plot') as any).data), undefined);
  });
});
