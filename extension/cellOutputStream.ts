// Applies one cell's iopub messages, in order, to that cell's outputs with Jupyter's semantics:
// consecutive stream messages of the same name grow one output, clear_output(wait) clears just
// before the next output arrives, and update_display_data replaces, in place, every output that
// was shown with that display_id — also in earlier cells of the same notebook. Knows nothing of
// VS Code: it writes through an OutputTarget (extension/executionTarget.ts in the extension, a
// fake in tests).

import {
  displayOutput,
  errorOutput,
  streamItem,
  streamOutput,
  type DisplayContent,
  type ErrorContent,
  type OutputData,
  type OutputItemData,
  type StreamName,
} from './jupyterOutputs';

/** The outputs of one cell. H identifies an output the target created. */
export interface OutputTarget<H> {
  append(output: OutputData): Promise<H>;
  appendItems(handle: H, items: OutputItemData[]): Promise<void>;
  /** Replaces the items of an existing output without re-creating it (renderers update in place). */
  replaceItems(handle: H, output: OutputData): Promise<void>;
  clear(): Promise<void>;
}

interface DisplayEntry<H> {
  cellKey: string;
  target: OutputTarget<H>;
  handle: H;
}

/** display_id → the outputs showing it, for one notebook (display ids span cells). */
export class DisplayRegistry<H> {
  private readonly byId = new Map<string, DisplayEntry<H>[]>();

  add(displayId: string, entry: DisplayEntry<H>): void {
    const list = this.byId.get(displayId) ?? [];
    list.push(entry);
    this.byId.set(displayId, list);
  }

  get(displayId: string): readonly DisplayEntry<H>[] {
    return this.byId.get(displayId) ?? [];
  }

  /** Forgets the outputs of a cell whose outputs were cleared (re-run or clear_output). */
  forgetCell(cellKey: string): void {
    for (const [id, list] of this.byId) {
      const kept = list.filter((e) => e.cellKey !== cellKey);
      if (kept.length) this.byId.set(id, kept);
      else this.byId.delete(id);
    }
  }

  get size(): number {
    return this.byId.size;
  }
}

/** iopub message types that carry outputs; everything else (status, execute_input, comm_*) is ignored here. */
export const OUTPUT_MESSAGE_TYPES = ['stream', 'display_data', 'execute_result', 'update_display_data', 'clear_output', 'error'] as const;

export class CellOutputStream<H> {
  private last: { handle: H; stream?: StreamName } | undefined;
  private clearPending = false;

  constructor(
    private readonly target: OutputTarget<H>,
    private readonly displays: DisplayRegistry<H>,
    private readonly cellKey: string,
  ) {}

  /** Applies one iopub message (msg_type + content) to the cell's outputs. */
  async handle(msgType: string, content: Record<string, unknown>): Promise<void> {
    switch (msgType) {
      case 'stream': {
        const name: StreamName = content.name === 'stderr' ? 'stderr' : 'stdout';
        const text = typeof content.text === 'string' ? content.text : String(content.text ?? '');
        await this.flushClear();
        if (this.last?.stream === name) {
          await this.target.appendItems(this.last.handle, [streamItem(name, text)]);
        } else {
          this.last = { handle: await this.target.append(streamOutput(name, text)), stream: name };
        }
        return;
      }
      case 'display_data':
      case 'execute_result': {
        const display = content as DisplayContent;
        await this.flushClear();
        const handle = await this.target.append(displayOutput(msgType, display));
        this.last = { handle };
        const displayId = display.transient?.display_id;
        if (displayId) this.displays.add(displayId, { cellKey: this.cellKey, target: this.target, handle });
        return;
      }
      case 'update_display_data': {
        // Not an "add": a pending clear_output(wait) stays pending, as in JupyterLab.
        const display = content as DisplayContent;
        const displayId = display.transient?.display_id;
        if (!displayId) return;
        for (const entry of this.displays.get(displayId)) {
          await entry.target.replaceItems(entry.handle, displayOutput('display_data', display));
        }
        return;
      }
      case 'clear_output':
        if (content.wait === true) this.clearPending = true;
        else await this.clear();
        return;
      case 'error': {
        await this.flushClear();
        this.last = { handle: await this.target.append(errorOutput(content as unknown as ErrorContent)) };
        return;
      }
      default:
        return;
    }
  }

  /** Shows an error that did not come from the kernel (crash, lost connection). */
  async appendError(content: ErrorContent): Promise<void> {
    await this.flushClear();
    this.last = { handle: await this.target.append(errorOutput(content)) };
  }

  private async flushClear(): Promise<void> {
    if (!this.clearPending) return;
    this.clearPending = false;
    await this.clear();
  }

  private async clear(): Promise<void> {
    this.last = undefined;
    this.displays.forgetCell(this.cellKey);
    await this.target.clear();
  }
}
