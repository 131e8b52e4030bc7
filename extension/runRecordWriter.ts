// Writes the run record into the notebook as the headless runner does: after each cell, what the
// kernel reported in its execute_reply (runRecordMetadata.ts computes the metadata). Saving
// writes it to the .ipynb.

import * as vscode from 'vscode';
import type { CellTiming, RunRecord } from '../kernel/protocol/runRecord';
import { runRecordUpdate } from './runRecordMetadata';

export class RunRecordWriter {
  private record: RunRecord | undefined;

  /** A new kernel session starts a new record (its start time is its first cell's). */
  reset(): void {
    this.record = undefined;
  }

  async cellFinished(cell: vscode.NotebookCell, timing: CellTiming, replyMetadata: Record<string, unknown> | undefined): Promise<void> {
    const update = runRecordUpdate(this.record, cell.notebook.metadata, cell.metadata, timing, replyMetadata);
    this.record = update.record;
    const edit = new vscode.WorkspaceEdit();
    edit.set(cell.notebook.uri, [
      vscode.NotebookEdit.updateNotebookMetadata(update.notebookMetadata),
      vscode.NotebookEdit.updateCellMetadata(cell.index, update.cellMetadata),
    ]);
    await vscode.workspace.applyEdit(edit);
  }
}
