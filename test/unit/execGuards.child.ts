// Child process of execGuards.test.ts: node:test counts any uncaught error in its own process as a test
// failure, so the executor's process guards are exercised here and the outcome printed as JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createExecutor } from '../../kernel/exec/executor';
import type { ExecuteHooks } from '../../kernel/exec/executorApi';

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exec-guards-'));
  const ex = createExecutor({ cwd: dir });
  const cells: Record<string, string> = {};
  const hooksFor = (name: string): ExecuteHooks => ({
    stdout: (t) => void (cells[name] = (cells[name] ?? '') + t),
    stderr: (t) => void (cells[name] = (cells[name] ?? '') + t),
    display: () => undefined,
    clearOutput: () => undefined,
    input: async () => '',
  });
  const run = (name: string, code: string) => ex.execute(code, hooksFor(name));
  const outcomes = [
    await run('timer', "setTimeout(() => { throw new Error('late boom'); }, 10);\nawait new Promise((r) => setTimeout(r, 300));"),
    await run('rejection', "Promise.reject(new Error('nobody awaits'));\nawait new Promise((r) => setTimeout(r, 300));"),
    // Thrown after its cell ended: reported with the cell that ran last.
    await run('early', "setTimeout(() => { throw new TypeError('after the end'); }, 100);"),
    await run('last', 'await new Promise((r) => setTimeout(r, 400));\n1 + 1'),
  ];
  await ex.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ cells, outcomes }));
}

void main();
