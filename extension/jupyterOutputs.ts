// Jupyter iopub content → plain output descriptors (MIME + bytes + metadata). No `vscode` import,
// so the mapping is unit-tested in plain Node; extension/executionTarget.ts turns the descriptors
// into NotebookCellOutput objects. The metadata follows what VS Code's built-in ipynb serializer
// reads back (outputType, metadata, executionCount, transient, originalError), so a saved notebook
// keeps the kernel's outputs exactly as Jupyter would write them.

/** VS Code's own MIME types for stream and error outputs (NotebookCellOutputItem.stdout/stderr/error). */
export const MIME_VSCODE_STDOUT = 'application/vnd.code.notebook.stdout';
export const MIME_VSCODE_STDERR = 'application/vnd.code.notebook.stderr';
export const MIME_VSCODE_ERROR = 'application/vnd.code.notebook.error';

export type StreamName = 'stdout' | 'stderr';

export interface OutputItemData {
  mime: string;
  data: Uint8Array;
}

export interface ErrorData {
  name: string;
  message: string;
  /** The kernel's traceback, one line per entry, joined by newlines (may hold ANSI colours). */
  stack: string;
}

export interface OutputData {
  items: OutputItemData[];
  metadata: Record<string, unknown>;
  /** Set for error outputs, which VS Code builds with NotebookCellOutputItem.error. */
  error?: ErrorData;
}

const encoder = new TextEncoder();

/** nbformat stores text as a string or as a list of lines; the protocol may send either. */
function joinText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('');
  return JSON.stringify(value);
}

function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

/** Binary images travel as base64 in Jupyter; SVG is text. */
function isBase64Mime(mime: string): boolean {
  return mime.startsWith('image/') && mime !== 'image/svg+xml';
}

/** One MIME entry of a bundle → the bytes VS Code expects for that MIME type. */
export function bundleItem(mime: string, value: unknown): OutputItemData {
  if (isBase64Mime(mime)) {
    return { mime, data: new Uint8Array(Buffer.from(joinText(value).replace(/\s+/g, ''), 'base64')) };
  }
  if (isJsonMime(mime)) {
    // The protocol sends JSON MIME types as objects; a string is taken as already serialized JSON.
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return { mime, data: encoder.encode(text) };
  }
  return { mime, data: encoder.encode(joinText(value)) };
}

/**
 * A MIME bundle's `data` → output items, richest first: the kernel's own order is kept, except
 * that text/plain (the universal fallback) goes last.
 */
export function bundleItems(data: Record<string, unknown>): OutputItemData[] {
  const mimes = Object.keys(data).filter((m) => data[m] !== undefined && data[m] !== null);
  mimes.sort((a, b) => Number(a === 'text/plain') - Number(b === 'text/plain'));
  return mimes.map((m) => bundleItem(m, data[m]));
}

export interface DisplayContent {
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  transient?: { display_id?: string };
  execution_count?: number | null;
}

/** display_data / execute_result content → an output descriptor. */
export function displayOutput(outputType: 'display_data' | 'execute_result', content: DisplayContent): OutputData {
  const metadata: Record<string, unknown> = {
    outputType,
    metadata: content.metadata ?? {},
  };
  if (outputType === 'execute_result') metadata.executionCount = content.execution_count ?? null;
  const displayId = content.transient?.display_id;
  if (displayId) metadata.transient = { display_id: displayId };
  return { items: bundleItems(content.data ?? {}), metadata };
}

export function streamItem(name: StreamName, text: string): OutputItemData {
  return { mime: name === 'stderr' ? MIME_VSCODE_STDERR : MIME_VSCODE_STDOUT, data: encoder.encode(text) };
}

export function streamOutput(name: StreamName, text: string): OutputData {
  return { items: [streamItem(name, text)], metadata: { outputType: 'stream' } };
}

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback?: string[];
}

/** error content → an error output; the original traceback is kept for the ipynb file. */
export function errorOutput(content: ErrorContent): OutputData {
  const traceback = content.traceback ?? [];
  const error: ErrorData = {
    name: content.ename,
    message: content.evalue,
    stack: traceback.length ? traceback.join('\n') : `${content.ename}: ${content.evalue}`,
  };
  const item: OutputItemData = { mime: MIME_VSCODE_ERROR, data: encoder.encode(JSON.stringify(error)) };
  return {
    items: [item],
    error,
    metadata: {
      outputType: 'error',
      originalError: { output_type: 'error', ename: content.ename, evalue: content.evalue, traceback },
    },
  };
}
