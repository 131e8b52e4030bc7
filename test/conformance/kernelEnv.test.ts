// Every kernel we start gets the tuned allocator (GLIBC_TUNABLES), merged with the user's own
// tunables: the kernelspec, startKernel's spawn (runner, CLIs), the benchmark launcher, and —
// asked from inside — a real kernel process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { GLIBC_TUNABLES_VALUE, kernelEnv, mergeGlibcTunables, spawnKernelEnv } from '../../kernel/protocol/kernelEnv';
import { kernelSpecJson } from '../../kernel/cli/kernelspec';
import { tunedNodeCommand } from '../../kernel/cli/tunedNode';
import { evaluate, startTestKernel } from './harness';

const root = path.resolve(__dirname, '..', '..');

function environOf(pid: number): Record<string, string> {
  const raw = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(
    raw
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

test('mergeGlibcTunables keeps every tunable the user set and adds ours for the rest', () => {
  assert.equal(mergeGlibcTunables(undefined), GLIBC_TUNABLES_VALUE);
  assert.equal(mergeGlibcTunables(''), GLIBC_TUNABLES_VALUE);
  assert.equal(mergeGlibcTunables('glibc.malloc.arena_max=2'), `glibc.malloc.arena_max=2:${GLIBC_TUNABLES_VALUE}`);
  assert.equal(
    mergeGlibcTunables('glibc.malloc.hugetlb=0'),
    'glibc.malloc.hugetlb=0:glibc.malloc.trim_threshold=4294967296:glibc.malloc.mmap_threshold=33554432',
  );
  assert.equal(mergeGlibcTunables(GLIBC_TUNABLES_VALUE), GLIBC_TUNABLES_VALUE, 'idempotent');
  assert.deepEqual(kernelEnv({}), { GLIBC_TUNABLES: GLIBC_TUNABLES_VALUE });
});

test("spawnKernelEnv: process env, then the caller's variables, GLIBC_TUNABLES merged from both", () => {
  const base = { PATH: '/bin', GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' };
  assert.deepEqual(spawnKernelEnv({ A: '1' }, base), {
    PATH: '/bin',
    A: '1',
    GLIBC_TUNABLES: `glibc.malloc.arena_max=2:${GLIBC_TUNABLES_VALUE}`,
  });
  assert.equal(spawnKernelEnv({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, base).GLIBC_TUNABLES?.split(':')[0], 'glibc.malloc.hugetlb=0');
});

test("the kernelspec carries the tunables, with the installing user's own kept", () => {
  assert.equal(kernelSpecJson({ env: {} }).env.GLIBC_TUNABLES, GLIBC_TUNABLES_VALUE);
  assert.equal(
    kernelSpecJson({ env: { GLIBC_TUNABLES: 'glibc.malloc.arena_max=4' } }).env.GLIBC_TUNABLES,
    `glibc.malloc.arena_max=4:${GLIBC_TUNABLES_VALUE}`,
  );
});

test('the benchmark launcher re-runs the script with the tunables and its exit code', () => {
  const c = tunedNodeCommand(['s.ts', '--reps=2'], ['--import', 'tsx'], { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2', X: 'y' });
  assert.deepEqual(c.args, ['--import', 'tsx', 's.ts', '--reps=2']);
  assert.equal(c.env.GLIBC_TUNABLES, `glibc.malloc.arena_max=2:${GLIBC_TUNABLES_VALUE}`);
  assert.equal(c.env.X, 'y');
  assert.throws(() => tunedNodeCommand([]), /tunedNode: expected a script to run/);
  const env = { ...process.env, GLIBC_TUNABLES: '' };
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'kernel/cli/tunedNode.ts', '-e', 'x'], { cwd: root, encoding: 'utf8', env });
  assert.notEqual(r.status, 0);
  const script = path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'tuned-')), 'print.ts');
  fs.writeFileSync(script, 'console.log(process.env.GLIBC_TUNABLES); process.exitCode = 3;\n');
  const ok = spawnSync(process.execPath, ['--import', 'tsx', 'kernel/cli/tunedNode.ts', script], { cwd: root, encoding: 'utf8', env });
  assert.equal(ok.status, 3);
  assert.equal(ok.stdout.trim(), GLIBC_TUNABLES_VALUE);
});

test('a kernel started by startKernel runs with the merged GLIBC_TUNABLES', { timeout: 60_000 }, async () => {
  const kernel = await startTestKernel({ env: { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' } });
  try {
    // glibc parses the variable in place at start (/proc/<pid>/environ keeps only the first tunable), so ask the process
    assert.equal(await evaluate(kernel, "envVar('GLIBC_TUNABLES')"), `glibc.malloc.arena_max=2:${GLIBC_TUNABLES_VALUE}`);
    assert.match(environOf(kernel.process.pid!).GLIBC_TUNABLES ?? '', /^glibc\.malloc\.arena_max=2/);
  } finally {
    await kernel.dispose(2000).catch(() => undefined);
  }
});
