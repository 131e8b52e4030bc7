// A tensor's text/plain form, modelled on PyTorch's repr (torch/_tensor_str.py): the same
// precision rules (4 decimals, scientific notation for wide ranges, "1." for integral floats),
// right-aligned columns, 80-character lines, and the first/last 3 items with "..." once the
// tensor has more than 1000 elements. Shape and dtype are always written, as tfjs users expect.

export const PRINT_OPTIONS = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 } as const;

export type ReprDtype = 'float32' | 'int32' | 'bool' | 'string' | 'complex64';

export interface TensorLike {
  shape: number[];
  dtype: ReprDtype;
  /** Row-major values (strings for string tensors). */
  values: ArrayLike<number> | string[];
}

/** Python's "{:.Ne}": at least two exponent digits with a sign. */
function toExp(v: number, precision: number): string {
  const s = v.toExponential(precision);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function pyFloatStr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  return v > 0 ? 'inf' : '-inf';
}

/** Chooses one format for every shown value, as PyTorch's _Formatter does. */
class Formatter {
  private width = 1;
  private mode: 'int' | 'sci' | 'fixed' | 'intFloat' | 'bool' | 'string' = 'fixed';

  constructor(
    private readonly dtype: ReprDtype,
    shown: Array<number | string>,
    private readonly bools: [string, string] = ['true', 'false'],
  ) {
    if (dtype === 'bool') {
      this.mode = 'bool';
      this.width = Math.max(...shown.map((v) => (v ? bools[0] : bools[1]).length));
      return;
    }
    if (dtype === 'string') {
      this.mode = 'string';
      for (const v of shown) this.width = Math.max(this.width, JSON.stringify(String(v)).length);
      return;
    }
    const nums = shown as number[];
    if (dtype === 'int32') {
      this.mode = 'int';
      for (const v of nums) this.width = Math.max(this.width, String(v).length);
      return;
    }
    const finite = nums.filter((v) => Number.isFinite(v));
    const nonzero = finite.filter((v) => v !== 0).map(Math.abs);
    const intMode = finite.every((v) => Math.ceil(v) === v);
    const lo = nonzero.length ? Math.min(...nonzero) : 0;
    const hi = nonzero.length ? Math.max(...nonzero) : 0;
    const wide = nonzero.length > 0 && (hi / lo > 1000 || hi > 1e8);
    if (intMode) this.mode = wide ? 'sci' : 'intFloat';
    else this.mode = wide || (nonzero.length > 0 && lo < 1e-4) ? 'sci' : 'fixed';
    for (const v of nums) this.width = Math.max(this.width, this.raw(v).length);
  }

  private raw(v: number | string): string {
    switch (this.mode) {
      case 'bool':
        return v ? this.bools[0] : this.bools[1];
      case 'string':
        return JSON.stringify(String(v));
      case 'int':
        return String(v);
    }
    const n = v as number;
    if (!Number.isFinite(n)) return pyFloatStr(n);
    if (this.mode === 'sci') return toExp(n, PRINT_OPTIONS.precision);
    if (this.mode === 'intFloat') return `${n.toFixed(0)}.`;
    return n.toFixed(PRINT_OPTIONS.precision);
  }

  cellWidth(): number {
    return this.width;
  }

  format(v: number | string): string {
    return this.raw(v).padStart(this.width);
  }
}

/** Row-major strides of a shape. */
function stridesOf(shape: number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

/** Indices shown along a dimension of size n: all, or the first and last `edgeitems` around a gap (-1). */
function shownIndices(n: number, summarize: boolean): number[] {
  const e = PRINT_OPTIONS.edgeitems;
  if (!summarize || n <= 2 * e) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: e }, (_, i) => i), -1, ...Array.from({ length: e }, (_, i) => n - e + i)];
}

/** The values that will be printed (what the formatter is fitted to, as in PyTorch). */
function collectShown(t: TensorLike, summarize: boolean): Array<number | string> {
  const out: Array<number | string> = [];
  const strides = stridesOf(t.shape);
  const walk = (dim: number, offset: number) => {
    if (dim === t.shape.length) {
      out.push(t.values[offset]);
      return;
    }
    for (const i of shownIndices(t.shape[dim], summarize)) if (i >= 0) walk(dim + 1, offset + i * strides[dim]);
  };
  walk(0, 0);
  return out;
}

function render(t: TensorLike, f: Formatter, summarize: boolean, indent: number): string {
  const strides = stridesOf(t.shape);
  const rec = (dim: number, offset: number, ind: number): string => {
    const rank = t.shape.length;
    const idx = shownIndices(t.shape[dim], summarize);
    if (dim === rank - 1) {
      // PyTorch's _vector_str: as many items per line as fit in linewidth.
      const perLine = Math.max(1, Math.floor((PRINT_OPTIONS.linewidth - ind) / (f.cellWidth() + 2)));
      const items = idx.map((i) => (i < 0 ? ' ...' : f.format(t.values[offset + i * strides[dim]])));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return '[' + lines.join(',\n' + ' '.repeat(ind + 1)) + ']';
    }
    const parts = idx.map((i) => (i < 0 ? '...' : rec(dim + 1, offset + i * strides[dim], ind + 1)));
    return '[' + parts.join(',' + '\n'.repeat(rank - dim - 1) + ' '.repeat(ind + 1)) + ']';
  };
  return rec(0, 0, indent);
}

export interface FormatOptions {
  /** The prefix word: 'tensor' (default) or 'variable'. */
  name?: string;
  /** Append shape and dtype (default true); false gives PyTorch's exact layout, used to test against it. */
  shapeAndDtype?: boolean;
  /** Words for booleans: JavaScript's (default) or Python's ['True', 'False']. */
  bools?: [string, string];
}

/** The full text: `tensor(<values>, shape=[…], dtype=…)`. */
export function formatTensor(t: TensorLike, opts: FormatOptions = {}): string {
  const size = t.shape.reduce((a, b) => a * b, 1);
  const prefix = `${opts.name ?? 'tensor'}(`;
  const suffix = opts.shapeAndDtype === false ? ')' : `, shape=[${t.shape.join(', ')}], dtype=${t.dtype})`;
  if (t.dtype === 'complex64') return `${prefix}<complex values not shown>${suffix}`;
  if (t.shape.length === 0) {
    const f = new Formatter(t.dtype, [t.values[0]], opts.bools);
    return `${prefix}${f.format(t.values[0]).trim()}${suffix}`;
  }
  if (size === 0) return `${prefix}[]${suffix}`;
  const summarize = size > PRINT_OPTIONS.threshold;
  const f = new Formatter(t.dtype, collectShown(t, summarize), opts.bools);
  return `${prefix}${render(t, f, summarize, prefix.length)}${suffix}`;
}
