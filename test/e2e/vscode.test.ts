// End to end in a real VS Code: code-server 4.99.4 (VS Code 1.99.3) with the packaged .vsix,
// driven by headless Chromium. Opens examples/tour.ipynb, selects the "ConvKAN (TypeScript)"
// kernel, runs all cells, and checks that the splines, patches, timing, training and activations
// renderers drew inside the notebook's output webview, in the light and the dark theme; then
// saves the notebook and checks what VS Code wrote. Screenshots go to test-artifacts/e2e/.
// It must pass on a loaded machine: pickers are driven by keyboard, hovers are dismissed before
// clicks (workbench.ts), and each step waits for the state it needs rather than a fixed time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type ElementHandle, type Frame, type Page } from 'playwright-core';
import { CONTROLLER_LABEL } from '../../extension/ids';
import { MIME_ACTIVATIONS, MIME_PATCHES, MIME_SPLINES, MIME_TIMING, MIME_TRAINING } from '../../kernel/payloads';
import { CodeServer } from './codeServer';
import { packageVsix } from './packageVsix';
import {
  acceptQuickPick,
  clickButton,
  openNotebookFromExplorer,
  openWorkbench,
  pickColorTheme,
  queryAllFrames,
  runCommand,
  selectKernel,
  sleep,
  waitForCommand,
} from './workbench';

const root = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(root, 'test-artifacts', 'e2e');
const NOTEBOOK = 'tour.ipynb';
/** Interrupt, restart and crash: counter cell, endless loop, counter again, SIGKILL of the kernel. */
const CONTROL_NOTEBOOK = 'control.ipynb';
const VIEWS = ['splines', 'patches', 'timing', 'training', 'activations'] as const;
type View = (typeof VIEWS)[number];
const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' } as const;
type ThemeKind = keyof typeof THEMES;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** What a drawn view looks like from inside the webview (the renderers' stable selectors, docs/renderers.md). */
interface ViewProbe {
  view: View;
  state: string;
  bodyClass: string;
  traceRoles: string[];
  /** Distinct (ky,kx) of the splines' φ traces. */
  splinePositions: number;
  fontColor: string;
  status?: string;
}

/** The parts of a DOM element and plotly graph div the probe reads (the root tsconfig has no DOM lib). */
interface ProbedElement {
  dataset: Record<string, string | undefined>;
  querySelector(selector: string): PlotlyDiv | null;
  ownerDocument: { body: { className: string } };
}
interface PlotlyDiv {
  data?: Array<{ meta?: Record<string, unknown> }>;
  _fullLayout?: { font?: { color?: string } };
}

async function probeView(el: ElementHandle): Promise<ViewProbe> {
  return el.evaluate((node) => {
    const e = node as unknown as ProbedElement;
    const gd = e.querySelector('.js-plotly-plot');
    const traces = gd?.data ?? [];
    const roles = traces.map((t) => String(t.meta?.role ?? ''));
    const positions = new Set(traces.filter((t) => t.meta?.role === 'phi').map((t) => `${t.meta?.ky},${t.meta?.kx}`));
    return {
      view: e.dataset.view as View,
      state: e.dataset.state ?? '',
      bodyClass: e.ownerDocument.body.className,
      traceRoles: roles,
      splinePositions: positions.size,
      fontColor: gd?._fullLayout?.font?.color ?? '',
      status: e.dataset.status,
    };
  });
}

/** Relative luminance of a CSS colour in #rgb, #rrggbb or rgb()/rgba() form. */
function luminance(color: string): number {
  let rgb: number[] | undefined;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    rgb = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  }
  const fn = /^rgba?\(([^)]+)\)$/i.exec(color.trim());
  if (fn)
    rgb = fn[1]
      .split(',')
      .slice(0, 3)
      .map((v) => parseFloat(v));
  if (!rgb) throw new Error(`Cannot parse the colour "${color}" (expected #rrggbb or rgb())`);
  const [r, g, b] = rgb.map((v) => v / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The index of the notebook's focused cell (NaN while none is focused). */
async function focusedCell(page: Page): Promise<number> {
  const focused = page.locator('.notebook-editor >> visible=true').first().locator('.monaco-list-row.focused').first();
  return Number(await focused.getAttribute('data-index', { timeout: 5000 }).catch(() => NaN));
}

/** Waits until the notebook's focus is on cell `index`. */
async function waitForFocusedCell(page: Page, index: number, timeoutMs = 5000): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if ((await focusedCell(page)) === index) return true;
    await sleep(50);
  }
  return false;
}

