// Cell source (TypeScript) → JavaScript for the body of an async function, with a line map back to
// the cell. Syntax errors are returned with their cell position instead of being run.

import ts from 'typescript';
import { cellRewriteTransformer, type RewriteInfo } from './cellRewrite';
import { LineMap } from './sourceMap';

export interface CellSyntaxError {
  message: string;
  /** 1-based position in the cell. */
  line: number;
  column: number;
}

export interface TranspiledCell {
  /** Statements for the body of the cell's async function (no module syntax left). */
  js: string;
  lineMap: LineMap;
  declared: string[];
  hasResult: boolean;
  /** The body is a generator to be driven by the executor (see cellRewrite). */
  generator: boolean;
  syntaxErrors: CellSyntaxError[];
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  // Every cell is a module (top-level await parses); ESNext emit adds no module wrapper.
  module: ts.ModuleKind.ESNext,
  moduleDetection: ts.ModuleDetectionKind.Force,
  sourceMap: true,
  isolatedModules: true,
  esModuleInterop: true,
  experimentalDecorators: false,
  useDefineForClassFields: true,
};

/** Position of a TypeScript diagnostic as 1-based line and column of its file. */
export function diagnosticPosition(d: ts.Diagnostic): { line: number; column: number } {
  if (!d.file || d.start === undefined) return { line: 1, column: 1 };
  const lc = d.file.getLineAndCharacterOfPosition(d.start);
  return { line: lc.line + 1, column: lc.character + 1 };
}

// Re-running a cell unchanged is common (and `1 + 1` round trips are benchmarked): reuse its output.
const CACHE_SIZE = 64;
const cache = new Map<string, TranspiledCell>();

/** transpileCell with a small cache by source text (the output does not depend on the file name). */
export function transpileCellCached(code: string, fileName: string): TranspiledCell {
  const hit = cache.get(code);
  if (hit) {
    cache.delete(code);
    cache.set(code, hit);
    return hit;
  }
  const cell = transpileCell(code, fileName);
  cache.set(code, cell);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return cell;
}

export function transpileCell(code: string, fileName: string): TranspiledCell {
  const info: RewriteInfo = { declared: new Set(), hasResult: false, generator: true };
  const out = ts.transpileModule(code, {
    compilerOptions: COMPILER_OPTIONS,
    fileName,
    reportDiagnostics: true,
    transformers: { before: [cellRewriteTransformer(info)] },
  });
  const syntaxErrors = (out.diagnostics ?? [])
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => ({ message: ts.flattenDiagnosticMessageText(d.messageText, '\n'), ...diagnosticPosition(d) }));
  const js = out.outputText
    .replace(/\/\/# sourceMappingURL=.*\s*$/, '')
    // ESNext emit keeps a module that has no imports a module with `export {};` — not valid in a function.
    .replace(/^export \{\};\s*$/m, '');
  return {
    js,
    lineMap: LineMap.fromSourceMapText(out.sourceMapText ?? '{"mappings":""}'),
    declared: [...info.declared],
    hasResult: info.hasResult,
    generator: info.generator,
    syntaxErrors,
  };
}
