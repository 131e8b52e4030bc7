// The training renderer in a real browser: loss and metric subplots, in-place updates of the same
// plot element with growing traces (update_display_data), status line, theme, errors, dispose.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TrainingPayload } from '../../kernel/payloads';
import { trainingFixture } from '../fixtures/renderers/makeFixtures';
import { figure, fixture, type Harness, startHarness, THEMES, waitForFontColor, waitForRenders } from './harness';

// Callbacks passed to page.evaluate run in the browser; these module-local declarations type
// them without adding the DOM library to the node test build (tsconfig.json has no "dom").
declare const document: any;
declare const window: any;
declare const MutationObserver: any;
type HTMLElement = any;

describe('training renderer (chromium)', () => {
  let h: Harness;
  const p = fixture<TrainingPayload>('training'); // 12 of 20 epochs, loss/acc/val_loss/val_acc, running
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test("losses above, other metrics below, validation dashed in its series' colour", async () => {
    await h.render('training', 'fit', p);
    await waitForRenders(h.page, 'fit', 1);
    assert.equal(await h.page.locator('#out-fit .convkan-view[data-view=training][data-state=ready] .js-plotly-plot').count(), 1);
    const { data, layout } = await figure(h.page, 'fit');
    assert.deepEqual(
      data.map((t) => [t.meta.metric, t.yaxis]),
      [
        ['loss', 'y'],
        ['acc', 'y2'],
        ['val_loss', 'y'],
        ['val_acc', 'y2'],
      ],
    );
    assert.deepEqual(
      data[0].x,
      p.points.map((pt) => pt.step),
    );
    assert.deepEqual(
      data[2].y,
      p.points.map((pt) => pt.logs.val_loss),
    );
    assert.equal(data[2].line.color, data[0].line.color);
    assert.equal(data[2].line.dash, 'dash');
    assert.deepEqual(
      layout.xaxis.range.map((v: number) => +v.toFixed(2)),
      [0.81, 20.19],
      'x fixed to totalSteps so the axis does not jump',
    );
    const status = h.page.locator('#out-fit [data-role=status]');
    assert.equal(await status.getAttribute('data-status'), 'running');
    const last = p.points[11].logs;
    const fmt = (v: number) => v.toPrecision(4);
    assert.equal(
      await status.innerText(),
      `running · epoch 12 / 20 · loss ${fmt(last.loss)} · acc ${fmt(last.acc)} · val_loss ${fmt(last.val_loss)} · ` +
        `val_acc ${fmt(last.val_acc)}`,
    );
    await h.screenshot('fit', 'training-light');
  });

  test('update_display_data updates the same plot in place: traces grow, status changes', async () => {
    await h.page.evaluate(() => ((document.querySelector('#out-fit .js-plotly-plot') as any).__marker = 'same'));
    // Watch for the plot element being removed or re-created during the updates (that is flicker).
    await h.page.evaluate(() => {
      const w = window as any;
      w.removed = 0;
      new MutationObserver((ms: any[]) =>
        ms.forEach((m) =>
          m.removedNodes.forEach((n: any) => (n.classList?.contains('convkan-plot') || n.querySelector?.('.convkan-plot')) && w.removed++),
        ),
      ).observe(document.getElementById('out-fit')!, { childList: true, subtree: true });
    });
    for (let epochs = 13; epochs <= 20; epochs++) {
      await h.render('training', 'fit', trainingFixture(epochs, 20, epochs === 20 ? 'done' : 'running'));
    }
    await waitForRenders(h.page, 'fit', 9);
    const { data } = await figure(h.page, 'fit');
    assert.equal(data[0].x.length, 20);
    assert.equal(await h.page.evaluate(() => (document.querySelector('#out-fit .js-plotly-plot') as any).__marker), 'same');
    assert.equal(await h.page.evaluate(() => (window as any).removed), 0);
    assert.equal(await h.page.locator('#out-fit [data-role=status]').getAttribute('data-status'), 'done');
    assert.match(await h.page.locator('#out-fit [data-role=status]').innerText(), /^done · epoch 20 \/ 20 · loss /);
  });

  test('a burst of updates is coalesced: the latest payload wins', async () => {
    const renders = Number(await h.page.locator('#out-fit .convkan-view').getAttribute('data-render-count'));
    await h.page.evaluate(
      (payloads) => Promise.all(payloads.map((t) => (window as any).harness.render('training', 'fit', t))),
      [5, 6, 7, 8].map((n) => JSON.stringify(trainingFixture(n, 20))),
    );
    const { data } = await figure(h.page, 'fit');
    assert.equal(data[0].x.length, 8);
    const after = Number(await h.page.locator('#out-fit .convkan-view').getAttribute('data-render-count'));
    assert.ok(after - renders < 4, `drew ${after - renders} times for 4 updates`);
  });

  test('per-batch curves: validation metrics only on epoch-end points still draw as lines', async () => {
    const q = trainingFixture(6, 10, 'stopped') as any;
    q.stepUnit = 'batch';
    q.points = q.points.map((pt: any, i: number) => (i % 3 === 2 ? pt : { step: pt.step, logs: { loss: pt.logs.loss, acc: pt.logs.acc } }));
    q.points[1].logs.acc = null; // a NaN that went through JSON: treated as missing
    await h.render('training', 'batches', q);
    const { data } = await figure(h.page, 'batches');
    const byName = Object.fromEntries(data.map((t) => [t.meta.metric, t]));
    assert.deepEqual(byName.loss.x, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(byName.val_loss.x, [3, 6]);
    assert.deepEqual(byName.val_loss.y, [q.points[2].logs.val_loss, q.points[5].logs.val_loss]);
    assert.deepEqual(byName.acc.x, [1, 3, 4, 5, 6]);
    assert.match(byName.val_loss.mode, /lines/);
    assert.equal(await h.page.locator('#out-batches [data-role=status]').getAttribute('data-status'), 'stopped');
    assert.match(await h.page.locator('#out-batches [data-role=status]').innerText(), /^stopped · batch 6 \/ 10 · loss /);
    await h.page.check('#out-batches input[data-role=log-loss]');
    await h.page.waitForFunction(() => (document.querySelector('#out-batches .js-plotly-plot') as any).layout.yaxis.type === 'log');
  });

  test('metrics without a loss use a single plot', async () => {
    await h.render('training', 'acc', {
      ...trainingFixture(4),
      metrics: ['acc'],
      points: trainingFixture(4).points.map((pt) => ({ step: pt.step, logs: { acc: pt.logs.acc } })),
    });
    const { data, layout } = await figure(h.page, 'acc');
    assert.equal(data.length, 1);
    assert.equal(layout.yaxis2, undefined);
    assert.equal(await h.page.locator('#out-acc input[data-role=log-loss]').isVisible(), false);
  });

  test('resizes with the editor: a narrower output re-lays the plot out', async () => {
    const width = () => h.page.evaluate(() => (document.querySelector('#out-fit .js-plotly-plot') as any)._fullLayout.width);
    assert.equal(await width(), 900);
    await h.page.evaluate(() => (document.getElementById('out-fit')!.style.width = '600px'));
    await h.page.waitForFunction(() => (document.querySelector('#out-fit .js-plotly-plot') as any)._fullLayout.width === 600);
    await h.page.evaluate(() => (document.getElementById('out-fit')!.style.width = ''));
    await h.page.waitForFunction(() => (document.querySelector('#out-fit .js-plotly-plot') as any)._fullLayout.width === 900);
  });

  test('follows the dark theme', async () => {
    await h.setTheme('dark');
    await waitForFontColor(h.page, 'fit', THEMES.dark.vars['--vscode-editor-foreground']);
    const { layout, data } = await figure(h.page, 'fit');
    assert.equal(layout.font.color, THEMES.dark.vars['--vscode-editor-foreground']);
    assert.equal(data[0].line.color, THEMES.dark.vars['--vscode-charts-blue']);
    assert.equal(data[1].line.color, THEMES.dark.vars['--vscode-charts-orange']);
    await h.screenshot('fit', 'training-dark');
    await h.setTheme('light');
  });

  test('malformed payloads show a message', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['bad-step', { ...p, points: [p.points[1], p.points[0]] }, /points\[1\]\.step: expected steps to increase, but 1 follows 2/],
      [
        'bad-metric',
        { ...p, points: [{ step: 1, logs: { lr: 0.1 } }] },
        /points\[0\]\.logs\.lr: "lr" is not one of metrics \[loss, acc, val_loss, val_acc\]/,
      ],
      ['bad-status', { ...p, status: 'paused' }, /status: expected one of "running", "done", "stopped", "error", got "paused"/],
    ];
    for (const [id, q, message] of cases) {
      await h.render('training', id, q);
      assert.match(await h.page.locator(`#out-${id} .convkan-error[data-error-kind=malformed]`).innerText(), message);
    }
  });

  test('dispose purges the plot; disposing everything forgets every output', async () => {
    await h.dispose('training', 'fit');
    assert.equal(await h.page.evaluate(() => (document.querySelector('#out-fit .convkan-plot') as any).data), undefined);
    await h.page.evaluate(() => (window as any).harness.renderer('training').then((r: any) => r.api.disposeOutputItem()));
    assert.deepEqual(await h.page.evaluate(() => (window as any).harness.live('training')), []);
  });

  test('metric names with markup are shown literally (axis title, legend), never as a link or bold', async () => {
    const name = '<b>acc</b><a href="https://example.invalid">x</a>';
    const q = trainingFixture(5, 20, 'running');
    q.metrics = q.metrics.filter((m) => !/loss/.test(m)).map((m) => m.replace('acc', name));
    for (const pt of q.points)
      pt.logs = Object.fromEntries(
        Object.entries(pt.logs)
          .filter(([k]) => !/loss/.test(k))
          .map(([k, v]) => [k.replace('acc', name), v]),
      );
    await h.render('training', 'markup', q);
    await waitForRenders(h.page, 'markup', 1);
    const title = await h.page.locator('#out-markup .g-ytitle').textContent();
    assert.equal(title, `${name}, val_${name}`);
    const legend = await h.page.locator('#out-markup .legendtext').allTextContents();
    assert.ok(legend.includes(name), `legend: ${legend.join(' | ')}`);
    assert.equal(await h.page.locator('#out-markup svg a').count(), 0, 'no link drawn');
  });
});