/** The notebook editor's list, focused in command mode (keys move between cells). */
async function focusCellList(page: Page): Promise<void> {
  await runCommand(page, 'Notebook: Focus First Cell');
  await waitForFocusedCell(page, 0, 10_000);
}

/**
 * Walks through the notebook cell by cell (the notebook only renders outputs near the viewport)
 * and calls `visit` for every ConvKAN view it finds, with the view's element and frame.
 */
async function walkViews(page: Page, cells: number, visit: (view: View, el: ElementHandle, frame: Frame) => Promise<void>): Promise<void> {
  await focusCellList(page);
  for (let i = 0; i <= cells; i++) {
    for (const { el, frame } of await queryAllFrames(page, '.convkan-view')) {
      const view = (await el.getAttribute('data-view')) as View | null;
      if (view && (VIEWS as readonly string[]).includes(view)) await visit(view, el, frame);
    }
    const at = await focusedCell(page);
    await page.keyboard.press('ArrowDown');
    // The last cell keeps the focus; elsewhere the list has scrolled once the focus moved on.
    await waitForFocusedCell(page, at + 1, 2000);
  }
}

/** Screenshot of a view when it is entirely inside the notebook's visible area. */
async function shootIfVisible(page: Page, el: ElementHandle, file: string): Promise<boolean> {
  const box = await el.boundingBox();
  const editor = await page.locator('.notebook-editor >> visible=true').first().boundingBox();
  if (!box || !editor || box.height < 40) return false;
  if (box.y < editor.y || box.y + box.height > editor.y + editor.height) return false;
  await page.screenshot({ path: file, clip: { x: editor.x, y: box.y, width: editor.width, height: box.height } });
  return true;
}

type SavedNotebook = ReturnType<typeof readNotebook>;

/** Saves the active notebook until its file satisfies `ready` (outputs arrive over time). */
async function saveUntil(
  page: Page,
  file: string,
  what: string,
  ready: (nb: SavedNotebook) => boolean,
  timeoutMs = 60_000,
  eachRound?: () => Promise<void>,
): Promise<SavedNotebook> {
  // Save first: the file on disk may still hold outputs of an earlier run.
  for (const deadline = Date.now() + timeoutMs; ;) {
    await eachRound?.();
    await runCommand(page, 'File: Save');
    await sleep(700);
    const nb = readSavedNotebook(file);
    if (nb && ready(nb)) return nb;
    if (Date.now() > deadline) {
      const saved = nb ? JSON.stringify(nb.cells.map((c) => ({ n: c.execution_count, out: c.outputs }))) : 'a half-written file';
      throw new Error(`Waited ${timeoutMs} ms for ${what}; the saved notebook has: ${saved}; the kernel log ends:\n${kernelLogTail()}`);
    }
  }
}

/** The text of a cell's outputs: text/plain results, streams, and errors as "ename: evalue". */
function outputText(cell: SavedNotebook['cells'][number]): string {
  return (cell.outputs ?? [])
    .map((o) => {
      if (o.output_type === 'error') return `${o.ename}: ${o.evalue}`;
      if (o.output_type === 'stream') return ([] as string[]).concat(o.text as string).join('');
      return ([] as string[]).concat(((o.data as Record<string, unknown>)?.['text/plain'] as string) ?? '').join('');
    })
    .join('\n');
}

