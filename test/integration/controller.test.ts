// The extension inside a real VS Code (extension host, @vscode/test-cli): opens a fixture
// notebook, selects the ConvKAN controller, runs the cells through the real kernel and checks the
// outputs VS Code holds; then the commands (restart, backend status) and closing the notebook.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  COMMAND_INTERRUPT_KERNEL,
  COMMAND_NEW_NOTEBOOK,
  COMMAND_RESTART_KERNEL,
  COMMAND_SHOW_KERNEL_LOG,
  COMMAND_SWITCH_BACKEND,
  CONTROLLER_ID,
  EXTENSION_ID,
} from '../../extension/ids';
import { MIME_VSCODE_ERROR, MIME_VSCODE_STDERR, MIME_VSCODE_STDOUT } from '../../extension/jupyterOutputs';

const decoder = new TextDecoder();

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test runs with a workspace folder (see .vscode-test.mjs)');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

async function openWithConvkan(name: string): Promise<vscode.NotebookEditor> {
  const notebook = await vscode.workspace.openNotebookDocument(workspaceFile(name));
  const editor = await vscode.window.showNotebookDocument(notebook);
  await vscode.commands.executeCommand('notebook.selectKernel', { editor, id: CONTROLLER_ID, extension: EXTENSION_ID });
  return editor;
}

/** Resolves when every given cell has finished an execution (executionSummary.success set). */
function whenExecuted(cells: readonly vscode.NotebookCell[], timeoutMs = 90_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => cells.every((c) => c.executionSummary?.success !== undefined);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(
        new Error(
          `cells did not finish within ${timeoutMs} ms: ${cells.map((c) => `${c.index}:${c.executionSummary?.success}`).join(', ')}`,
        ),
      );
    }, timeoutMs);
    const sub = vscode.workspace.onDidChangeNotebookDocument(() => {
      if (!done()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
    if (done()) {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
}

function texts(cell: vscode.NotebookCell, mime: string): string[] {
  return cell.outputs.flatMap((o) => o.items.filter((i) => i.mime === mime).map((i) => decoder.decode(i.data)));
}

suite('ConvKAN notebook controller', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
    await extension.activate();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      COMMAND_NEW_NOTEBOOK,
      COMMAND_SWITCH_BACKEND,
      COMMAND_RESTART_KERNEL,
      COMMAND_INTERRUPT_KERNEL,
      COMMAND_SHOW_KERNEL_LOG,
    ]) {
      assert.ok(commands.includes(id), `command ${id} is registered`);
    }
  });

  test('runs the cells in order: result, streams in order, display updated in place, error with traceback', async () => {
    const editor = await openWithConvkan('cells.ipynb');
    const cells = editor.notebook.getCells();
    await vscode.commands.executeCommand('notebook.execute');
    await whenExecuted(cells);

    const [result, streams, display, failing] = cells;
    assert.equal(result.executionSummary?.success, true);
    assert.deepEqual(texts(result, 'text/plain'), ['42']);
    assert.deepEqual(
      cells.map((c) => c.executionSummary?.executionOrder),
      [1, 2, 3, 4],
      'cells ran once each, in notebook order',
    );

    assert.deepEqual(
      streams.outputs.map((o) => o.items.map((i) => `${i.mime === MIME_VSCODE_STDERR ? 'err' : 'out'}:${decoder.decode(i.data)}`).join('')),
      ['out:first\n', 'err:second\n', 'out:third\n'],
      'stdout and stderr keep their order, one output per run of the same stream',
    );
    assert.equal(texts(streams, MIME_VSCODE_STDOUT).join(''), 'first\nthird\n');

    assert.equal(display.outputs.length, 1, 'update_display_data replaced the output instead of adding one');
    assert.deepEqual(texts(display, 'text/html'), ['<b>v2</b>']);

    assert.equal(failing.executionSummary?.success, false);
    const [error] = texts(failing, MIME_VSCODE_ERROR).map((t) => JSON.parse(t) as { name: string; message: string; stack: string });
    assert.equal(error.name, 'Error');
    assert.equal(error.message, 'boom from a cell');
    assert.match(error.stack, /boom from a cell/);
  });

  test('restart gives a fresh kernel: execution counts start again at 1', async () => {
    const editor = await openWithConvkan('cells.ipynb');
    const [first] = editor.notebook.getCells();
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: editor.notebook.uri });
    await whenExecuted([first]);
    await vscode.commands.executeCommand(COMMAND_RESTART_KERNEL, editor.notebook.uri);
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: editor.notebook.uri });
    await new Promise((r) => setTimeout(r, 500));
    await whenExecuted([first]);
    assert.equal(first.executionSummary?.executionOrder, 1);
    assert.deepEqual(texts(first, 'text/plain'), ['42']);
  });

  test('New ConvKAN Notebook opens the starter template with the ConvKAN kernel', async () => {
    await vscode.commands.executeCommand(COMMAND_NEW_NOTEBOOK);
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    assert.ok(notebook, 'a notebook editor is active');
    assert.equal(notebook.notebookType, 'jupyter-notebook');
    assert.ok(
      notebook.getCells().some((c) => /ConvKAN2D/.test(c.document.getText())),
      'the starter builds a ConvKAN layer',
    );
    const meta = (notebook.metadata as { metadata?: { kernelspec?: { name?: string } } }).metadata;
    assert.equal(meta?.kernelspec?.name, 'convkan');
  });
});
