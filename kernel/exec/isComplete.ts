// is_complete for TypeScript: 'incomplete' while a bracket, template literal or comment is open or
// the code ends where more code is expected (`const x =`, `if (a)`); 'invalid' for errors more lines
// cannot fix (a stray closing bracket, an unclosed quoted string, a syntax error before the end);
// else 'complete'.

import ts from 'typescript';
import type { IsCompleteResult } from './executorApi';

const OPENERS: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
  [ts.SyntaxKind.OpenBraceToken]: ts.SyntaxKind.CloseBraceToken,
  [ts.SyntaxKind.OpenParenToken]: ts.SyntaxKind.CloseParenToken,
  [ts.SyntaxKind.OpenBracketToken]: ts.SyntaxKind.CloseBracketToken,
};
const TEMPLATE = -1;

type Scan =
  { kind: 'unterminated' } | { kind: 'mismatch' /* or otherwise beyond repair */ } | { kind: 'open'; depth: number } | { kind: 'balanced' };

function scanBrackets(code: string): Scan {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ false, ts.LanguageVariant.Standard, code);
  const stack: number[] = [];
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.CloseBraceToken && stack[stack.length - 1] === TEMPLATE) {
      // The `}` closes a `${` substitution: the template literal continues.
      stack.pop();
      token = scanner.reScanTemplateToken(false);
    }
    // A quoted string cannot continue on the next line; a template literal or comment can.
    if (scanner.isUnterminated()) return token === ts.SyntaxKind.StringLiteral ? { kind: 'mismatch' } : { kind: 'unterminated' };
    if (token === ts.SyntaxKind.TemplateHead || token === ts.SyntaxKind.TemplateMiddle) {
      stack.push(TEMPLATE);
      continue;
    }
    const closer = OPENERS[token];
    if (closer !== undefined) stack.push(closer);
    else if (
      token === ts.SyntaxKind.CloseBraceToken ||
      token === ts.SyntaxKind.CloseParenToken ||
      token === ts.SyntaxKind.CloseBracketToken
    ) {
      if (stack.pop() !== token) return { kind: 'mismatch' };
    }
  }
  return stack.length ? { kind: 'open', depth: stack.length } : { kind: 'balanced' };
}

export function isComplete(code: string): IsCompleteResult {
  const scan = scanBrackets(code);
  if (scan.kind === 'unterminated') return { status: 'incomplete', indent: '' };
  if (scan.kind === 'mismatch') return { status: 'invalid' };
  if (scan.kind === 'open') return { status: 'incomplete', indent: '  '.repeat(scan.depth) };
  const out = ts.transpileModule(code, {
    fileName: 'cell.ts',
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleDetection: ts.ModuleDetectionKind.Force },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length === 0) return { status: 'complete' };
  const end = code.trimEnd().length;
  // An error at the very end means the parser wanted more text.
  return errors.every((d) => (d.start ?? 0) >= end) ? { status: 'incomplete', indent: '' } : { status: 'invalid' };
}
