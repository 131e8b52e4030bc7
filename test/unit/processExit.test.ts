// process.exit() in a cell must not end the kernel process: while the executor's guards are
// installed it throws ProcessExitError; afterwards the real process.exit is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installProcessGuards, ProcessExitError } from '../../kernel/exec/processGuards';

test('process.exit throws a clear ProcessExitError while guards are installed, and is restored after', () => {
  const real = process.exit;
  const uninstall = installProcessGuards(() => undefined);
  try {
    assert.throws(
      () => process.exit(3),
      (e: Error) =>
        e instanceof ProcessExitError &&
        e.name === 'ProcessExitError' &&
        /process\.exit\(3\) was called in a cell; the kernel keeps running/.test(e.message),
    );
    assert.throws(() => process.exit(), /process\.exit\(\) was called in a cell/);
  } finally {
    uninstall();
  }
  assert.equal(process.exit, real);
});
