// Status bar item: the TensorFlow.js backend of the active notebook's ConvKAN kernel (or its
// state while it starts); clicking it switches the backend.

import * as vscode from 'vscode';
import type { ConvkanController } from './controller';
import { COMMAND_SWITCH_BACKEND } from './ids';
import type { KernelState } from './notebookKernel';

const STATE_TEXT: Record<KernelState, string> = {
  stopped: 'not started',
  starting: 'starting…',
  idle: 'backend pending',
  busy: 'backend pending',
  dead: 'stopped',
};

export class BackendStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('convkan.backend', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly controllers: ConvkanController) {
    this.item.name = 'ConvKAN Backend';
    this.item.command = COMMAND_SWITCH_BACKEND;
    this.disposables.push(
      this.item,
      controllers.onDidChange(() => this.update()),
      vscode.window.onDidChangeActiveNotebookEditor(() => this.update()),
    );
    this.update();
  }

  update(): void {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    if (!notebook || !this.controllers.isSelectedFor(notebook)) {
      this.item.hide();
      return;
    }
    const kernel = this.controllers.get(notebook);
    const backend = kernel?.backend;
    const text = backend ? backend.label : STATE_TEXT[kernel?.state ?? 'stopped'];
    this.item.text = `$(chip) TF.js: ${text}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**ConvKAN kernel** — ${kernel?.state ?? 'not started'}`);
    if (backend) tooltip.appendMarkdown(`\n\nTensorFlow.js backend: \`${backend.name}\`${backend.reason ? ` — ${backend.reason}` : ''}`);
    if (kernel?.backendOverride) tooltip.appendMarkdown(`\n\nChosen for this notebook: \`${kernel.backendOverride}\``);
    tooltip.appendMarkdown('\n\nClick to switch the backend (restarts the kernel).');
    this.item.tooltip = tooltip;
    this.item.backgroundColor = kernel?.state === 'dead' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
