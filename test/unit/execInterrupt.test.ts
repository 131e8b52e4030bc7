// Interrupting cells: a synchronous loop (stopped by a real SIGINT, as the kernel's control thread
// sends it), a pending await, a loop of awaits and model.fit — each ends with KeyboardInterrupt, keeps
// earlier variables and leaves the executor usable.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createExecutor, type TypeScriptExecutor } from '../../kernel/exec/executor';
import type { ExecuteHooks, ExecuteOutcome } from '../../kernel/exec/executorApi';

let dir: string;
let ex: TypeScriptExecutor;
const onSigint = () => ex.interrupt();
const g = globalThis as Record<string, unknown>;

function hooks(onStdout: (text: string) => void = () => undefined): ExecuteHooks & { out: string[] } {
  const out: string[] = [];
  return {
    out,
    stdout: (text) => {
      out.push(text);
      onStdout(text);
    },
    stderr: (text) => void out.push(text),
    display: () => undefined,
    clearOutput: () => undefined,
    input: async () => '',
  };
}

function assertInterrupted(out: ExecuteOutcome): void {
  assert.equal(out.status, 'error', 'the cell should have been interrupted');
  if (out.status === 'error') {
    assert.equal(out.ename, 'KeyboardInterrupt', `${out.ename}: ${out.evalue}`);
    assert.match(out.traceback[0], /KeyboardInterrupt/);
  }
}

async function value(code: string): Promise<unknown> {
  const out = await ex.execute(code, hooks());
  assert.equal(out.status, 'ok', out.status === 'error' ? `${out.ename}: ${out.evalue}` : '');
  return out.status === 'ok' ? out.result?.data['text/plain'] : undefined;
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exec-interrupt-'));
  ex = createExecutor({ cwd: dir });
  // What the kernel's main.ts does: a SIGINT outside cell code interrupts instead of ending the process.
  process.on('SIGINT', onSigint);
  await ex.banner();
});

after(async () => {
  process.off('SIGINT', onSigint);
  await ex.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('interrupt', () => {
  test('a synchronous while (true) {} is stopped by SIGINT', { timeout: 120_000 }, async () => {
    await value('const keptBefore = 41;');
    // The worker sends SIGINT once the cell has started spinning (it raises the flag first).
    const started = new Int32Array(new SharedArrayBuffer(4));
    g.loopStarted = started;
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       Atomics.wait(workerData, 0, 0);
       setTimeout(() => process.kill(process.pid, 'SIGINT'), 200);`,
      { eval: true, workerData: started },
    );
    try {
      const out = await ex.execute('Atomics.store(loopStarted, 0, 1);\nAtomics.notify(loopStarted, 0);\nwhile (true) {}', hooks());
      assertInterrupted(out);
    } finally {
      await worker.terminate();
    }
    assert.equal(await value('keptBefore + 1'), '42');
  });

  test('a synchronous loop after a top-level await is stopped by SIGINT too', { timeout: 120_000 }, async () => {
    const started = new Int32Array(new SharedArrayBuffer(4));
    g.loopStarted2 = started;
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       Atomics.wait(workerData, 0, 0);
       setTimeout(() => process.kill(process.pid, 'SIGINT'), 200);`,
      { eval: true, workerData: started },
    );
    try {
      const out = await ex.execute(
        'await new Promise((r) => setTimeout(r, 10));\nAtomics.store(loopStarted2, 0, 1);\nAtomics.notify(loopStarted2, 0);\n' +
          'while (true) {}',
        hooks(),
      );
      assertInterrupted(out);
    } finally {
      await worker.terminate();
    }
    assert.equal(await value('keptBefore'), '41');
  });

  test('a pending await is interrupted', { timeout: 60_000 }, async () => {
    await value('let afterAwait = "not reached";');
    const h = hooks((text) => {
      if (text.includes('waiting')) setTimeout(() => ex.interrupt(), 20);
    });
    const out = await ex.execute("console.log('waiting');\nawait new Promise(() => {});\nafterAwait = 'reached';", h);
    assertInterrupted(out);
    assert.equal(await value('afterAwait'), "'not reached'");
  });

  test('a loop of awaits stops at its next await after the interrupt', { timeout: 60_000 }, async () => {
    const h = hooks((text) => {
      if (text.startsWith('step 3')) ex.interrupt();
    });
    const out = await ex.execute(
      "for (let i = 0; i < 100000; i++) {\n  console.log('step ' + i);\n  await new Promise((r) => setImmediate(r));\n}",
      h,
    );
    assertInterrupted(out);
    const stepsAtInterrupt = h.out.length;
    // Give a leftover loop many chances to go on; it must not.
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    assert.ok(h.out.length <= stepsAtInterrupt + 1, `the loop went on: ${h.out.length} steps after ${stepsAtInterrupt}`);
  });

  test('model.fit is stopped (stopTraining) and the model stays usable', { timeout: 120_000 }, async () => {
    await value(
      'const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });\n' +
        "model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\n" +
        'const xs = tf.ones([4, 1]); const ys = tf.ones([4, 1]);',
    );
    const h = hooks((text) => {
      if (text.startsWith('epoch 2')) ex.interrupt();
    });
    const out = await ex.execute(
      'const fitting = model.fit(xs, ys, { epochs: 100000, verbose: 0, callbacks: { onEpochEnd: async (e) ' +
        "=> console.log('epoch ' + e) } });\nawait fitting;",
      h,
    );
    assertInterrupted(out);
    // Without stopTraining this would run 100000 epochs and time the test out.
    const history = (await g.fitting) as { epoch: number[] };
    assert.ok(history.epoch.length < 100000, `trained ${history.epoch.length} epochs`);
    assert.equal(await value('model.predict(tf.ones([1, 1])).shape'), '[ 1, 1 ]');
    await value('xs.dispose(); ys.dispose();');
  });

  test('an interrupt that arrives before the code starts stops the cell', { timeout: 60_000 }, async () => {
    const pending = ex.execute('globalThis.neverStarted = false;\nwhile (true) {}', hooks());
    ex.interrupt();
    assertInterrupted(await pending);
    assert.equal(g.neverStarted, undefined);
  });

  test('an interrupt during type checking (after the runtime was ready) stops the cell', { timeout: 60_000 }, async () => {
    // The type-error report is written between the check and the start of the code: interrupt there.
    const h = hooks();
    h.stderr = (text) => {
      if (text.includes('TS2322')) ex.interrupt();
    };
    const out = await ex.execute("globalThis.notStartedEither = false;\nconst n: number = 'text';\nwhile (true) {}", h);
    assertInterrupted(out);
    assert.equal(g.notStartedEither, undefined);
  });

  test('interrupt with no cell running does nothing', async () => {
    ex.interrupt();
    assert.equal(await value('1 + 1'), '2');
  });
});