/** Moves the notebook's focus to cell `index`, checking where it landed (a key press can be lost). */
async function focusCell(page: Page, index: number): Promise<void> {
  await runCommand(page, 'Notebook: Focus First Cell');
  for (let tries = 0; tries < 40; tries++) {
    const at = await focusedCell(page);
    if (at === index) return;
    if (at < index) await page.keyboard.press('ArrowDown');
    else if (at > index) await page.keyboard.press('ArrowUp');
    if (!Number.isNaN(at)) await waitForFocusedCell(page, at < index ? at + 1 : at - 1, 2000);
  }
  throw new Error(`Could not move the notebook's focus to cell ${index}`);
}

/**
 * Focuses code cell `index` (0-based, the notebook has only code cells), clears its outputs (so
 * what the test then reads from the saved file is fresh) and runs it.
 */
async function executeCell(page: Page, index: number): Promise<void> {
  await focusCell(page, index);
  await runCommand(page, 'Notebook: Clear Cell Outputs');
  await runCommand(page, 'Notebook: Execute Cell');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The "ConvKAN Kernel" output channel as VS Code logged it under the user-data dir. */
function kernelLog(codeServerRoot: string): string {
  const logs = path.join(codeServerRoot, 'user-data', 'logs');
  const found: string[] = [];
  (function walk(dir: string) {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('ConvKAN Kernel.log')) found.push(p);
    }
  })(logs);
  return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

/** code-server's root of the running suite, for kernel log tails in failure messages. */
let codeServerRoot: string | undefined;

function kernelLogTail(): string {
  return codeServerRoot ? kernelLog(codeServerRoot).slice(-1500) : '(no log)';
}

type Notebook = { cells: Array<{ cell_type: string; execution_count?: number | null; outputs?: Array<Record<string, unknown>> }> };

