// Errors as Jupyter shows them: ename, evalue and a traceback whose positions are the cell's own
// (or a local .ts file's) lines and columns, with the offending cell line underlined.

import path from 'node:path';
import util from 'node:util';
import type { LineMap } from './sourceMap';

const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const CYAN = '\x1b[36m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

interface MappedSource {
  lineMap: LineMap;
  /** Lines of generated code; frames below them are the executor's wrapper around the cell. */
  generatedLines?: number;
  /** The TypeScript text, to quote the failing line (cells only). */
  source?: string;
}

const sources = new Map<string, MappedSource>();

/** Remembers how to map positions of generated code named `fileName` in stack traces. */
export function registerSourceMap(fileName: string, lineMap: LineMap, source?: string, generatedLines?: number): void {
  sources.set(fileName, { lineMap, source, generatedLines });
}

export function forgetSourceMap(fileName: string): void {
  sources.delete(fileName);
}

export interface StackFrame {
  fn?: string;
  file: string;
  line: number;
  column: number;
}

const FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?\s*$/;
const EXEC_DIR = __dirname;

function parseFrames(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (m) frames.push({ fn: m[1], file: m[2], line: Number(m[3]), column: Number(m[4]) });
  }
  return frames;
}

function isInternal(fr: StackFrame): boolean {
  if (fr.file.startsWith('node:') || fr.file.startsWith(EXEC_DIR + path.sep) || fr.file.startsWith('file://' + EXEC_DIR)) return true;
  const generated = sources.get(fr.file)?.generatedLines;
  return generated !== undefined && fr.line > generated;
}

/**
 * Frames of the error with cell/.ts positions mapped back. Internal frames (node, this executor) are
 * left out, and so are the callers of the outermost cell frame: they are the kernel, not user code.
 */
export function mappedFrames(err: unknown): StackFrame[] {
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  const premapped = err instanceof Error && (err as { [CELL_POSITIONS]?: boolean })[CELL_POSITIONS] === true;
  const frames = parseFrames(stack).filter((fr) => !isInternal(fr));
  let lastCell = -1;
  frames.forEach((fr, i) => {
    if (sources.get(fr.file)?.source !== undefined) lastCell = i;
  });
  return (lastCell >= 0 ? frames.slice(0, lastCell + 1) : frames).map((fr) => {
    const mapped = premapped ? undefined : sources.get(fr.file)?.lineMap.original(fr.line, fr.column);
    return mapped ? { ...fr, ...mapped } : fr;
  });
}

/** Marks errors whose stack already holds cell positions (syntax errors found before running). */
const CELL_POSITIONS = Symbol('cellPositions');

/** A SyntaxError at a position of the cell itself, shown like a runtime error of that cell. */
export function cellSyntaxError(fileName: string, message: string, line: number, column: number): SyntaxError {
  const err = new SyntaxError(`${message} (${fileName}, line ${line}, column ${column})`);
  err.stack = `SyntaxError: ${err.message}\n    at ${fileName}:${line}:${column}`;
  (err as SyntaxError & { [CELL_POSITIONS]?: boolean })[CELL_POSITIONS] = true;
  return err;
}

/**
 * V8 reports a compile error as `file:line` + the source line + a caret under the column, above the
 * message; returns that position in the cell (mapped from the generated code), when it is a cell's.
 */
export function compileErrorPosition(err: unknown, fileName: string): { line: number; column: number } | undefined {
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  const m = /^(.*):(\d+)\n.*\n(\s*)\^/.exec(stack);
  if (!m || m[1] !== fileName) return undefined;
  return sources.get(fileName)?.lineMap.original(Number(m[2]), m[3].length + 1);
}

export function errorName(err: unknown): string {
  if (err instanceof Error) return err.name || err.constructor?.name || 'Error';
  if (err && typeof err === 'object' && typeof (err as { name?: unknown }).name === 'string') return (err as { name: string }).name;
  return 'Error';
}

export function errorValue(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  return util.inspect(err, { depth: 2 });
}

/** The cell line at the position, with its neighbour above and a caret under the column. */
function quoteSource(frame: StackFrame): string[] {
  const source = sources.get(frame.file)?.source;
  if (source === undefined) return [];
  const lines = source.split('\n');
  const out: string[] = [];
  const width = String(frame.line + 1).length;
  for (let l = Math.max(1, frame.line - 2); l <= Math.min(lines.length, frame.line + 1); l++) {
    const marker = l === frame.line ? `${GREEN}---->${RESET} ` : '      ';
    out.push(`${marker}${String(l).padStart(width)} ${lines[l - 1]}`);
    if (l === frame.line) out.push(`${' '.repeat(6 + width + 1 + frame.column - 1)}${RED}^${RESET}`);
  }
  return out;
}

function frameText(fr: StackFrame): string {
  const where = `${fr.file}:${fr.line}:${fr.column}`;
  return fr.fn ? `    at ${fr.fn} (${where})` : `    at ${where}`;
}

/** Jupyter traceback lines (ANSI colours allowed): header, the cell line that failed, the frames. */
export function formatTraceback(err: unknown, ename = errorName(err), evalue = errorValue(err)): string[] {
  const frames = mappedFrames(err);
  const out: string[] = [`${RED}${BOLD}${ename}${RESET}: ${evalue}`];
  const first = frames.find((fr) => sources.get(fr.file)?.source !== undefined);
  if (first) {
    out.push(`${CYAN}Cell ${first.file}, line ${first.line}, column ${first.column}${RESET}`);
    out.push(...quoteSource(first));
  }
  for (const fr of frames.slice(0, 30)) out.push(frameText(fr));
  if (frames.length > 30) out.push(`    … ${frames.length - 30} more frames`);
  return out;
}

/** The error as one text for stderr (background errors, type errors). */
export function formatForStderr(err: unknown, heading: string): string {
  return `${heading}\n${formatTraceback(err).join('\n')}\n`;
}
