// The VS Code side of CellOutputStream's OutputTarget: writes output descriptors into a cell
// through its NotebookCellExecution. After the execution ended (a display updated from a later
// cell, output from a timer that fires after the cell finished) it opens a short-lived execution
// of that cell, keeping the cell's execution order and result, as VS Code only lets executions
// change outputs.

import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { OutputTarget } from './cellOutputStream';
import type { OutputData, OutputItemData } from './jupyterOutputs';

export function toOutputItem(item: OutputItemData): vscode.NotebookCellOutputItem {
  return new vscode.NotebookCellOutputItem(item.data, item.mime);
}

export function toCellOutput(output: OutputData): vscode.NotebookCellOutput {
  const items = output.error
    ? [vscode.NotebookCellOutputItem.error({ name: output.error.name, message: output.error.message, stack: output.error.stack })]
    : output.items.map(toOutputItem);
  return new vscode.NotebookCellOutput(items, output.metadata);
}

/**
 * Marks each output we create, so we can tell whether it is still in the cell (the user may clear
 * it); the ipynb serializer saves only the Jupyter fields of output metadata, not this key.
 */
const OUTPUT_KEY = 'convkanOutputKey';

export class ExecutionTarget implements OutputTarget<vscode.NotebookCellOutput> {
  private live: vscode.NotebookCellExecution | undefined;

  constructor(
    private readonly controller: vscode.NotebookController,
    readonly cell: vscode.NotebookCell,
    execution: vscode.NotebookCellExecution,
  ) {
    this.live = execution;
  }

  /** Called when the cell's own execution ends; later writes use a short-lived execution. */
  detach(): void {
    this.live = undefined;
  }

  async append(output: OutputData): Promise<vscode.NotebookCellOutput> {
    const out = toCellOutput({ ...output, metadata: { ...output.metadata, [OUTPUT_KEY]: randomUUID() } });
    await this.withExecution((e) => e.appendOutput(out));
    return out;
  }

  async appendItems(handle: vscode.NotebookCellOutput, items: OutputItemData[]): Promise<void> {
    if (!this.stillShown(handle)) return;
    await this.withExecution((e) => e.appendOutputItems(items.map(toOutputItem), handle));
  }

  async replaceItems(handle: vscode.NotebookCellOutput, output: OutputData): Promise<void> {
    if (!this.stillShown(handle)) return;
    await this.withExecution((e) => e.replaceOutputItems(toCellOutput(output).items, handle));
  }

  async clear(): Promise<void> {
    await this.withExecution((e) => e.clearOutput());
  }

  /** False once the user cleared the output or the cell was deleted. */
  private stillShown(handle: vscode.NotebookCellOutput): boolean {
    if (this.cell.index < 0) return false;
    const key = handle.metadata?.[OUTPUT_KEY];
    return this.cell.outputs.some((o) => o.metadata?.[OUTPUT_KEY] === key);
  }

  private async withExecution(write: (e: vscode.NotebookCellExecution) => Thenable<void>): Promise<void> {
    if (this.live) {
      await write(this.live);
      return;
    }
    if (this.cell.index < 0) return; // deleted cell
    const summary = this.cell.executionSummary;
    let temp: vscode.NotebookCellExecution;
    try {
      temp = this.controller.createNotebookCellExecution(this.cell);
    } catch {
      return; // the cell is being executed again right now; its new run owns the outputs
    }
    temp.executionOrder = summary?.executionOrder;
    temp.start(summary?.timing?.startTime);
    try {
      await write(temp);
    } finally {
      temp.end(summary?.success, summary?.timing?.endTime);
    }
  }
}
