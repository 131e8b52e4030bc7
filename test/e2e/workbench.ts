// Driving the VS Code workbench in the browser with playwright-core: commands through the
// command palette, the explorer, and finding renderer output inside the notebook's webview
// (iframe.webview > iframe#active-frame, where each renderer draws into the output element).
// Robust on a loaded machine: list entries (palette, kernel and theme pickers) are chosen with the
// keyboard, so a hover that opens late cannot cover them; buttons are clicked after hovers are
// dismissed; every step waits for the state it needs instead of sleeping.

import type { ElementHandle, Frame, Locator, Page } from 'playwright-core';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;
/** VS Code's hover widgets: editor hovers, workbench (status bar, toolbar, tree) hovers and tooltips. */
const HOVERS = '.monaco-hover:not(.hidden), .workbench-hover-container, .monaco-hover-content';

/** Moves the mouse off everything and waits until no hover is shown. */
export async function dismissHovers(page: Page): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  // The bottom-right of the editor area: no items there, so nothing opens a new hover.
  await page.mouse.move(size.width - 4, size.height - 40);
  const hover = page.locator(HOVERS).first();
  if (await hover.isVisible().catch(() => false)) {
    await page.keyboard.press('Escape');
    await hover.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  }
}

/** Clicks a workbench button; if something (a late hover) still covers it, dismisses that and clicks again. */
export async function clickButton(page: Page, target: Locator, timeoutMs = 30_000): Promise<void> {
  await target.waitFor({ timeout: timeoutMs });
  await dismissHovers(page);
  try {
    await target.click({ timeout: 5000 });
  } catch {
    await dismissHovers(page);
    await target.click({ timeout: 5000, trial: true }).then(
      () => target.click({ timeout: 5000 }),
      () => target.dispatchEvent('click'), // still covered: deliver the click to the button itself
    );
  }
}

/**
 * Accepts the entry of the open quick input (palette, picker) whose text has `label` (or that
 * contains the `has` locator): the first
 * such row, as a click would pick, but moved to with the arrow keys and accepted with Enter.
 */
export async function acceptQuickPick(page: Page, label: string | RegExp | { has: Locator }, timeoutMs = 15_000): Promise<void> {
  const row = (
    typeof label === 'object' && 'has' in label ? page.locator(QUICK_ROWS).filter(label) : page.locator(QUICK_ROWS, { hasText: label })
  ).first();
  await row.waitFor({ timeout: timeoutMs });
  const focused = page.locator(`${QUICK_ROWS}.focused`).first();
  for (let tries = 0; tries < 60; tries++) {
    const target = Number(await row.getAttribute('data-index', { timeout: timeoutMs }));
    const at = Number(await focused.getAttribute('data-index', { timeout: 1000 }).catch(() => NaN));
    if (at === target) {
      await page.keyboard.press('Enter');
      // Accepted once the entry is gone: the input closed, or the next picker replaced the list.
      await row.waitFor({ state: 'hidden', timeout: timeoutMs });
      return;
    }
    await page.keyboard.press(Number.isNaN(at) || at < target ? 'ArrowDown' : 'ArrowUp');
    await focused.waitFor({ timeout: 1000 }).catch(() => undefined);
  }
  throw new Error(`Could not move the quick pick's focus to ${String(label)}`);
}

/** Opens the command palette with its input empty and focused. */
async function openPalette(page: Page): Promise<Locator> {
  await dismissHovers(page);
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.waitFor({ timeout: 15_000 });
  return input;
}

export async function openWorkbench(page: Page, url: string, folder: string): Promise<void> {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
}

/** Runs a command by its palette label (e.g. "Notebook: Run All"). */
export async function runCommand(page: Page, label: string): Promise<void> {
  const input = await openPalette(page);
  await input.fill(`>${label}`);
  await acceptQuickPick(page, label);
}

/** Waits until a contributed command shows in the palette: the extension registry is loaded. */
export async function waitForCommand(page: Page, label: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const input = await openPalette(page);
    await input.fill(`>${label}`);
    const found = await page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label })
      .first()
      .waitFor({ timeout: 3000 })
      .then(
        () => true,
        () => false,
      );
    await page.keyboard.press('Escape');
    if (found) return;
    if (Date.now() > deadline) throw new Error(`The command "${label}" did not appear in the command palette within ${timeoutMs} ms`);
    await sleep(1000);
  }
}

/**
 * Opens a notebook from the explorer in the notebook editor. A file opened while the workbench
 * still registers extensions can land in the text editor; then it is reopened as a notebook.
 */
export async function openNotebookFromExplorer(page: Page, name: string, editorLabel = 'Jupyter Notebook'): Promise<void> {
  await openFileFromExplorer(page, name);
  const notebook = page.locator('.notebook-editor .code-cell-row').first();
  if (
    await notebook.waitFor({ timeout: 20_000 }).then(
      () => true,
      () => false,
    )
  )
    return;
  await runCommand(page, 'View: Reopen Editor With...');
  await acceptQuickPick(page, editorLabel);
  await notebook.waitFor({ timeout: 60_000 });
}

export async function openFileFromExplorer(page: Page, name: string): Promise<void> {
  const item = page.getByRole('treeitem', { name });
  await item.waitFor({ timeout: 60_000 });
  await dismissHovers(page);
  await item.dblclick();
}

/** "Notebook: Select Notebook Kernel", then the controller with this label. */
export async function selectKernel(page: Page, label: string): Promise<void> {
  await runCommand(page, 'Notebook: Select Notebook Kernel');
  await acceptQuickPick(page, label, 30_000);
  await page.locator('.notebook-editor .kernel-label, .notebook-editor', { hasText: label }).first().waitFor({ timeout: 30_000 });
}

/** "Preferences: Color Theme", then the theme with this label (as a user switches themes). */
export async function pickColorTheme(page: Page, label: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.fill(label);
  await acceptQuickPick(page, label);
}

/** Every element matching `selector` in any frame of the page. */
export async function queryAllFrames(page: Page, selector: string): Promise<Array<{ frame: Frame; el: ElementHandle }>> {
  const found: Array<{ frame: Frame; el: ElementHandle }> = [];
  for (const frame of page.frames()) {
    try {
      for (const el of await frame.$$(selector)) found.push({ frame, el });
    } catch {
      /* frame navigated away meanwhile */
    }
  }
  return found;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
