// The cell rewrite (declarations → globals, imports, awaits, result), the source map decoding that
// error positions rely on, and is_complete — pure functions, no TensorFlow.js.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { transpileCell } from '../../kernel/exec/transpile';
import { LineMap } from '../../kernel/exec/sourceMap';
import { isComplete } from '../../kernel/exec/isComplete';
import { driveGenerator } from '../../kernel/exec/stepRunner';

/** Runs rewritten cell code with a fake `__cell` and a plain object as the global scope. */
async function runRewritten(code: string, scope: Record<string, unknown>, modules: Record<string, unknown> = {}) {
  const cell = transpileCell(code, 'In[1].ts');
  assert.deepEqual(cell.syntaxErrors, []);
  for (const name of cell.declared) if (!(name in scope)) scope[name] = undefined;
  const runtime = {
    import: async (spec: string) => modules[spec],
    require: (spec: string) => modules[spec],
    awaited: async (v: unknown) => v,
    def: (name: string, value: unknown) => (scope[name] = value),
  };
  const context = vm.createContext(scope);
  const kind = cell.generator ? 'function*' : 'async function';
  const fn = vm.runInContext(`(${kind} (__cell) {"use strict";\n${cell.js}\n})`, context) as (rt: unknown) => unknown;
  const started = fn(runtime);
  const value = cell.generator ? await driveGenerator(started as Generator<unknown, unknown, unknown>) : await started;
  return { value, cell };
}

describe('transpileCell', () => {
  test('top-level declarations become assignments to the scope, functions hoisted', async () => {
    const scope: Record<string, unknown> = {};
    const { value, cell } = await runRewritten(
      'const a: number = 2, { b, c: [d = 5] } = { b: 3, c: [] as number[] };\nconst r = twice(a);\n' +
        'function twice(x: number) { return 2 * x; }\nclass K { v = r + b + d }\nnew K().v',
      scope,
    );
    assert.equal(value, 4 + 3 + 5);
    assert.deepEqual(new Set(cell.declared), new Set(['a', 'b', 'd', 'r', 'twice', 'K']));
    assert.equal(scope.a, 2);
    assert.equal(scope.d, 5);
    assert.equal(typeof scope.twice, 'function');
    assert.equal((scope.K as { name: string }).name, 'K');
  });

  test('re-declaring with let/const in a later cell replaces the value', async () => {
    const scope: Record<string, unknown> = {};
    await runRewritten('const x = 1;', scope);
    await runRewritten('let x = "two";', scope);
    assert.equal(scope.x, 'two');
    await runRewritten('let x;', scope);
    assert.equal(scope.x, undefined);
    scope.v = 7;
    await runRewritten('var v;', scope);
    assert.equal(scope.v, 7, '`var v;` keeps the value');
  });

  test('imports bind default, named, renamed and namespace names; type-only imports vanish', async () => {
    const mod = { default: 'D', y: 'Y', z: 'Z' };
    const scope: Record<string, unknown> = {};
    const { cell } = await runRewritten(
      "import d, { y, z as zz, type T } from 'm';\nimport * as ns from 'm';\nimport type { U } from 'm';\nimport e = require('m');",
      scope,
      { m: mod },
    );
    assert.deepEqual([scope.d, scope.y, scope.zz, scope.ns, scope.e], ['D', 'Y', 'Z', mod, mod]);
    assert.ok(!cell.declared.includes('T') && !cell.declared.includes('U'));
  });

  test('enums and namespaces are published; type declarations produce no code', async () => {
    const scope: Record<string, unknown> = {};
    const { value } = await runRewritten(
      'enum Color { Red, Green }\nnamespace N { export const k = 3 }\ninterface I { a: number }\ntype T = I;\nColor.Green + N.k',
      scope,
    );
    assert.equal(value, 4);
    assert.equal((scope.Color as Record<string, number>).Red, 0);
    assert.equal((scope.N as { k: number }).k, 3);
  });

  test('the last expression is the result; declarations and statements give none', () => {
    assert.equal(transpileCell('1 + 1', 'c.ts').hasResult, true);
    assert.equal(transpileCell('const a = 1;', 'c.ts').hasResult, false);
    assert.equal(transpileCell('for (;;) break;', 'c.ts').hasResult, false);
    assert.equal(transpileCell('f();\ninterface I {}', 'c.ts').hasResult, true, 'type-only statements after the expression do not count');
  });

  test('top-level awaits become yields, nested ones stay awaits; both go through __cell.awaited', () => {
    const { js, generator } = transpileCell("const m = await import('./x');\nasync function g() { return await h(); }", 'c.ts');
    assert.equal(generator, true);
    assert.match(js, /m = \(yield __cell\.awaited\(__cell\.import\('\.\/x'\)\)\)/);
    assert.match(js, /return await __cell\.awaited\(h\(\)\)/);
  });

  test('a top-level for await keeps the cell an async function', async () => {
    const cell = transpileCell(
      'const got: number[] = [];\nasync function* gen() { yield 1; yield 2; }\nfor await (const v of gen()) got.push(v);\nawait 0;',
      'c.ts',
    );
    assert.equal(cell.generator, false);
    assert.match(cell.js, /await __cell\.awaited\(0\)/);
    const scope: Record<string, unknown> = {};
    await runRewritten(
      'const got: number[] = [];\nasync function* gen() { yield 1; yield 2; }\nfor await (const v of gen()) got.push(v);',
      scope,
    );
    assert.deepEqual([...(scope.got as number[])], [1, 2]);
  });

  test('awaited values come back into expressions in generator mode', async () => {
    const scope: Record<string, unknown> = {};
    const { value } = await runRewritten('const a = 1 + await Promise.resolve(2);\n(await Promise.resolve(a)) * 10', scope);
    assert.equal(value, 30);
  });

  test('a syntax error is reported with its cell line and column', () => {
    const { syntaxErrors } = transpileCell('const ok = 1;\nconst x = (1 +;', 'c.ts');
    assert.equal(syntaxErrors.length > 0, true);
    assert.deepEqual([syntaxErrors[0].line, syntaxErrors[0].column], [2, 15]);
  });

  test('generated positions map back to the cell through the source map', () => {
    const code = 'const pad: { a: number } = { a: 1 };\n\nfunction boom(): never {\n  throw new Error("x");\n}';
    const { js, lineMap } = transpileCell(code, 'c.ts');
    const lines = js.split('\n');
    const genLine = lines.findIndex((l) => l.includes('throw new Error')) + 1;
    const genCol = lines[genLine - 1].indexOf('throw') + 1;
    assert.deepEqual(lineMap.original(genLine, genCol), { line: 4, column: 3 });
  });
});

