// The HTML export: `convkan-notebook export nb.ipynb --html out.html` writes one offline HTML file
// in which every ConvKAN output is drawn by its interactive plotly renderer (found through
// package.json's contributes.notebookRenderer, loaded from inside the page), and the other
// outputs and markdown cells are rendered as HTML. Checked in Chromium with every request to
// anything but the page itself refused and recorded.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { exportNotebookHtml } from '../../kernel/cli/exportCli';
import { collectRendererModules, readRendererEntries } from '../../kernel/cli/html/rendererManifest';
import { markdownToHtml } from '../../kernel/cli/html/markdownHtml';
import { buildRenderers, launchChromium } from './harness';

declare const document: any;

const ROOT = path.resolve(__dirname, '..', '..');
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'renderers', `${name}.json`), 'utf8'));
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function exampleNotebook() {
  const view = (mime: string, payload: unknown) => ({
    output_type: 'display_data',
    metadata: {},
    data: {
      [mime]: payload,
      'image/svg+xml': ['<svg xmlns="http://www.w3.org/2000/svg" class="static-fallback" width="10" height="10"></svg>'],
      'text/plain': ['fallback text'],
    },
  });
  const code = (source: string, outputs: unknown[], n: number) => ({
    cell_type: 'code',
    source,
    metadata: {},
    outputs,
    execution_count: n,
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      convkan: {
        run: {
          runner: 'convkan-notebook run',
          started: '2026-01-01T00:00:00.000Z',
          seed: 3,
          parameters: { epochs: 2 },
          environment: { backend: 'wasm', threads: 2, tfjs: '4.22.0', convkan: '0.1.0', node: 'v20.0.0', seed: 3 },
        },
      },
    },
    cells: [
      {
        cell_type: 'markdown',
        source: ['# Tour <b>bold</b>\n', '\n', 'Some *text* with `code` and a [link](#x).\n', '\n', '- one\n', '- two'],
        metadata: {},
      },
      code('display.splines(layer)', [view('application/vnd.convkan.splines+json', fixture('splines'))], 1),
      code('display.patches(layer, x)', [view('application/vnd.convkan.patches+json', fixture('patches'))], 2),
      code('display.timing(t)', [view('application/vnd.convkan.timing+json', fixture('timing'))], 3),
      code('fit()', [view('application/vnd.convkan.training+json', fixture('training'))], 4),
      code(
        'console.log("<hello>")',
        [
          { output_type: 'stream', name: 'stdout', text: ['<hello>\n'] },
          { output_type: 'stream', name: 'stderr', text: ['warned\n'] },
          {
            output_type: 'execute_result',
            execution_count: 5,
            metadata: {},
            data: { 'text/html': ['<table class="html-out"><tr><td>1</td></tr></table>'], 'text/plain': ['t'] },
          },
          { output_type: 'display_data', metadata: {}, data: { 'image/png': PNG_1PX, 'text/plain': ['img'] } },
          {
            output_type: 'display_data',
            metadata: {},
            data: { 'image/svg+xml': ['<svg xmlns="http://www.w3.org/2000/svg" class="svg-out" width="4" height="4"></svg>'] },
          },
          { output_type: 'display_data', metadata: {}, data: { 'text/markdown': ['## md output'] } },
          {
            output_type: 'error',
            ename: 'TypeError',
            evalue: 'x is not a function',
            traceback: ['\u001b[31mTypeError\u001b[0m: x is not a function', '    at <cell 5>'],
          },
        ],
        5,
      ),
      code(
        '// a payload the renderer refuses keeps its fallback',
        [view('application/vnd.convkan.timing+json', { version: 1, unit: 'ms', entries: [] })],
        6,
      ),
    ],
  };
}

