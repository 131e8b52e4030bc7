// The executor running real cells: state across cells, re-declaration, top-level await, imports of
// local .ts files and npm packages (CommonJS and ESM-only), errors at cell positions, type errors,
// streaming, display, the tf/convkan globals, completion and inspect.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tfTest from '@tensorflow/tfjs';
import { createExecutor, type TypeScriptExecutor } from '../../kernel/exec/executor';
import type { ExecuteHooks, ExecuteOutcome, MimeBundle } from '../../kernel/exec/executorApi';

interface Recorded {
  events: Array<{
    kind: 'stdout' | 'stderr' | 'display' | 'clear';
    text?: string;
    bundle?: MimeBundle;
    displayId?: string;
    update?: boolean;
  }>;
  hooks: ExecuteHooks;
  text(kind: 'stdout' | 'stderr'): string;
}

function recorder(onStdout?: (text: string) => void): Recorded {
  const events: Recorded['events'] = [];
  return {
    events,
    hooks: {
      stdout: (text) => {
        events.push({ kind: 'stdout', text });
        onStdout?.(text);
      },
      stderr: (text) => void events.push({ kind: 'stderr', text }),
      display: (bundle, o) => void events.push({ kind: 'display', bundle, ...o }),
      clearOutput: () => void events.push({ kind: 'clear' }),
      input: async () => '',
    },
    text: (kind) =>
      events
        .filter((e) => e.kind === kind)
        .map((e) => e.text)
        .join(''),
  };
}

let dir: string;
let ex: TypeScriptExecutor;

async function run(code: string, rec = recorder()): Promise<ExecuteOutcome & { rec: Recorded }> {
  return { ...(await ex.execute(code, rec.hooks)), rec };
}

function resultText(out: ExecuteOutcome): unknown {
  assert.equal(out.status, 'ok', out.status === 'error' ? `${out.ename}: ${out.evalue}\n${out.traceback.join('\n')}` : '');
  return out.status === 'ok' ? out.result?.data['text/plain'] : undefined;
}

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exec-cells-'));
  writeFiles(dir, {
    'util.ts':
      "import { helper } from './lib/helper';\nexport const greet = (n: string): string => helper('hi ' + n);\n" +
      "export default 42;\n\nexport function fail(): never {\n  throw new Error('failed in util');\n}\n",
    'lib/helper.ts': 'export function helper(s: string): string {\n  return s.toUpperCase();\n}\n',
    'node_modules/esm-only/package.json': JSON.stringify({ name: 'esm-only', type: 'module', exports: { import: './index.js' } }),
    'node_modules/esm-only/index.js': "export const answer = 42;\nexport default function hello() { return 'hello from esm'; }\n",
    'node_modules/cjs-pkg/package.json': JSON.stringify({ name: 'cjs-pkg', main: 'main.js' }),
    'node_modules/cjs-pkg/main.js': 'module.exports = { twice: (x) => 2 * x };\n',
  });
  ex = createExecutor({ cwd: dir });
});

