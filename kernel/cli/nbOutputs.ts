// iopub messages → nbformat 4 outputs, as Jupyter (nbclient) records them: consecutive stream
// text of one name is merged, clear_output(wait) clears when the next output arrives, and
// update_display_data rewrites every earlier output with that display_id, in any cell.
// Also nbformat's on-disk habits: multi-line text as a list of lines, keys sorted, indent 1.

import type { Message } from '../protocol/messages';
import { MSG } from '../protocol/messages';

export type NbOutput =
  | { output_type: 'stream'; name: string; text: string }
  | { output_type: 'display_data'; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: 'execute_result'; execution_count: number | null; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

type DataOutput = Extract<NbOutput, { data: unknown }>;

/** Outputs that carry a display_id, across the whole notebook, so updates reach earlier cells. */
export class DisplayRegistry {
  private readonly byId = new Map<string, DataOutput[]>();

  register(id: string, output: DataOutput): void {
    const list = this.byId.get(id) ?? [];
    list.push(output);
    this.byId.set(id, list);
  }

  update(id: string, data: Record<string, unknown>, metadata: Record<string, unknown>): void {
    for (const output of this.byId.get(id) ?? []) {
      output.data = data;
      output.metadata = metadata;
    }
  }

  forget(output: NbOutput): void {
    for (const list of this.byId.values()) {
      const i = list.indexOf(output as DataOutput);
      if (i >= 0) list.splice(i, 1);
    }
  }
}

export class CellOutputs {
  readonly outputs: NbOutput[] = [];
  private clearPending = false;

  constructor(private readonly displays: DisplayRegistry) {}

  /** Applies one iopub message of this cell's request. Returns false for messages that are not outputs. */
  add(message: Message): boolean {
    const c = message.content as Record<string, unknown>;
    const transientId = (c.transient as { display_id?: string } | undefined)?.display_id;
    switch (message.header.msg_type) {
      case MSG.clearOutput:
        if (c.wait) this.clearPending = true;
        else this.clear();
        return true;
      case MSG.updateDisplayData:
        if (transientId) this.displays.update(transientId, asObject(c.data), asObject(c.metadata));
        return true;
      case MSG.stream: {
        this.flushClear();
        const name = String(c.name);
        const last = this.outputs.at(-1);
        if (last?.output_type === 'stream' && last.name === name) last.text += String(c.text);
        else this.outputs.push({ output_type: 'stream', name, text: String(c.text) });
        return true;
      }
      case MSG.displayData:
      case MSG.executeResult: {
        this.flushClear();
        const output: DataOutput =
          message.header.msg_type === MSG.displayData
            ? { output_type: 'display_data', data: asObject(c.data), metadata: asObject(c.metadata) }
            : {
                output_type: 'execute_result',
                execution_count: (c.execution_count as number) ?? null,
                data: asObject(c.data),
                metadata: asObject(c.metadata),
              };
        this.outputs.push(output);
        if (transientId) this.displays.register(transientId, output);
        return true;
      }
      case MSG.error:
        this.flushClear();
        this.outputs.push({
          output_type: 'error',
          ename: String(c.ename),
          evalue: String(c.evalue),
          traceback: (c.traceback as string[]) ?? [],
        });
        return true;
      default:
        return false;
    }
  }

  private flushClear(): void {
    if (this.clearPending) this.clear();
  }

  private clear(): void {
    this.clearPending = false;
    for (const o of this.outputs) this.displays.forget(o);
    this.outputs.length = 0;
  }
}

function asObject(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** "a\nb\n" → ["a\n", "b\n"]: how nbformat stores multi-line strings. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Joins nbformat's list-of-lines form back into one string (sources may be either). */
export function joinLines(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join('') : (text ?? '');
}

const SPLIT_MIME = (mime: string) => mime.startsWith('text/') || mime === 'image/svg+xml' || mime === 'application/javascript';

/** An output as nbformat writes it: text-like values split into lines, JSON values untouched. */
export function toDiskOutput(output: NbOutput): Record<string, unknown> {
  if (output.output_type === 'stream') return { ...output, text: typeof output.text === 'string' ? splitLines(output.text) : output.text };
  if (output.output_type === 'error') return { ...output };
  const data: Record<string, unknown> = {};
  for (const [mime, value] of Object.entries(output.data)) {
    data[mime] = typeof value === 'string' && SPLIT_MIME(mime) ? splitLines(value) : value;
  }
  return { ...output, data };
}

/** JSON with sorted keys and one-space indent, as nbformat writes notebooks. */
export function stringifyNotebook(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value), null, 1) + '\n';
}
