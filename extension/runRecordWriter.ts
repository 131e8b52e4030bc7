// Writes the run record (kernel/protocol/runRecord.ts) into the notebook as the headless runner
// does: after each cell, the environment the kernel reported in its execute_reply goes into
// metadata.convkan.run and the cell's duration into its own metadata. VS Code's ipynb serializer
// keeps Jupyter's notebook metadata under notebook.metadata.metadata and a cell's under
// cell.metadata.metadata, so that is where they go; saving writes them to the .ipynb.

import * as vscode from 'vscode';
import { environmentFromReply, recordCell, startRunRecord, withCellTiming, withRunRecord, type CellTiming, type RunRecord } from '../kernel/protocol/runRecord';

export const VSCODE_RUNNER = 'vscode';

type Metadata = Record<string, unknown>;

export class RunRecordWriter {
  private record: RunRecord | undefined;

  /** A new kernel session starts a new record (its start time is its first cell's). */
  reset(): void {
    this.record = undefined;
  }

  async cellFinished(cell: vscode.NotebookCell, timing: CellTiming, replyMetadata: Metadata | undefined): Promise<void> {
    this.record = recordCell(this.record ?? startRunRecord(VSCODE_RUNNER, {}, new Date(timing.started)), timing, environmentFromReply(replyMetadata));
    const notebook = cell.notebook;
    const nbMeta = (notebook.metadata ?? {}) as Metadata;
    const cellMeta = (cell.metadata ?? {}) as Metadata;
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, [
      vscode.NotebookEdit.updateNotebookMetadata({ ...nbMeta, metadata: withRunRecord((nbMeta.metadata ?? {}) as Metadata, this.record) }),
      vscode.NotebookEdit.updateCellMetadata(cell.index, { ...cellMeta, metadata: withCellTiming((cellMeta.metadata ?? {}) as Metadata, timing) }),
    ]);
    await vscode.workspace.applyEdit(edit);
  }
}