describe('HTML export', { timeout: 240_000 }, () => {
  let tmp: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-export-'));
    // A package root as `npm run build` leaves it: package.json and the built renderer bundles.
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(tmp, 'package.json'));
    await buildRenderers(path.join(tmp, 'dist', 'renderers'));
    fs.writeFileSync(path.join(tmp, 'nb.ipynb'), JSON.stringify(exampleNotebook()));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && pageErrors.push(m.text())));
  });
  after(async () => {
    await browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('renderers are discovered from contributes.notebookRenderer, with every chunk they import', () => {
    const entries = readRendererEntries(tmp);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(
      entries.map((e) => e.id),
      manifest.contributes.notebookRenderer.map((r: { id: string }) => r.id),
    );
    const { modules } = collectRendererModules(tmp, entries);
    for (const e of entries) assert.ok(modules[e.entrypoint], e.entrypoint);
    assert.ok(
      Object.keys(modules).some((m) => /^dist\/renderers\/chunks\/plotly/.test(m)),
      'the lazy plotly chunk travels too',
    );
    assert.ok(Object.values(modules).every((s) => !/sourceMappingURL/.test(s.slice(-200))));
    const broken = path.join(tmp, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(
      path.join(broken, 'package.json'),
      JSON.stringify({ contributes: { notebookRenderer: [{ id: 'x', entrypoint: './dist/x.js', mimeTypes: ['a/b'] }] } }),
    );
    assert.throws(
      () => collectRendererModules(broken),
      /renderer module dist\/x.js \(from package.json\) does not exist; run `npm run build` first/,
    );
  });

  test('the CLI writes one HTML file whose ConvKAN views are interactive plotly plots, offline', async () => {
    const out = path.join(tmp, 'out.html');
    const cli = path.join(ROOT, 'kernel', 'cli', 'notebookCli.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'export', path.join(tmp, 'nb.ipynb'), '--html', out], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /wrote .*out\.html: 5 interactive views/);
    // The CLI uses this package's own dist/; the page from our fresh build must be the same apart from chunk hashes.
    assert.equal(exportNotebookHtml(path.join(tmp, 'nb.ipynb'), out, tmp), 5);
    const html = fs.readFileSync(out, 'utf8');
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/, 'no external scripts or styles');

    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === pathToFileURL(out).href || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    page.on('request', (req) => {
      const url = req.url();
      if (url !== pathToFileURL(out).href && !url.startsWith('blob:') && !url.startsWith('data:')) requests.push(url);
    });
    await page.goto(pathToFileURL(out).href);
    await page.waitForFunction(() => document.body.dataset.convkanViews === 'done', undefined, { timeout: 120_000 });

    const views = await page.evaluate(() =>
      [...document.querySelectorAll('.convkan-export-view')].map((v: any) => ({
        mime: v.dataset.mime,
        state: v.dataset.state,
        error: v.dataset.error ?? '',
        plots: v.querySelectorAll('.view .js-plotly-plot').length,
        svgTraces: v.querySelectorAll('.view .main-svg').length,
        fallbackHidden: v.querySelector('.fallback').hidden,
      })),
    );
    assert.deepEqual(
      views.map((v: any) => [v.mime, v.state]),
      [
        ['application/vnd.convkan.splines+json', 'interactive'],
        ['application/vnd.convkan.patches+json', 'interactive'],
        ['application/vnd.convkan.timing+json', 'interactive'],
        ['application/vnd.convkan.training+json', 'interactive'],
        ['application/vnd.convkan.timing+json', 'fallback'],
      ],
      JSON.stringify(views),
    );
    for (const v of views.slice(0, 4)) {
      assert.ok(v.plots >= 1 && v.svgTraces >= 1, `${v.mime}: plotly drew (${JSON.stringify(v)})`);
      assert.equal(v.fallbackHidden, true);
    }
    assert.match(views[4].error, /malformed|entries/);
    assert.equal(
      await page.evaluate(() => document.querySelector('#convkan-view-5 .fallback .static-fallback') !== null),
      true,
      'a refused payload shows its SVG fallback',
    );

    const page2 = await page.evaluate(() => ({
      h1: document.querySelector('.markdown h1')?.textContent,
      li: document.querySelectorAll('.markdown li').length,
      stdout: document.querySelector('.stdout pre')?.textContent,
      stderr: document.querySelector('.stderr pre')?.textContent,
      table: document.querySelectorAll('table.html-out').length,
      png: (document.querySelector('img[src^="data:image/png;base64,"]') as any)?.naturalWidth,
      svg: document.querySelectorAll('svg.svg-out').length,
      md: document.querySelector('.output h2')?.textContent,
      error: document.querySelector('.error pre')?.textContent,
      record: document.querySelector('.run-record')?.textContent,
    }));
    assert.deepEqual(page2, {
      h1: 'Tour bold',
      li: 2,
      stdout: '<hello>\n',
      stderr: 'warned\n',
      table: 1,
      png: 1,
      svg: 1,
      md: 'md output',
      error: 'TypeError: x is not a function\n    at <cell 5>',
      record:
        'run 2026-01-01T00:00:00.000Z by convkan-notebook run · backend wasm (2 threads) · TF.js 4.22.0, ConvKAN 0.1.0, ' +
        'Node v20.0.0 · seed 3 · parameters {"epochs":2}',
    });
    assert.deepEqual(requests, [], 'no network requests');
    assert.deepEqual(pageErrors, []);
  });

  test('markdown: escaped text, fences, lists, emphasis, links', () => {
    assert.equal(markdownToHtml('a < b & *c*'), '<p>a &lt; b &amp; <em>c</em></p>');
    assert.equal(markdownToHtml('```ts\nconst x = 1 < 2;\n```'), '<pre><code class="language-ts">const x = 1 &lt; 2;</code></pre>');
    assert.equal(markdownToHtml('1. a\n2. **b**'), '<ol><li>a</li><li><strong>b</strong></li></ol>');
    assert.equal(markdownToHtml('see `a*b*c` [x](http://y)'), '<p>see <code>a*b*c</code> <a href="http://y">x</a></p>');
  });
});
