// The filter-activations renderer in a real browser, fed by the kernel's own display code on real
// layers: one small image per top patch (the payload's pixels, largest activation first), the
// activation maps with the top positions marked, the filter and channel selectors, RGB patches,
// the dark theme, resize, error messages and dispose.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createDisplayApi, MIME_ACTIVATIONS, type ActivationsPayload } from '../../kernel/display';
import { convKan2d } from '../../kernel/convkan/layers/convKan2d';
import { RecordingSink } from '../unit/displayHelpers';
import { figure, type Harness, startHarness, THEMES, waitForFontColor, waitForRenders } from './harness';

// Callbacks passed to page.evaluate run in the browser; these module-local declarations type
// them without adding the DOM library to the node test build (tsconfig.json has no "dom").
declare const document: any;
declare const window: any;

function payloadOf(
  layer: tf.layers.Layer,
  images: tf.Tensor,
  opts: { k?: number; filters?: number[]; mapImages?: number },
): ActivationsPayload {
  const sink = new RecordingSink();
  createDisplayApi(() => sink).activations(layer, images, opts);
  return sink.last.bundle.data[MIME_ACTIVATIONS] as ActivationsPayload;
}

const roles = (data: any[]) => data.map((t) => t.meta?.role);

describe('activations renderer (chromium)', () => {
  let h: Harness;
  let gray: ActivationsPayload;
  let rgb: ActivationsPayload;
  before(async () => {
    await tf.setBackend('cpu');
    const layer = convKan2d({ inChannels: 1, filters: 3, kernelSize: 3, padding: 1, seed: 3, name: 'ck_1' });
    const images = tf.randomUniform([5, 8, 8, 1], 0, 1, 'float32', 2);
    gray = payloadOf(layer, images, { k: 6, mapImages: 3 });
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', name: 'rgbconv' });
    const photos = tf.randomUniform([4, 9, 9, 3], 0, 1, 'float32', 5);
    rgb = payloadOf(conv, photos, { k: 4, mapImages: 2 });
    tf.dispose([images, photos]);
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('draws the top patches (largest first, the payload’s pixels) and the maps with their top positions', async () => {
    await h.render('activations', 'main', gray);
    await waitForRenders(h.page, 'main', 1);
    assert.equal(await h.page.locator('#out-main .convkan-view[data-view=activations][data-state=ready] .js-plotly-plot').count(), 1);
    const { data, layout } = await figure(h.page, 'main');
    const f = gray.filters[0];
    const patches = data.filter((t) => t.meta.role === 'patch');
    assert.equal(patches.length, 6);
    patches.forEach((t, i) => {
      assert.equal(t.type, 'heatmap');
      assert.equal(t.meta.rank, i);
      assert.equal(t.meta.value, f.top[i].value);
      assert.deepEqual(t.z.flat(), f.top[i].data, `patch #${i + 1} shows its pixels`);
    });
    const maps = data.filter((t) => t.meta.role === 'map');
    assert.deepEqual(
      maps.map((t) => t.meta.image),
      [0, 1, 2],
    );
    maps.forEach((t, i) => assert.deepEqual(t.z.flat(), f.maps[i]));
    // every top patch that falls in a mapped image is marked on its map
    const marks = data
      .filter((t) => t.meta.role === 'top')
      .flatMap((t) => t.x.map((x: number, j: number) => `${t.meta.image}:${t.y[j]},${x}`));
    const want = f.top.filter((t) => t.image < 3).map((t) => `${t.image}:${t.oy},${t.ox}`);
    assert.deepEqual(marks.sort(), want.sort());
    assert.ok(layout.annotations.some((a: any) => a.text === `#1 · img ${f.top[0].image}<br>${f.top[0].value.toPrecision(3)}`));
    assert.equal(await h.page.locator('#out-main .convkan-view').getAttribute('data-filter'), '0');
    assert.equal(await h.page.locator('#out-main .convkan-title').innerText(), 'ck_1');
    assert.match(
      await h.page.locator('#out-main [data-role=readout]').innerText(),
      new RegExp(`Strongest: image ${f.top[0].image}, output \\(${f.top[0].oy}, ${f.top[0].ox}\\)`),
    );
    await h.screenshot('main', 'activations-light');
  });

  test('the filter selector redraws that filter in place', async () => {
    await h.page.selectOption('#out-main select[data-role=filter]', '2');
    await h.page.waitForFunction(() => document.querySelector('#out-main .convkan-view').dataset.filter === '2');
    const { data } = await figure(h.page, 'main');
    const patches = data.filter((t) => t.meta.role === 'patch');
    assert.deepEqual(
      patches.map((t) => t.meta.value),
      gray.filters[2].top.map((t) => t.value),
    );
    assert.equal(await h.page.locator('#out-main .js-plotly-plot').count(), 1);
  });

  test('3-channel patches in [0, 1] are RGB pictures; the channel selector shows one channel', async () => {
    await h.render('activations', 'rgb', rgb);
    await waitForRenders(h.page, 'rgb', 1);
    let { data } = await figure(h.page, 'rgb');
    const first = data.find((t) => t.meta.role === 'patch');
    assert.equal(first.type, 'image');
    const t0 = rgb.filters[0].top[0];
    assert.deepEqual(
      first.z[0][0],
      [0, 1, 2].map((c) => t0.data[c] * 255),
    );
    assert.ok(t0.y < 0 || rgb.filters[0].top.some((t) => t.y >= 0), 'fields know where they start');
    await h.page.selectOption('#out-rgb select[data-role=channel]', '1');
    await h.page.waitForFunction(() => document.querySelector('#out-rgb .convkan-view').dataset.channel === '1');
    ({ data } = await figure(h.page, 'rgb'));
    const one = data.find((t) => t.meta.role === 'patch');
    assert.equal(one.type, 'heatmap');
    assert.equal(one.z[0][0], t0.data[1]);
  });

  test('follows the dark theme and resizes with the output', async () => {
    await h.setTheme('dark');
    await waitForFontColor(h.page, 'main', THEMES.dark.vars['--vscode-editor-foreground']);
    await h.screenshot('main', 'activations-dark');
    const width = async () => h.page.evaluate(() => (document.querySelector('#out-main .js-plotly-plot') as any)._fullLayout.width);
    const before = await width();
    await h.page.evaluate(() => {
      (document.querySelector('#out-main') as any).style.width = '600px';
    });
    await h.page.waitForFunction((w) => (document.querySelector('#out-main .js-plotly-plot') as any)._fullLayout.width < w, before);
    await h.setTheme('light');
  });

  test('malformed and too-large payloads show a message naming the field', async () => {
    const cases: Array<[string, unknown, string, RegExp]> = [
      [
        'bad-y',
        { ...gray, filters: [{ ...gray.filters[0], top: [{ ...gray.filters[0].top[0], y: 99 }] }] },
        'malformed',
        /filters\[0\]\.top\[0\]: the field's corner \(99/,
      ],
      ['bad-field', { ...gray, field: { height: 4, width: 3 } }, 'malformed', /field.height: expected dilation·\(k − 1\) \+ 1 = 3, got 4/],
      ['bad-order', { ...gray, filters: [{ ...gray.filters[0], top: [...gray.filters[0].top].reverse() }] }, 'malformed', /largest first/],
      [
        'too-many',
        {
          ...gray,
          layer: { ...gray.layer, filters: 100 },
          filters: Array.from({ length: 65 }, (_, i) => ({ ...gray.filters[0], filter: i })),
        },
        'too-large',
        /The number of filters is 65; this view draws at most 64/,
      ],
      ['not-json', '{"version": 1,', 'malformed', /not valid JSON/],
    ];
    for (const [id, payload, kind, message] of cases) {
      await h.render('activations', id, payload);
      const box = h.page.locator(`#out-${id} .convkan-error[data-error-kind=${kind}]`);
      assert.match(await box.innerText(), message, id);
    }
  });

  test('dispose purges the figure and forgets the output', async () => {
    await h.dispose('activations', 'main');
    assert.equal(await h.page.evaluate(() => (document.querySelector('#out-main .js-plotly-plot') as any)?.data), undefined);
    const live = await h.page.evaluate(() => (window as any).harness.live('activations'));
    assert.ok(!live.includes('main'), `still live: ${live}`);
  });
});
