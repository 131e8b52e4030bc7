// The commands of package.json's `contributes.commands`: new notebook, switch backend, restart,
// interrupt, show log. Each acts on the active notebook's ConvKAN kernel.

import * as vscode from 'vscode';
import type { ConvkanController } from './controller';
import { BACKEND_CHOICES, describeBackendChoice } from '../kernel/convkan/backend/backendChoices';
import {
  COMMAND_INTERRUPT_KERNEL,
  COMMAND_NEW_NOTEBOOK,
  COMMAND_RESTART_KERNEL,
  COMMAND_SHOW_KERNEL_LOG,
  COMMAND_SWITCH_BACKEND,
  EXTENSION_ID,
  CONTROLLER_ID,
  NOTEBOOK_TYPE,
} from './ids';
import { readKernelSettings } from './settings';
import { STARTER_CELLS, STARTER_METADATA } from './templates/starterNotebook';

/** The notebook a command acts on: the one passed by a notebook toolbar, else the active one. */
function targetNotebook(arg: unknown): vscode.NotebookDocument | undefined {
  const fromToolbar = (arg as { notebookEditor?: { notebookUri?: vscode.Uri } } | undefined)?.notebookEditor?.notebookUri;
  if (fromToolbar) return vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === fromToolbar.toString());
  if (arg instanceof vscode.Uri) return vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === arg.toString());
  return vscode.window.activeNotebookEditor?.notebook;
}

export function registerCommands(controllers: ConvkanController, output: vscode.OutputChannel): vscode.Disposable[] {
  const needNotebook = (arg: unknown) => {
    const nb = targetNotebook(arg);
    if (!nb) void vscode.window.showWarningMessage('Open a notebook that uses the ConvKAN (TypeScript) kernel first.');
    return nb;
  };
  return [
    vscode.commands.registerCommand(COMMAND_NEW_NOTEBOOK, async () => {
      const data = new vscode.NotebookData(
        STARTER_CELLS.map(
          (c) =>
            new vscode.NotebookCellData(
              c.kind === 'code' ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup,
              c.source,
              c.kind === 'code' ? 'typescript' : 'markdown',
            ),
        ),
      );
      data.metadata = structuredClone(STARTER_METADATA);
      const notebook = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
      const editor = await vscode.window.showNotebookDocument(notebook);
      controllers.updateAffinity(notebook);
      await vscode.commands.executeCommand('notebook.selectKernel', { editor, id: CONTROLLER_ID, extension: EXTENSION_ID });
    }),

    vscode.commands.registerCommand(COMMAND_SWITCH_BACKEND, async (arg?: unknown) => {
      const notebook = needNotebook(arg);
      if (!notebook) return;
      const kernel = controllers.kernelFor(notebook);
      const current = kernel.backendOverride ?? readKernelSettings(notebook.uri).backend;
      const running = kernel.backend?.name;
      const pick = await vscode.window.showQuickPick(
        BACKEND_CHOICES.map((b) => ({
          label: b,
          description: [b === current ? 'selected' : '', b === running ? 'running' : ''].filter(Boolean).join(', '),
          detail: describeBackendChoice(b),
          backend: b,
        })),
        { title: 'TensorFlow.js backend for this notebook (restarts its kernel)', placeHolder: `now: ${running ?? current}` },
      );
      if (!pick) return;
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Restarting the ConvKAN kernel with backend ${pick.backend}…` },
        () => kernel.restart(pick.backend),
      );
    }),

    vscode.commands.registerCommand(COMMAND_RESTART_KERNEL, async (arg?: unknown) => {
      const notebook = needNotebook(arg);
      if (!notebook) return;
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Restarting the ConvKAN kernel…' }, () =>
        controllers.kernelFor(notebook).restart(),
      );
    }),

    vscode.commands.registerCommand(COMMAND_INTERRUPT_KERNEL, async (arg?: unknown) => {
      const notebook = needNotebook(arg);
      if (notebook) await controllers.get(notebook)?.interrupt();
    }),

    vscode.commands.registerCommand(COMMAND_SHOW_KERNEL_LOG, () => output.show(true)),
  ];
}
