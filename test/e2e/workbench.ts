// Driving the VS Code workbench in the browser with playwright-core: commands through the
// command palette, the explorer, and finding renderer output inside the notebook's webview
// (iframe.webview > iframe#active-frame, where each renderer draws into the output element).

import type { ElementHandle, Frame, Page } from 'playwright-core';

export async function openWorkbench(page: Page, url: string, folder: string): Promise<void> {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
}

/** Runs a command by its palette label (e.g. "Notebook: Run All"). */
export async function runCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`>${label}`);
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** Waits until a contributed command shows in the palette: the extension registry is loaded. */
export async function waitForCommand(page: Page, label: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill(`>${label}`);
    const found = await page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label })
      .first()
      .waitFor({ timeout: 3000 })
      .then(() => true, () => false);
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
  if (await notebook.waitFor({ timeout: 20_000 }).then(() => true, () => false)) return;
  await runCommand(page, 'View: Reopen Editor With...');
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: editorLabel }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await notebook.waitFor({ timeout: 60_000 });
}

export async function openFileFromExplorer(page: Page, name: string): Promise<void> {
  const item = page.getByRole('treeitem', { name });
  await item.waitFor({ timeout: 60_000 });
  await item.dblclick();
}

/** "Notebook: Select Notebook Kernel", then the controller with this label. */
export async function selectKernel(page: Page, label: string): Promise<void> {
  await runCommand(page, 'Notebook: Select Notebook Kernel');
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page.locator('.notebook-editor .kernel-label, .notebook-editor', { hasText: label }).first().waitFor({ timeout: 30_000 });
}

/** "Preferences: Color Theme", then the theme with this label (as a user switches themes). */
export async function pickColorTheme(page: Page, label: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(label);
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
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