after(async () => {
  await ex.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('executor: state and results', () => {
  test('banner names TensorFlow.js, the backend and why', async () => {
    const banner = await ex.banner();
    assert.match(banner, /TensorFlow\.js 4\.22\.0, backend: \S+/);
    assert.match(banner, /TypeScript 5\.9/);
  });

  test('backend() is the banner backend as data: the one TensorFlow.js runs on', async () => {
    const backend = await ex.backend();
    assert.ok(backend, 'TensorFlow.js loaded, so the backend is known');
    assert.equal(backend.name, tfTest.getBackend());
    assert.ok(backend.label && backend.reason, `label and reason are filled in: ${JSON.stringify(backend)}`);
    assert.ok((await ex.banner()).includes(`backend: ${backend.label} (${backend.reason})`), 'the banner says the same in words');
  });

  test('variables persist across cells and the last expression is the result', async () => {
    assert.equal(resultText(await run('const a = 20;')), undefined);
    assert.equal(resultText(await run('a + 1')), '21');
  });

  test('const/let/class/function can be declared again by re-running cells', async () => {
    for (let i = 0; i < 2; i++) {
      resultText(await run('const b = 1;\nclass Point { constructor(public x: number) {} }\nfunction mk() { return new Point(b); }'));
    }
    assert.equal(resultText(await run('let b = 5;\nmk().x')), '5');
  });

  test('functions from earlier cells see later assignments (one shared binding)', async () => {
    resultText(await run('let count = 0;\nfunction inc() { return ++count; }'));
    assert.equal(resultText(await run('inc(); inc()')), '2');
    assert.equal(resultText(await run('count')), '2');
  });

  test('top-level await', async () => {
    assert.equal(resultText(await run('const v = await new Promise<number>((r) => setTimeout(() => r(5), 5));\nv * 2')), '10');
  });

  test('cells started without waiting run one after the other, each with its own output', async () => {
    const first = recorder();
    const second = recorder();
    const p1 = ex.execute("await new Promise((r) => setTimeout(r, 50));\nconsole.log('one');\nlet order = ['first'];", first.hooks);
    const p2 = ex.execute("console.log('two');\norder.push('second');\norder", second.hooks);
    const [o1, o2] = await Promise.all([p1, p2]);
    assert.equal(o1.status, 'ok');
    assert.equal(resultText(o2), "[ 'first', 'second' ]");
    assert.equal(first.text('stdout'), 'one\n');
    assert.equal(second.text('stdout'), 'two\n');
  });

  test('a cell ending in a declaration has no result', async () => {
    const out = await run('const nothing = 1;');
    assert.deepEqual(out.status === 'ok' && out.result, undefined);
  });

  test('declaring a name the kernel needs is refused with the name', async () => {
    const out = await run('const process = 1;');
    assert.equal(out.status, 'error');
    assert.match(out.status === 'error' ? out.evalue : '', /'process'/);
  });

  test('tracks the time and tensor count of a cell', async () => {
    resultText(await run('const kept = tf.zeros([3]);'));
    assert.equal(ex.lastCellStats?.tensorsDelta, 1);
    assert.equal(ex.lastCellStats?.bytesDelta, 12);
  });
});

describe('executor: imports', () => {
  test('a local .ts file (which imports another) relative to the notebook', async () => {
    assert.equal(resultText(await run("import answer, { greet } from './util';\ngreet('x') + answer")), "'HI X42'");
  });

  test('imported names persist into later cells', async () => {
    assert.equal(resultText(await run("greet('y')")), "'HI Y'");
  });

  test('an ESM-only npm package from the notebook node_modules (static and dynamic import)', async () => {
    assert.equal(resultText(await run("import hello, { answer as ans } from 'esm-only';\nhello() + ' ' + ans")), "'hello from esm 42'");
    assert.equal(resultText(await run("const m = await import('esm-only');\nm.answer")), '42');
  });

  test('require and import of a CommonJS package', async () => {
    assert.equal(resultText(await run("const c = require('cjs-pkg');\nc.twice(4)")), '8');
    assert.equal(resultText(await run("import cj from 'cjs-pkg';\ncj.twice(5)")), '10');
  });

  test('a missing module names the specifier', async () => {
    const out = await run("import nope from './does-not-exist';");
    assert.equal(out.status, 'error');
    assert.match(out.status === 'error' ? out.evalue : '', /Cannot find module '\.\/does-not-exist'/);
  });
});

describe('executor: tf and the ConvKAN library', () => {
  test('tensors made in cells are the library classes; importing tfjs gives the same classes', async () => {
    assert.equal(
      resultText(
        await run(
          "import * as tf2 from '@tensorflow/tfjs';\nconst t = tf.ones([2, 2]);\n" +
            'tf2.Tensor === tf.Tensor && tf2.memory === tf.memory && t instanceof tf2.Tensor',
        ),
      ),
      'true',
    );
    assert.ok((globalThis as unknown as { t: unknown }).t instanceof tfTest.Tensor);
    resultText(await run('t.dispose();'));
  });

  test('ConvKAN classes are globals, and a layer runs on a tensor', async () => {
    const out = await run(
      'const layer = new ConvKAN2D({ inChannels: 1, filters: 2, kernelSize: 3, padding: 1 });\n' +
        'const y = tf.tidy(() => layer.apply(tf.zeros([1, 4, 4, 1])) as tf.Tensor);\nconst shape = y.shape; y.dispose();\nshape',
    );
    assert.equal(resultText(out), '[ 1, 4, 4, 2 ]');
    assert.equal(resultText(await run('convkan.ConvKAN2D === ConvKAN2D && typeof KANLinear')), "'function'");
  });

  test('a tensor result is shown (shape and dtype) without leaking or disposing tensors', async () => {
    const before = tfTest.memory().numTensors;
    const text = resultText(await run('const shown = tf.tensor([1, 2, 3]);\nshown'));
    assert.match(String(text), /shape=\[3\]/);
    assert.equal(tfTest.memory().numTensors, before + 1, 'only the tensor the cell keeps');
    resultText(await run('shown.dispose();'));
    assert.equal(tfTest.memory().numTensors, before);
  });

  test('a cell that makes no tensors leaves the tensor count unchanged', async () => {
    const before = tfTest.memory().numTensors;
    resultText(await run('const plain = [1, 2, 3].map((x) => x * 2);\nplain'));
    assert.equal(tfTest.memory().numTensors, before);
  });
});

describe('executor: output', () => {
  test('console.log streams while the cell is still running', { timeout: 60_000 }, async () => {
    // The cell waits for a promise that only the stdout hook resolves: buffered output would hang here.
    const rec = recorder((text) => {
      if (text.includes('first')) (globalThis as unknown as { releaseCell: () => void }).releaseCell();
    });
    const out = await run(
      "const gate = new Promise<void>((r) => ((globalThis as any).releaseCell = r));\nconsole.log('first');\nawait gate;\n" +
        "console.error('second');\n'done'",
      rec,
    );
    assert.equal(resultText(out), "'done'");
    assert.deepEqual(
      rec.events.map((e) => [e.kind, e.text]),
      [
        ['stdout', 'first\n'],
        ['stderr', 'second\n'],
      ],
    );
  });

  test('display() sends a display_data bundle and is not also the result', async () => {
    const out = await run("display.html('<b>bold</b>')");
    assert.equal(out.status === 'ok' && out.result, undefined);
    const shown = out.rec.events.find((e) => e.kind === 'display');
    assert.equal(shown?.bundle?.data['text/html'], '<b>bold</b>');
  });
});

describe('executor: input', () => {
  test('input() asks the client through the running cell and returns its answer', async () => {
    const rec = recorder();
    const asked: Array<[string, boolean]> = [];
    rec.hooks.input = async (prompt, password) => {
      asked.push([prompt, password]);
      return 'Ada';
    };
    const out = await ex.execute(
      "const who = await input('name? ');\nconst pin = await input('pin: ', { password: true });\n'hello ' + who",
      rec.hooks,
    );
    assert.equal(resultText(out), "'hello Ada'");
    assert.deepEqual(asked, [
      ['name? ', false],
      ['pin: ', true],
    ]);
  });

  test('input() fails with the client refusal', async () => {
    const rec = recorder();
    rec.hooks.input = async () => {
      throw new Error('stdin is not allowed by this client');
    };
    const out = await ex.execute("await input('x')", rec.hooks);
    assert.equal(out.status, 'error');
    assert.match(out.status === 'error' ? out.evalue : '', /stdin is not allowed/);
  });
});

describe('executor: errors', () => {
  test('a runtime error points at the cell line and column', async () => {
    const out = await run('const ok = 1;\nfunction bad(): number {\n  return (null as any).x;\n}\nbad()');
    assert.equal(out.status, 'error');
    if (out.status !== 'error') return;
    assert.equal(out.ename, 'TypeError');
    const text = out.traceback.join('\n');
    assert.match(text, /at bad \(In\[\d+\]:3:24\)/);
    assert.match(text, /In\[\d+\]:5:1/);
    assert.match(text, /---->.* 3 {3}return \(null as any\)\.x;/);
    assert.doesNotMatch(text, /kernel\/exec/);
  });

  test('an error thrown in a local .ts file points at that file', async () => {
    const out = await run("import { fail } from './util';\nfail();");
    assert.equal(out.status, 'error');
    assert.match(out.status === 'error' ? out.traceback.join('\n') : '', /util\.ts:6:9/);
  });

  test('a syntax error is an error with its cell position, and nothing runs', async () => {
    const out = await run("globalThis.ran = 'no';\nconst broken = (1 + ;");
    assert.equal(out.status, 'error');
    if (out.status !== 'error') return;
    assert.equal(out.ename, 'SyntaxError');
    assert.match(out.evalue, /line 2, column 21/);
    assert.match(out.traceback.join('\n').replace(/\x1b\[[0-9;]*m/g, ''), /----> 2 const broken = \(1 \+ ;\n {28}\^/);
    assert.equal((globalThis as Record<string, unknown>).ran, undefined);
  });

  test("tracebacks name the cell after the client's execution count, uniquely", async () => {
    const first = await ex.execute('throw new Error("a")', recorder().hooks, { executionCount: 90 });
    const again = await ex.execute('\nthrow new Error("b")', recorder().hooks, { executionCount: 90 });
    assert.match(first.status === 'error' ? first.traceback.join('\n') : '', /at In\[90\]:1:7/);
    assert.match(again.status === 'error' ? again.traceback.join('\n') : '', /at In\[90\]#2:2:7/);
  });

  test('silent cells report no type errors', async () => {
    const rec = recorder();
    const out = await ex.execute('const quietTyped: string = 1;', rec.hooks, { silent: true });
    assert.equal(out.status, 'ok');
    assert.equal(rec.text('stderr'), '');
  });

  test('a syntax error only V8 finds (await in a plain arrow) points at the cell', async () => {
    const out = await run('const fine = 1;\nconst f = () => { await fine; };');
    assert.equal(out.status, 'error');
    if (out.status !== 'error') return;
    assert.equal(out.ename, 'SyntaxError');
    assert.match(out.evalue, /await is only valid in async functions.*line 2, column 19/);
    assert.match(out.traceback.join('\n').replace(/\x1b\[[0-9;]*m/g, ''), /----> 2 const f = \(\) => \{ await fine; \};/);
    assert.doesNotMatch(out.traceback.join('\n'), /execCells\.test/);
  });

  test('earlier state survives an error', async () => {
    await run('const survivor = 7;\nthrow new RangeError("boom")');
    assert.equal(resultText(await run('survivor')), '7');
  });

  test('a thrown non-Error value is reported', async () => {
    const out = await run('throw { code: 3 }');
    assert.equal(out.status, 'error');
    assert.match(out.status === 'error' ? out.evalue : '', /code: 3/);
  });

  test('type errors are reported on stderr with cell line:col, and the cell still runs', async () => {
    const out = await run('const s: string = 5;\ns');
    assert.equal(resultText(out), '5');
    assert.match(out.rec.text('stderr'), /In\[\d+\]:1:7 - error TS2322: Type 'number' is not assignable to type 'string'/);
  });

  test('types of earlier cells are known to the checker', async () => {
    resultText(await run('const typedLater = { n: 1 };\nfunction twiceN(x: number) { return 2 * x; }'));
    const out = await run('const bad: string = twiceN(typedLater.n);');
    assert.match(out.rec.text('stderr'), /TS2322: Type 'number' is not assignable to type 'string'/);
    const fine = await run('const good: number = twiceN(typedLater.n);');
    assert.equal(fine.rec.text('stderr'), '');
  });

  test('an empty array literal evolves its type as in tsc (no TS2345 for push); untyped parameters are not reported', async () => {
    const out = await run('const evolving = [];\nevolving.push(1);\nconst untyped = (x) => x;\nevolving.length');
    assert.equal(resultText(out), '1');
    assert.equal(out.rec.text('stderr'), '');
    const later = await run('const wrongLater: string = evolving.length;');
    assert.match(later.rec.text('stderr'), /TS2322/, 'a real type error is still reported');
  });

  test('a value whose type has no name in TypeScript does not break later declarations', async () => {
    resultText(await run('const anonymous = new (class { x = 1 })();\nconst afterAnonymous = 2;'));
    const out = await run('const wrong: string = afterAnonymous;\nanonymous.x');
    assert.match(out.rec.text('stderr'), /1:7 - error TS2322: Type 'number' is not assignable to type 'string'/);
    assert.doesNotMatch(out.rec.text('stderr'), /anonymous/);
  });

  test('a language-service worker that died is replaced by the next cell', async () => {
    const internals = ex as unknown as { language: { worker: { terminate(): Promise<number> } } };
    await internals.language.worker.terminate();
    const out = await run('const afterCrash: string = 1;');
    assert.match(out.rec.text('stderr'), /TS2322/);
  });

  test('blockOnTypeErrors makes a type error fail the cell before it runs', async () => {
    const strict = createExecutor({ cwd: dir, blockOnTypeErrors: true });
    try {
      const rec = recorder();
      const out = await strict.execute("globalThis.strictRan = true;\nconst n: number = 'text';", rec.hooks);
      assert.equal(out.status, 'error');
      if (out.status !== 'error') return;
      assert.equal(out.ename, 'TypeScriptError');
      assert.match(out.traceback.join('\n'), /In\[\d+\]:2:7 - error TS2322/);
      assert.equal((globalThis as Record<string, unknown>).strictRan, undefined);
      assert.equal(resultText(await strict.execute('1 + 1', rec.hooks)), '2');
    } finally {
      await strict.close();
    }
  });
});

describe('executor: completion and inspect', () => {
  test('completes a variable from an earlier cell', async () => {
    resultText(await run('const myLongVariable = 1;'));
    const code = 'myLong';
    const c = await ex.complete(code, code.length);
    assert.ok(c.matches.includes('myLongVariable'), `matches: ${c.matches.slice(0, 20).join(', ')}`);
    assert.deepEqual([c.cursorStart, c.cursorEnd], [0, code.length]);
  });

  test('completes tf members after the dot', async () => {
    const code = 'const z = tf.zer';
    const c = await ex.complete(code, code.length);
    assert.ok(c.matches.includes('zeros') && c.matches.includes('zerosLike'), `matches: ${c.matches.join(', ')}`);
    assert.equal(c.matches[0], 'zeros', 'exact-case prefix matches come before ZerosLike');
    assert.ok(
      c.matches.every((m) => m.toLowerCase().startsWith('zer')),
      `matches: ${c.matches.join(', ')}`,
    );
    assert.equal(c.cursorStart, code.length - 3);
  });

  test('completes members of an object typed in an earlier cell', async () => {
    resultText(await run('const config = { learningRate: 0.1, epochs: 3 };'));
    const code = 'config.lea';
    const c = await ex.complete(code, code.length);
    assert.deepEqual(c.matches, ['learningRate']);
  });

  test('inspect shows the signature and documentation', async () => {
    const r = await ex.inspect('tf.zeros', 'tf.zeros'.length, 0);
    assert.equal(r.found, true);
    assert.match(r.data['text/plain'], /function zeros/);
    assert.match(r.data['text/plain'], /Creates a `tf.Tensor` with all elements set to 0/);
    const v = await ex.inspect('myLongVariable', 3, 0);
    assert.match(v.data['text/plain'], /const myLongVariable: 1/);
  });

  test('inspect of nothing is not found', async () => {
    assert.deepEqual(await ex.inspect('   ', 1, 0), { found: false, data: {} });
  });
});

describe('executor: close', () => {
  test('closing removes the globals the cells defined', async () => {
    const other = createExecutor({ cwd: dir });
    const rec = recorder();
    resultText(await other.execute('const closeMe = 1;', rec.hooks));
    assert.equal((globalThis as Record<string, unknown>).closeMe, 1);
    await other.close();
    assert.equal('closeMe' in globalThis, false);
  });
});
