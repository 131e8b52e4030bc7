// Real-browser harness for the renderer tests: bundles renderers/ exactly as esbuild.mjs does (ESM,
// code splitting, plotly inside) into a temp folder, serves it with a tiny HTTP server on
// 127.0.0.1, and drives Debian's chromium through playwright-core. The test page activates a
// renderer with a fake RendererContext and calls renderOutputItem with an OutputItem built
// from a payload, like VS Code's notebook webview does.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

// Callbacks passed to page.evaluate run in the browser; these module-local declarations type
// them without adding the DOM library to the node test build (tsconfig.json has no "dom").
declare const document: any;
declare const window: any;
type HTMLElement = any;

const ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'renderers');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type ThemeName = 'light' | 'dark' | 'high-contrast';

/** The CSS variables VS Code sets on <html> in a notebook webview (a subset, with Default Light/Dark Modern values). */
export const THEMES: Record<ThemeName, { bodyClass: string; vars: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-editor-background': '#ffffff',
      '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editorWidget-border': '#c8c8c8',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-purple': '#652d90',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-focusBorder': '#005fb8',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editorWidget-border': '#454545',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-focusBorder': '#0078d4',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-editor-foreground': '#ffffff',
      '--vscode-editor-background': '#000000',
      '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-red': '#f48771',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-yellow': '#ffd700',
      '--vscode-focusBorder': '#f38518',
    },
  },
};

// Runs in the page. Kept as plain JS: it is served as is, not bundled.
const PAGE_SCRIPT = `
const renderers = {};
// Proof that the policy is in force for page scripts (page.evaluate itself is exempt from CSP).
window.evalBlocked = (() => { try { new Function('return 1')(); return false; } catch { return true; } })();
document.addEventListener('securitypolicyviolation', (e) => {
  if (!e.sourceFile.endsWith('/harness.js')) {
    console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' in ' + e.sourceFile);
  }
});
const encoder = new TextEncoder();
function outputItem(id, mime, text) {
  return { id, mime, metadata: {}, text: () => text, json: () => JSON.parse(text),
    data: () => encoder.encode(text), blob: () => new Blob([text], { type: mime }) };
}
const context = { setState() {}, getState() { return undefined; }, getRenderer: async () => undefined, workspace: { isTrusted: true } };
window.harness = {
  async renderer(name) {
    if (!renderers[name]) {
      const mod = await import('/renderers/' + name + '.js');
      renderers[name] = { api: await mod.activate(context), mime: mod.mimeType };
    }
    return renderers[name];
  },
  /** Renders text as an output item with id into the container #out-<id> (created on first use). */
  async render(name, id, text) {
    const r = await this.renderer(name);
    let el = document.getElementById('out-' + id);
    if (!el) {
      el = document.createElement('div');
      el.id = 'out-' + id;
      el.className = 'output';
      document.getElementById('outputs').append(el);
    }
    await r.api.renderOutputItem(outputItem(id, r.mime, text), el, new AbortController().signal);
  },
  async dispose(name, id) {
    const r = await this.renderer(name);
    r.api.disposeOutputItem(id);
  },
  live(name) { return renderers[name].api.liveOutputIds(); },
  setTheme(bodyClass, vars) {
    const root = document.documentElement;
    root.removeAttribute('style');
    for (const [k, v] of Object.entries(vars)) root.style.setProperty(k, v);
    document.body.className = bodyClass;
    document.body.dataset.vscodeThemeKind = bodyClass;
    document.body.style.background = vars['--vscode-editor-background'];
    document.body.style.color = vars['--vscode-editor-foreground'];
  },
};
`;

