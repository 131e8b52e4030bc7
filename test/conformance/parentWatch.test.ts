// A kernel whose launcher (JPY_PARENT_PID) dies ends itself, as ipykernel's parent poller does,
// instead of running on as an orphan; while the launcher lives, the kernel stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { launcherPid, processAlive, PARENT_PID_ENV } from '../../kernel/protocol/parentWatch';
import { startTestKernel } from './harness';

test('launcherPid reads JPY_PARENT_PID and ignores missing, init and junk values', () => {
  assert.equal(launcherPid({ [PARENT_PID_ENV]: '4242' }), 4242);
  assert.equal(launcherPid({}), undefined);
  assert.equal(launcherPid({ [PARENT_PID_ENV]: '1' }), undefined);
  assert.equal(launcherPid({ [PARENT_PID_ENV]: 'abc' }), undefined);
  assert.equal(processAlive(process.pid), true);
});

test('the kernel exits when its launcher process is gone, and not before', { timeout: 60_000 }, async () => {
  const launcher = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const kernel = await startTestKernel({ env: { [PARENT_PID_ENV]: String(launcher.pid) } });
  try {
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(processAlive(kernel.process.pid!), true, 'the kernel must live while its launcher does');
    assert.equal(await kernel.client.isAlive(5000), true);
    launcher.kill('SIGKILL');
    const ended = await Promise.race([kernel.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
    assert.equal(ended, true, `kernel ${kernel.process.pid} still runs 15 s after its launcher died; log:\n${kernel.log.join('\n')}`);
  } finally {
    launcher.kill('SIGKILL');
    await kernel.dispose(2000).catch(() => undefined);
  }
});
