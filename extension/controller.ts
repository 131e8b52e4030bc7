// The "ConvKAN (TypeScript)" NotebookController for Jupyter notebooks (.ipynb): one
// NotebookKernel per notebook, created on first run, shut down when the notebook closes or
// another kernel is selected for it.

import * as vscode from 'vscode';
import { CONTROLLER_ID, CONTROLLER_LABEL, KERNELSPEC_NAME, NOTEBOOK_TYPE } from './ids';
import type { KernelExit } from './kernelProcess';
import { NotebookKernel, type NotebookKernelHost } from './notebookKernel';

/** True for notebooks written for this kernel (kernelspec "convkan" or TypeScript language_info). */
export function isConvkanNotebook(notebook: vscode.NotebookDocument): boolean {
  const meta = (notebook.metadata as { metadata?: Record<string, unknown> } | undefined)?.metadata ?? {};
  const kernelspec = meta.kernelspec as { name?: string; language?: string } | undefined;
  const language = (meta.language_info as { name?: string } | undefined)?.name;
  return kernelspec?.name === KERNELSPEC_NAME || kernelspec?.language === 'typescript' || language === 'typescript';
}

export class ConvkanController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly kernels = new Map<vscode.NotebookDocument, NotebookKernel>();
  private readonly selected = new Set<vscode.NotebookDocument>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<NotebookKernel | undefined>();
  /** Fires when a kernel starts, stops, changes state or reports its backend, and when selection changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly kernelMain: string,
    private readonly log: (line: string) => void,
    private readonly showLog: () => void,
  ) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, CONTROLLER_LABEL);
    this.controller.supportedLanguages = ['typescript', 'javascript'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'TensorFlow.js + ConvKAN';
    this.controller.detail = 'TypeScript cells with tf and the ConvKAN layers, inline views of splines, patches, timings and training';
    this.controller.executeHandler = async (cells, notebook) => {
      // VS Code only runs cells here when this controller is the notebook's kernel.
      this.selected.add(notebook);
      await this.kernelFor(notebook).run(cells);
    };
    this.controller.interruptHandler = (notebook) => this.kernels.get(notebook)?.interrupt();

    this.disposables.push(
      this.controller,
      this.changed,
      this.controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
        if (selected) this.selected.add(notebook);
        else {
          this.selected.delete(notebook);
          this.close(notebook); // another kernel took over: free this one's memory
        }
        this.changed.fire(this.kernels.get(notebook));
      }),
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.updateAffinity(nb)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        this.selected.delete(nb);
        this.close(nb);
      }),
      // VS Code may keep a document open for minutes after its last editor closed; for the user
      // the notebook is closed with its last tab, so its kernel goes then.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          if (tab.input instanceof vscode.TabInputNotebook) this.closeIfNoTab(tab.input.uri);
        }
      }),
    );
    vscode.workspace.notebookDocuments.forEach((nb) => this.updateAffinity(nb));
  }

  /** The kernel of a notebook, if it has been started. */
  get(notebook: vscode.NotebookDocument): NotebookKernel | undefined {
    return this.kernels.get(notebook);
  }

  isSelectedFor(notebook: vscode.NotebookDocument): boolean {
    return this.selected.has(notebook);
  }

  kernelFor(notebook: vscode.NotebookDocument): NotebookKernel {
    let kernel = this.kernels.get(notebook);
    if (!kernel) {
      const host: NotebookKernelHost = {
        controller: this.controller,
        kernelMain: this.kernelMain,
        log: this.log,
        onCrash: (k, exit) => void this.reportCrash(k, exit),
      };
      kernel = new NotebookKernel(notebook, host);
      kernel.onDidChange((k) => this.changed.fire(k));
      this.kernels.set(notebook, kernel);
    }
    return kernel;
  }

  updateAffinity(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    if (isConvkanNotebook(notebook)) this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
  }

  private closeIfNoTab(uri: vscode.Uri): void {
    const key = uri.toString();
    const shown = vscode.window.tabGroups.all.some((g) =>
      g.tabs.some((t) => t.input instanceof vscode.TabInputNotebook && t.input.uri.toString() === key),
    );
    if (shown) return;
    const notebook = [...this.kernels.keys()].find((n) => n.uri.toString() === key);
    if (notebook) this.close(notebook);
  }

  private close(notebook: vscode.NotebookDocument): void {
    const kernel = this.kernels.get(notebook);
    if (!kernel) return;
    this.kernels.delete(notebook);
    this.log(`[${kernel.name}] notebook closed or kernel deselected: shutting down`);
    kernel.dispose();
    this.changed.fire(undefined);
  }

  private async reportCrash(kernel: NotebookKernel, exit: KernelExit): Promise<void> {
    const RESTART = 'Restart Kernel';
    const SHOW_LOG = 'Show Kernel Log';
    const tail = exit.logTail
      .filter((l) => l.trim())
      .slice(-3)
      .join(' ⏎ ');
    const choice = await vscode.window.showErrorMessage(
      `The ConvKAN kernel of ${kernel.name} stopped (exit ${exit.code}).${tail ? ` Last output: ${tail}` : ''}`,
      RESTART,
      SHOW_LOG,
    );
    if (choice === SHOW_LOG) this.showLog();
    if (choice === RESTART) await kernel.restart();
  }

  /** Shuts every kernel down and waits for it (VS Code awaits deactivate for a few seconds). */
  async shutdownAll(): Promise<void> {
    await Promise.all([...this.kernels.values()].map((k) => k.shutdown().catch(() => undefined)));
  }

  dispose(): void {
    for (const kernel of this.kernels.values()) kernel.dispose();
    this.kernels.clear();
    for (const d of this.disposables) d.dispose();
  }
}
