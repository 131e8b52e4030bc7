// papermill's parameters for TypeScript notebooks: `--param epochs=3` becomes a code cell tagged
// "injected-parameters" right after the cell tagged "parameters" (at the top when there is none),
// replacing the one a previous run injected. Values are typed: numbers, booleans, null and JSON
// as such, anything else a string.

export const PARAMETERS_TAG = 'parameters';
export const INJECTED_PARAMETERS_TAG = 'injected-parameters';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Decimal numbers only: '0x10', 'Infinity' and '' stay strings. */
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

interface ParamCell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: Record<string, unknown> & { tags?: string[] };
  outputs?: unknown[];
  execution_count?: number | null;
  id?: string;
}

/** "3" → 3, "true" → true, "null" → null, '[1,2]' / '{"a":1}' / '"x"' → JSON, else the text itself. */
export function parseParameterValue(text: string): unknown {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  if (DECIMAL.test(t)) return Number(t);
  if (/^[[{"]/.test(t)) {
    try {
      return JSON.parse(t);
    } catch {
      // Not JSON after all: a string.
    }
  }
  return text;
}

/** Parses one `name=value`; the name must be a TypeScript identifier. */
export function parseParameter(arg: string): [string, unknown] {
  const eq = arg.indexOf('=');
  const name = eq < 0 ? arg : arg.slice(0, eq);
  if (eq < 0 || !IDENTIFIER.test(name)) {
    throw new Error(`Error in convkan-notebook run: --param must be NAME=VALUE with NAME an identifier, but got "${arg}"`);
  }
  return [name, parseParameterValue(arg.slice(eq + 1))];
}

/** The injected cell's source: one `const name = <JSON literal>;` per parameter. */
export function parametersSource(parameters: Record<string, unknown>): string {
  const lines = ['// Parameters injected by convkan-notebook run --param'];
  for (const [name, value] of Object.entries(parameters)) lines.push(`const ${name} = ${JSON.stringify(value)};`);
  return lines.join('\n');
}

const hasTag = (cell: ParamCell, tag: string) => Array.isArray(cell.metadata?.tags) && cell.metadata.tags.includes(tag);

/**
 * Returns the cells with the parameters cell injected (the input is not changed). With no
 * parameters the cells come back unchanged, an earlier injected cell included.
 */
export function injectParameters<C extends ParamCell>(cells: C[], parameters: Record<string, unknown>, newId?: () => string): C[] {
  if (Object.keys(parameters).length === 0) return cells;
  const kept = cells.filter((c) => !hasTag(c, INJECTED_PARAMETERS_TAG));
  const at = kept.findIndex((c) => hasTag(c, PARAMETERS_TAG)) + 1; // 0 when untagged: the top
  const injected = {
    cell_type: 'code',
    source: parametersSource(parameters),
    metadata: { tags: [INJECTED_PARAMETERS_TAG] },
    outputs: [],
    execution_count: null,
    ...(newId ? { id: newId() } : {}),
  } as unknown as C;
  return [...kept.slice(0, at), injected, ...kept.slice(at)];
}
