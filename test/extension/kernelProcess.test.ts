// KernelSession against the real kernel process and protocol (kernel/main.ts over ZeroMQ), with a
// scripted executor: outputs reach a cell through CellOutputStream, the backend setting reaches
// the kernel, interrupt, crash reporting with the log tail, and a quiet shutdown.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CellOutputStream, DisplayRegistry, type OutputTarget } from '../../extension/cellOutputStream';
import type { OutputData, OutputItemData } from '../../extension/jupyterOutputs';
import { KernelSession, type KernelExit, type KernelLaunch } from '../../extension/kernelProcess';

const root = path.resolve(__dirname, '..', '..');
const FAKE_EXECUTOR = path.join(__dirname, 'fixtures', 'fakeExecutor.js');

function launch(overrides: Partial<KernelLaunch> = {}): KernelLaunch {
  return {
    // Run the kernel from source, as `node --import tsx kernel/main.ts`.
    kernelMain: path.join(root, 'kernel', 'main.ts'),
    runtime: { command: process.execPath, env: { NODE_OPTIONS: '--import tsx' }, source: 'PATH' },
    kernelArgs: ['--executor-module', FAKE_EXECUTOR, '--no-history-file'],
    backend: 'wasm',
    cwd: root, // NODE_OPTIONS' --import tsx resolves from here
    readyTimeoutMs: 60_000,
    ...overrides,
  };
}

class RecordingCell implements OutputTarget<number> {
  outputs: { items: string[]; type: unknown }[] = [];
  async append(o: OutputData) {
    this.outputs.push({ items: o.items.map((i) => text(i)), type: o.metadata.outputType });
    return this.outputs.length - 1;
  }
  async appendItems(h: number, items: OutputItemData[]) {
    this.outputs[h].items.push(...items.map(text));
  }
  async replaceItems(h: number, o: OutputData) {
    this.outputs[h].items = o.items.map(text);
  }
  async clear() {
    this.outputs = [];
  }
}
const text = (i: OutputItemData) => Buffer.from(i.data).toString('utf8');

async function runCell(session: KernelSession, code: string) {
  const cell = new RecordingCell();
  const stream = new CellOutputStream(cell, new DisplayRegistry<number>(), 'cell');
  const run = session.client.execute(code);
  for await (const m of run) await stream.handle(m.header.msg_type, m.content as Record<string, unknown>);
  return { cell, reply: (await run.reply).content };
}

describe('KernelSession with the real kernel process', { timeout: 120_000 }, () => {
  const sessions: KernelSession[] = [];
  after(async () => {
    for (const s of sessions) await s.shutdown();
  });

  test('streams, displays updated in place, results; backend from the kernel; quiet shutdown', async () => {
    const exits: KernelExit[] = [];
    const log: string[] = [];
    const session = await KernelSession.start(
      launch(),
      (l) => log.push(l),
      (e) => exits.push(e),
    );
    sessions.push(session);

    const { cell, reply } = await runCell(session, 'display');
    assert.equal(reply.status, 'ok');
    assert.deepEqual(cell.outputs, [
      { items: ['v2'], type: 'display_data' },
      { items: ['between\n'], type: 'stream' },
      { items: ['done 1'], type: 'execute_result' },
    ]);
    const printed = await runCell(session, 'print a b c');
    assert.deepEqual(printed.cell.outputs, [{ items: ['a\n', 'b\n', 'c\n'], type: 'stream' }]);

    // The backend setting travels as CONVKAN_BACKEND; kernel_info's convkan field reports it once the executor is up.
    await session.refreshBackend();
    assert.deepEqual(session.backend, { name: 'wasm', label: 'wasm (fake)', reason: 'forced by test' });

    const pid = session.pid!;
    assert.ok(fs.existsSync(session.connectionFile));
    await session.shutdown();
    assert.equal(session.isAlive, false);
    assert.equal(fs.existsSync(session.connectionFile), false, 'the connection file (it holds the key) is removed');
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
    assert.deepEqual(exits, [], 'a requested shutdown is not reported as a crash');
  });

  test('errors come back with name, message and traceback', async () => {
    const session = await KernelSession.start(
      launch(),
      () => {},
      () => {},
    );
    sessions.push(session);
    const { cell, reply } = await runCell(session, 'fail');
    assert.equal(reply.status, 'error');
    assert.equal(cell.outputs[0].type, 'error');
    assert.deepEqual(JSON.parse(cell.outputs[0].items[0]), { name: 'Error', message: 'boom', stack: 'Error: boom\n    at cell 1:1' });
  });

  test('interrupt stops a waiting cell and the kernel stays usable', async () => {
    const session = await KernelSession.start(
      launch(),
      () => {},
      () => {},
    );
    sessions.push(session);
    const run = runCell(session, 'wait');
    await new Promise((r) => setTimeout(r, 300));
    await session.interrupt();
    const { reply } = await run;
    assert.equal(reply.status, 'error');
    assert.equal((reply as { ename?: string }).ename, 'KeyboardInterrupt');
    const after = await runCell(session, 'print still-alive');
    assert.deepEqual(
      { status: after.reply.status, outputs: after.cell.outputs },
      { status: 'ok', outputs: [{ items: ['still-alive\n'], type: 'stream' }] },
    );
  });

  test('a crash is reported with the exit code and the last log lines, and the running cell fails', async () => {
    let resolveExit!: (e: KernelExit) => void;
    const exited = new Promise<KernelExit>((r) => (resolveExit = r));
    const session = await KernelSession.start(launch(), () => {}, resolveExit);
    sessions.push(session);
    await assert.rejects(runCell(session, 'crash'), /Kernel process exited \(SIGKILL\) while requests were pending/);
    const exit = await exited;
    assert.equal(exit.code, 'SIGKILL');
    assert.ok(
      exit.logTail.some((l) => l.includes('simulated crash')),
      `log tail: ${exit.logTail.join(' | ')}`,
    );
    assert.equal(session.isAlive, false);
    assert.equal(fs.existsSync(session.connectionFile), false, 'the connection file goes with the crashed process');
  });

  test('a kernel that cannot start is an error naming the cause and its output', async () => {
    await assert.rejects(
      KernelSession.start(
        launch({ kernelArgs: ['--no-such-flag'] }),
        () => {},
        () => {},
      ),
      (e: Error) => /ConvKAN kernel did not start/.test(e.message) && /unknown argument "--no-such-flag"/.test(e.message),
    );
  });

  test('a kernel does not outlive the process that started it (VS Code quitting)', async () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'launchAndExit.ts')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const pid = Number(out.trim());
    assert.ok(Number.isInteger(pid) && pid > 0, `the launcher printed the kernel pid, got ${JSON.stringify(out)}`);
    let alive = true;
    for (let i = 0; i < 50 && alive; i++) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 100));
      } catch {
        alive = false;
      }
    }
    assert.equal(alive, false, `kernel ${pid} still runs after its parent exited`);
  });
});
