// Type errors as the user reads them: `In[3]:2:7 - error TS2322: …` with the line and a caret.

import type { TypeDiagnostic } from './languageService';

export function formatTypeDiagnostics(fileName: string, code: string, diags: TypeDiagnostic[]): string {
  const lines = code.split('\n');
  const out: string[] = [];
  for (const d of diags) {
    out.push(`${fileName}:${d.line}:${d.column} - error TS${d.code}: ${d.message}`);
    const text = lines[d.line - 1];
    if (text !== undefined) {
      const gutter = String(d.line);
      out.push(`  ${gutter} | ${text}`, `  ${' '.repeat(gutter.length)} | ${' '.repeat(d.column - 1)}^`);
    }
  }
  return out.join('\n') + '\n';
}
