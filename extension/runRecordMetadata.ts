// What the extension writes for the run record, as plain data (no `vscode` import, so it is
// tested without VS Code): VS Code's ipynb serializer keeps Jupyter's notebook metadata under
// notebook.metadata.metadata and a cell's under cell.metadata.metadata, so the record goes there.

import {
  environmentFromReply,
  recordCell,
  startRunRecord,
  withCellTiming,
  withRunRecord,
  type CellTiming,
  type RunRecord,
} from '../kernel/protocol/runRecord';

export const VSCODE_RUNNER = 'vscode';

type Metadata = Record<string, unknown>;

export interface RunRecordUpdate {
  record: RunRecord;
  /** The new NotebookDocument.metadata. */
  notebookMetadata: Metadata;
  /** The new NotebookCell.metadata. */
  cellMetadata: Metadata;
}

/** The record after one more cell (a new one when `record` is undefined) and both metadata objects with it. */
export function runRecordUpdate(
  record: RunRecord | undefined,
  notebookMetadata: Metadata | undefined,
  cellMetadata: Metadata | undefined,
  timing: CellTiming,
  replyMetadata: Metadata | undefined,
): RunRecordUpdate {
  const next = recordCell(
    record ?? startRunRecord(VSCODE_RUNNER, {}, new Date(timing.started)),
    timing,
    environmentFromReply(replyMetadata),
  );
  const nb = notebookMetadata ?? {};
  const cell = cellMetadata ?? {};
  return {
    record: next,
    notebookMetadata: { ...nb, metadata: withRunRecord((nb.metadata ?? {}) as Metadata, next) },
    cellMetadata: { ...cell, metadata: withCellTiming((cell.metadata ?? {}) as Metadata, timing) },
  };
}