describe('LineMap', () => {
  test('decodes base64 VLQ segments ("AAAA;AACA,EAAE", decoded by hand: relative line and column steps)', () => {
    const map = new LineMap('AAAA;AACA,EAAE');
    assert.deepEqual(map.original(1, 1), { line: 1, column: 1 });
    assert.deepEqual(map.original(2, 1), { line: 2, column: 1 });
    assert.deepEqual(map.original(2, 3), { line: 2, column: 3 });
  });

  test('rejects a malformed mappings string, naming the bad character', () => {
    assert.throws(() => new LineMap('A!A'), /invalid base64 character '!'/);
  });
});

describe('isComplete', () => {
  const cases: Array<[string, string]> = [
    ['1 + 1', 'complete'],
    ['const t = `a ${ {a: 1}.a } b`;', 'complete'],
    ['function f() {', 'incomplete'],
    ['foo(1,', 'incomplete'],
    ['const t = `line one', 'incomplete'],
    ['const t = `a ${b', 'incomplete'],
    ['/* a comment', 'incomplete'],
    ['const x =', 'incomplete'],
    ['if (a)', 'incomplete'],
    ['x = )', 'invalid'],
    [')', 'invalid'],
    ['let 1x = 3', 'invalid'],
    ['const s = "open', 'invalid'],
  ];
  for (const [code, status] of cases) {
    test(`${JSON.stringify(code)} is ${status}`, () => assert.equal(isComplete(code).status, status));
  }

  test('the indent follows the open brackets', () => {
    assert.equal(isComplete('f(() => {').indent, '    ');
  });
});