function readNotebook(file: string): Notebook {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The notebook on disk, or undefined while VS Code is still writing it (a half-written file does not parse). */
function readSavedNotebook(file: string): Notebook | undefined {
  try {
    return readNotebook(file);
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

describe('ConvKAN extension in code-server (VS Code 1.99.3)', { timeout: 900_000 }, () => {
  let tmp: string;
  let server: CodeServer;
  let browser: BrowserContext;
  let page: Page;
  let codeCells = 0;
  let allCells = 0;
  const external: string[] = [];
  const probes: Record<ThemeKind, Partial<Record<View, ViewProbe>>> = { light: {}, dark: {} };

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-e2e-'));
    const vsix = path.join(tmp, 'convkan-notebook.vsix');
    packageVsix(root, vsix);
    server = await CodeServer.create(path.join(tmp, 'cs'), THEMES.light);
    codeServerRoot = server.root;
    const installed = server.installExtension(vsix);
    assert.match(installed, /convkan\.convkan-notebook@/, `the extension is installed: ${installed}`);
    fs.copyFileSync(path.join(root, 'examples', NOTEBOOK), path.join(server.workspace, NOTEBOOK));
    fs.copyFileSync(path.join(__dirname, 'fixtures', CONTROL_NOTEBOOK), path.join(server.workspace, CONTROL_NOTEBOOK));
    const nb = readNotebook(path.join(server.workspace, NOTEBOOK));
    allCells = nb.cells.length;
    codeCells = nb.cells.filter((c) => c.cell_type === 'code').length;
    await server.start();
    browser = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Offline: no host name resolves except 127.0.0.1, so anything fetched from elsewhere fails.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    // Webview resources (https://*.vscode-resource.vscode-cdn.net/…) are answered by the webview's
    // service worker from the local server; every other URL must be local.
    const local = /^(https?:\/\/127\.0\.0\.1[:/]|https:\/\/[^/]*\.vscode-resource\.vscode-cdn\.net\/|data:|blob:|vscode-|about:)/;
    browser.on('request', (r) => {
      if (!local.test(r.url())) external.push(r.url());
    });
    browser.on('requestfailed', (r) => {
      if (!/^https?:\/\/127\.0\.0\.1[:/]/.test(r.url())) external.push(`failed: ${r.url()} (${r.failure()?.errorText})`);
    });
  });

  after(async () => {
    if (page) await page.screenshot({ path: path.join(ARTIFACTS, 'final.png') }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (server && fs.existsSync(server.logFile)) fs.copyFileSync(server.logFile, path.join(ARTIFACTS, 'code-server.log'));
    if (tmp && !process.env.CONVKAN_E2E_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('runs the tour with the ConvKAN kernel and all five views draw (light theme)', async () => {
    await openWorkbench(page, server.url, server.workspace);
    await waitForCommand(page, 'ConvKAN: Show Kernel Log');
    await openNotebookFromExplorer(page, NOTEBOOK);
    await selectKernel(page, CONTROLLER_LABEL);
    await runCommand(page, 'Notebook: Run All');

    // The kernel reports its TensorFlow.js backend (kernel_info_reply's convkan label) in the status bar once it has loaded.
    await page
      .locator('.statusbar-item', { hasText: /TF\.js: (GPU|tensorflow|wasm|cpu)/ })
      .first()
      .waitFor({ timeout: 120_000 });

    // Walk the notebook until every view is drawn (the last cells need the training to finish).
    for (const deadline = Date.now() + 240_000; Date.now() < deadline;) {
      await walkViews(page, allCells, async (view, el) => {
        const probe = await probeView(el);
        if (probe.state === 'ready' && (view !== 'training' || probe.status === 'done')) probes.light[view] = probe;
      });
      if (VIEWS.every((v) => probes.light[v])) break;
      await sleep(2000);
    }
    assert.deepEqual(
      VIEWS.filter((v) => !probes.light[v]),
      [],
      'views that never finished drawing',
    );

    const { splines, patches, timing, training, activations } = probes.light as Record<View, ViewProbe>;
    assert.equal(splines.splinePositions, 9, 'one φ subplot per position of the 3×3 kernel');
    assert.ok(splines.traceRoles.includes('knots'), `splines show the knots: ${splines.traceRoles.join(',')}`);
    assert.deepEqual(patches.traceRoles.slice(0, 3), ['image', 'output', 'patches']);
    assert.ok(
      timing.traceRoles.filter((r) => r === 'median').length >= 1 && timing.traceRoles.includes('samples'),
      `timing: ${timing.traceRoles.join(',')}`,
    );
    assert.ok(training.traceRoles.includes('metric'), `training: ${training.traceRoles.join(',')}`);
    assert.equal(
      activations.traceRoles.filter((r) => r === 'patch').length,
      8,
      `the tour asks for the top 8 patches: ${activations.traceRoles.join(',')}`,
    );
    assert.equal(activations.traceRoles.filter((r) => r === 'map').length, 4, 'maps of the first 4 images');
    for (const p of Object.values(probes.light)) {
      assert.match(p!.bodyClass, /vscode-light/, `${p!.view} is drawn in the light webview`);
      assert.ok(luminance(p!.fontColor) < 0.5, `${p!.view}: light theme text is dark, got ${p!.fontColor}`);
    }
  });

  test('the views follow the dark theme; screenshots of each view in both themes', async () => {
    const shot = new Set<string>();
    const shootAll = async (theme: ThemeKind) =>
      walkViews(page, allCells, async (view, el) => {
        const key = `${theme}-${view}`;
        if (!shot.has(key) && (await shootIfVisible(page, el, path.join(ARTIFACTS, `${key}.png`)))) shot.add(key);
        if (theme === 'dark') {
          const probe = await probeView(el);
          if (/vscode-dark/.test(probe.bodyClass)) probes.dark[view] = probe;
        }
      });
    await shootAll('light');
    await pickColorTheme(page, THEMES.dark);
    await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 30_000 });
    // The output webview learns the theme asynchronously: wait until it has, then walk.
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
      const bodies = await queryAllFrames(page, 'body.vscode-dark .convkan-view');
      if (bodies.length) break;
    }
    await shootAll('dark');
    await page.screenshot({ path: path.join(ARTIFACTS, 'workbench-dark.png') });

    for (const view of VIEWS) {
      const dark = probes.dark[view];
      assert.ok(dark, `${view} seen in the dark webview`);
      assert.ok(luminance(dark.fontColor) > 0.5, `${view}: dark theme text is light, got ${dark.fontColor}`);
      assert.notEqual(dark.fontColor, probes.light[view]!.fontColor, `${view} changed colour with the theme`);
    }
    const missing = VIEWS.flatMap((v) => (['light', 'dark'] as const).map((t) => `${t}-${v}`)).filter((k) => !shot.has(k));
    assert.deepEqual(missing, [], 'views that never fit on screen for a screenshot');
  });

  test('the saved notebook holds every output as Jupyter writes it, without errors', async () => {
    await focusCellList(page);
    await runCommand(page, 'File: Save');
    const file = path.join(server.workspace, NOTEBOOK);
    let nb = readSavedNotebook(file);
    for (
      const deadline = Date.now() + 20_000;
      Date.now() < deadline && (!nb || nb.cells.some((c) => c.cell_type === 'code' && c.execution_count == null));
    ) {
      await sleep(500);
      nb = readSavedNotebook(file);
    }
    assert.ok(nb, 'the saved notebook is complete JSON');
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    assert.equal(code.length, codeCells);
    assert.deepEqual(
      code.map((c) => c.execution_count),
      code.map((_, i) => i + 1),
      'cells ran once each, in order',
    );
    const outputs = code.flatMap((c) => c.outputs ?? []);
    const errors = outputs.filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`);
    assert.deepEqual(errors, [], 'no cell failed');
    const typeErrors = outputs.filter(
      (o) => o.output_type === 'stream' && /error TS\d+/.test(String(([] as string[]).concat(o.text as string).join(''))),
    );
    assert.deepEqual(
      typeErrors.map((o) => o.text),
      [],
      'the packaged kernel type-checks the cells without errors',
    );
    const mimes = new Set(outputs.flatMap((o) => Object.keys((o.data as Record<string, unknown>) ?? {})));
    for (const mime of [MIME_SPLINES, MIME_PATCHES, MIME_TIMING, MIME_TRAINING, MIME_ACTIVATIONS, 'image/svg+xml', 'text/plain']) {
      assert.ok(mimes.has(mime), `saved outputs include ${mime}`);
    }
    const splines = outputs.find((o) => (o.data as Record<string, unknown> | undefined)?.[MIME_SPLINES]);
    assert.equal(
      (splines!.data as Record<string, { version: number }>)[MIME_SPLINES].version,
      1,
      'ConvKAN payloads are saved as JSON objects',
    );
    // The run record the extension writes from each execute_reply (kernel/protocol/runRecord.ts).
    const run = ((nb as { metadata?: { convkan?: { run?: Record<string, any> } } }).metadata?.convkan?.run ?? {}) as Record<string, any>;
    assert.equal(run.runner, 'vscode', `metadata.convkan.run: ${JSON.stringify(run)}`);
    assert.ok(Date.parse(run.started) <= Date.parse(run.finished));
    assert.ok(['wasm', 'cpu', 'tensorflow'].includes(run.environment?.backend), JSON.stringify(run.environment));
    assert.ok(
      run.environment.threads >= 1 &&
        /^\d+\.\d+/.test(run.environment.tfjs) &&
        /^v\d+/.test(run.environment.node) &&
        typeof run.environment.convkan === 'string',
    );
    for (const c of code)
      assert.ok(
        ((c as { metadata?: { convkan?: { seconds?: number } } }).metadata?.convkan?.seconds ?? 0) > 0,
        'every cell records its duration',
      );
  });

  test('nothing was fetched from outside 127.0.0.1 (plotly is bundled, no CDN)', () => {
    assert.deepEqual(external, []);
  });

  test('interrupt and restart from the notebook toolbar; a crash is shown and restarted from its message', async () => {
    const file = path.join(server.workspace, CONTROL_NOTEBOOK);
    if (!page.url().startsWith(server.url)) {
      await openWorkbench(page, server.url, server.workspace);
      await waitForCommand(page, 'ConvKAN: Show Kernel Log');
    }
    await runCommand(page, 'View: Close All Editors');
    await openNotebookFromExplorer(page, CONTROL_NOTEBOOK);
    await selectKernel(page, CONTROLLER_LABEL);

    await executeCell(page, 0);
    await saveUntil(page, file, 'the first cell', (nb) => outputText(nb.cells[0]) === '42');

    // Interrupt an endless loop with the toolbar's Interrupt button: variables survive.
    const runningBefore = (kernelLog(server.root).match(/\[control\.ipynb\] cell 2 running/g) ?? []).length;
    await executeCell(page, 1);
    const interrupt = page.locator('.notebook-editor .notebook-toolbar-container .action-item', { hasText: 'Interrupt' }).first();
    await interrupt.waitFor({ timeout: 30_000 });
    // The request has reached the kernel when the extension logs it (the log may lag: bounded wait).
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(200)) {
      if ((kernelLog(server.root).match(/\[control\.ipynb\] cell 2 running/g) ?? []).length > runningBefore) break;
    }
    // Interrupt until the cell has stopped: a click that lands before the loop starts is repeated, as a user would.
    let lastClick = 0;
    let nb = await saveUntil(
      page,
      file,
      'the interrupted loop',
      (n) => /KeyboardInterrupt/.test(outputText(n.cells[1])),
      60_000,
      async () => {
        if (Date.now() - lastClick < 10_000 || !(await interrupt.isVisible())) return;
        lastClick = Date.now();
        await clickButton(page, interrupt, 5000).catch(() => undefined);
      },
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'control-interrupted.png') });
    await executeCell(page, 2);
    // The execution count reaches the file with the cell's end, possibly after its output.
    nb = await saveUntil(
      page,
      file,
      'the counter after the interrupt',
      (n) => outputText(n.cells[2]) === '42' && n.cells[2].execution_count != null,
    );
    assert.deepEqual(
      nb.cells.slice(0, 3).map((c) => c.execution_count),
      [1, 2, 3],
    );

    // Restart from the toolbar's Restart Kernel button: a fresh kernel forgets `counter`.
    await clickButton(
      page,
      page.locator('.notebook-editor .notebook-toolbar-container .action-item', { hasText: 'Restart Kernel' }).first(),
    );
    await page
      .locator('.statusbar-item', { hasText: /TF\.js: (starting|backend pending|GPU|tensorflow|wasm|cpu)/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await executeCell(page, 2);
    nb = await saveUntil(
      page,
      file,
      'the counter after the restart',
      (n) => /counter/.test(outputText(n.cells[2])) && n.cells[2].execution_count === 1,
    );
    assert.match(outputText(nb.cells[2]), /ReferenceError|not defined|Cannot find name/, 'the restarted kernel has no `counter`');

    // A crash (SIGKILL) fails the running cell, shows a message with the kernel's log, and its
    // Restart Kernel button brings the kernel back without reopening the notebook.
    await executeCell(page, 3);
    const toast = page
      .locator('.notifications-toasts .notification-list-item', { hasText: 'ConvKAN kernel of control.ipynb stopped' })
      .first();
    await toast.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'control-crash.png') });
    await page.locator('.statusbar-item', { hasText: 'TF.js: stopped' }).first().waitFor({ timeout: 10_000 });
    nb = await saveUntil(page, file, 'the crashed cell', (n) => /KernelStopped/.test(outputText(n.cells[3])));
    assert.match(outputText(nb.cells[3]), /SIGKILL/, 'the cell names how the kernel ended');
    await clickButton(page, toast.locator('.monaco-button', { hasText: 'Restart Kernel' }).first());
    await executeCell(page, 0);
    nb = await saveUntil(
      page,
      file,
      'a cell after the crash restart',
      (n) => outputText(n.cells[0]) === '42' && n.cells[0].execution_count === 1,
    );
  });

  // A test-call name stays on one line under prettier, so this long one is a constant.
  const backendSwitchTest =
    'the status bar switches the backend (kernel restarts with it); New ConvKAN Notebook opens the starter; ' +
    'closing a notebook stops its kernel';
  test(backendSwitchTest, async () => {
    const file = path.join(server.workspace, CONTROL_NOTEBOOK);
    if (!page.url().startsWith(server.url)) {
      await openWorkbench(page, server.url, server.workspace);
      await waitForCommand(page, 'ConvKAN: Show Kernel Log');
    }
    const tab = page.locator('.tabs-container .tab', { hasText: CONTROL_NOTEBOOK });
    if (!(await tab.count())) {
      await openNotebookFromExplorer(page, CONTROL_NOTEBOOK);
      await selectKernel(page, CONTROLLER_LABEL);
    }
    await executeCell(page, 0);
    await saveUntil(page, file, 'a kernel for the backend switch', (nb) => outputText(nb.cells[0]) === '42');

    await clickButton(page, page.locator('.statusbar-item', { hasText: 'TF.js:' }).first());
    await acceptQuickPick(page, { has: page.locator('.label-name', { hasText: /^cpu$/ }) });
    // The new kernel loads TensorFlow.js in the background and reports the backend it was given.
    await page.locator('.statusbar-item', { hasText: 'TF.js: cpu' }).first().waitFor({ timeout: 90_000 });
    await executeCell(page, 0);
    // A fresh kernel's first cell also loads the TypeScript service: slow on a loaded machine.
    const nb = await saveUntil(
      page,
      file,
      'a cell on the cpu kernel',
      (n) => outputText(n.cells[0]) === '42' && n.cells[0].execution_count === 1,
      150_000,
    );
    assert.equal(outputText(nb.cells[0]), '42');

    await runCommand(page, 'ConvKAN: New ConvKAN Notebook');
    const starter = page.locator('.notebook-editor >> visible=true').first();
    await starter.locator('.code-cell-row', { hasText: 'ConvKAN2D' }).first().waitFor({ timeout: 30_000 });
    await starter.locator('.kernel-label, .action-item', { hasText: CONTROLLER_LABEL }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'starter-notebook.png') });

    // Closing a notebook shuts its kernel down (the pid comes from the ConvKAN Kernel output channel).
    const logText = () => kernelLog(server.root);
    const pids = [...logText().matchAll(/\[control\.ipynb\] kernel ready \(pid (\d+)\)/g)].map((m) => Number(m[1]));
    const pid = pids.at(-1);
    assert.ok(pid && isAlive(pid), `the control notebook's kernel runs (pids in the log: ${pids.join(', ')})`);
    await runCommand(page, 'View: Close All Editors');
    const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
    if (
      await dontSave.waitFor({ timeout: 3000 }).then(
        () => true,
        () => false,
      )
    )
      await clickButton(page, dontSave);
    for (const deadline = Date.now() + 60_000; isAlive(pid) && Date.now() < deadline;) await sleep(500);
    assert.equal(isAlive(pid), false, `kernel ${pid} still runs after its notebook was closed; log:\n${logText().slice(-2000)}`);
    assert.match(logText(), /\[control\.ipynb\] notebook closed or kernel deselected: shutting down/);
  });
});