const PAGE_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>renderer harness</title>
<style>body { margin: 0; padding: 12px; } .output { width: 900px; margin: 0 0 16px; }</style></head>
<body><div id="outputs"></div><script type="module" src="/harness.js"></script></body></html>`;

export async function buildRenderers(outdir: string): Promise<void> {
  const dir = path.join(ROOT, 'renderers');
  const entryPoints = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'index.ts')))
    .map((d) => ({ in: path.join(dir, d.name, 'index.ts'), out: d.name }));
  await esbuild.build({
    entryPoints,
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'error',
    absWorkingDir: ROOT,
    // CONVKAN_RENDERERS_MINIFY=1 tests the bundles as `node esbuild.mjs --production` ships them.
    minify: process.env.CONVKAN_RENDERERS_MINIFY === '1',
  });
}

/**
 * Stricter than VS Code's notebook webview: no eval, no inline scripts, no network. If the
 * renderers draw under this policy, they draw under the webview's.
 */
export const STRICT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:";

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };

/** Debian's Chromium, headless, quiet (no sandbox, GPU, network chatter, sync or first-run page). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface Harness {
  page: Page;
  /** Renders `payload` (object, or raw text for malformed-JSON tests) as output `id` of renderer `name`. */
  render(name: string, id: string, payload: unknown): Promise<void>;
  dispose(name: string, id: string): Promise<void>;
  setTheme(theme: ThemeName): Promise<void>;
  /** Saves a screenshot of output `id` to test-artifacts/renderers/<file>.png. */
  screenshot(id: string, file: string): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-renderers-'));
  await buildRenderers(path.join(outdir, 'renderers'));
  fs.writeFileSync(path.join(outdir, 'harness.js'), PAGE_SCRIPT);
  fs.writeFileSync(path.join(outdir, 'index.html'), PAGE_HTML);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = path.normalize(path.join(outdir, url.pathname === '/' ? 'index.html' : url.pathname));
    if (!file.startsWith(outdir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': STRICT_CSP });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (err) {
    server.close();
    throw new Error(`Cannot start ${CHROMIUM} (run test/setup/system.sh once): ${(err as Error).message}`);
  }
  const page = await browser.newPage({ viewport: { width: 960, height: 900 }, deviceScaleFactor: 1 });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
  });
  // No network: everything the renderers need must come from the bundle.
  await page.route('**/*', (route) => (route.request().url().startsWith(`http://127.0.0.1:${port}/`) ? route.continue() : route.abort()));
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => 'harness' in window);

  const harness: Harness = {
    page,
    async render(name, id, payload) {
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      await page.evaluate(([n, i, t]) => (window as any).harness.render(n, i, t), [name, id, text] as const);
      if (pageErrors.length) throw new Error(`page error while rendering ${name}/${id}: ${pageErrors.join('; ')}`);
    },
    async dispose(name, id) {
      await page.evaluate(([n, i]) => (window as any).harness.dispose(n, i), [name, id] as const);
    },
    async setTheme(theme) {
      const t = THEMES[theme];
      await page.evaluate(([cls, vars]) => (window as any).harness.setTheme(cls, vars), [t.bodyClass, t.vars] as const);
    },
    async screenshot(id, file) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.locator(`#out-${id}`).screenshot({ path: path.join(ARTIFACTS, `${file}.png`) });
    },
    async close() {
      await browser.close();
      server.close();
      fs.rmSync(outdir, { recursive: true, force: true });
      // Errors after a render (during hover, theme switches, updates) fail the suite here.
      if (pageErrors.length) throw new Error(`errors in the page: ${pageErrors.join('; ')}`);
    },
  };
  await harness.setTheme('light');
  return harness;
}

/** Reads the figure plotly drew in output `id` (the n-th `.js-plotly-plot` inside it). */
export async function figure(page: Page, id: string, n = 0): Promise<{ data: any[]; layout: any }> {
  return page.evaluate(
    ([i, k]) => {
      const gd = document.querySelectorAll(`#out-${i} .js-plotly-plot`)[k] as any;
      if (!gd) throw new Error(`no plot #${k} in output ${i}`);
      // Strip functions/DOM refs so the figure crosses the page boundary as JSON.
      return JSON.parse(JSON.stringify({ data: gd.data, layout: gd.layout }));
    },
    [id, n] as const,
  );
}

/** Waits until output `id` finished `count` draws (data-render-count on its .convkan-view root). */
export async function waitForRenders(page: Page, id: string, count: number): Promise<void> {
  await page.waitForFunction(
    ([i, c]) => Number((document.querySelector(`#out-${i} .convkan-view`) as HTMLElement | null)?.dataset.renderCount ?? 0) >= c,
    [id, count] as const,
  );
}

export function fixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'renderers', `${name}.json`), 'utf8')) as T;
}

/** Waits until the figure of output `id` was redrawn with `color` as its font colour (theme switches redraw asynchronously). */
export async function waitForFontColor(page: Page, id: string, color: string): Promise<void> {
  await page.waitForFunction(([i, c]) => (document.querySelector(`#out-${i} .js-plotly-plot`) as any)?.layout?.font?.color === c, [
    id,
    color,
  ] as const);
}
