import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findOnPath, resolveNodeRuntime } from '../../extension/nodeRuntime';

const only =
  (...files: string[]) =>
  (f: string) =>
    files.includes(f);

describe('resolveNodeRuntime', () => {
  test('the setting wins when it names an executable', () => {
    const r = resolveNodeRuntime({
      setting: '/opt/node/bin/node',
      pathEnv: '/usr/bin',
      execPath: '/vscode/code',
      isExecutable: only('/opt/node/bin/node', '/usr/bin/node'),
    });
    assert.deepEqual(r, { command: '/opt/node/bin/node', env: {}, source: 'setting' });
  });

  test('a setting that is not executable is an error naming the setting and the value', () => {
    assert.throws(
      () => resolveNodeRuntime({ setting: '/nope/node', pathEnv: '/usr/bin', execPath: '/x', isExecutable: only('/usr/bin/node') }),
      /convkan\.nodePath.*"\/nope\/node"/,
    );
  });

  test('then the first node on PATH', () => {
    const r = resolveNodeRuntime({
      setting: '',
      pathEnv: '/a:/b:/c',
      execPath: '/x',
      isExecutable: only('/b/node', '/c/node'),
      platform: 'linux',
    });
    assert.equal(r.command, '/b/node');
    assert.equal(r.source, 'PATH');
  });

  test("else VS Code's own runtime, run as plain Node", () => {
    const r = resolveNodeRuntime({ setting: '  ', pathEnv: '/a', execPath: '/vscode/code', isExecutable: only() });
    assert.deepEqual(r, { command: '/vscode/code', env: { ELECTRON_RUN_AS_NODE: '1' }, source: 'vscode' });
  });
});

test('findOnPath uses ; and node.exe on Windows', () => {
  assert.equal(findOnPath('C:\\a;C:\\b', (f) => f.endsWith('node.exe') && f.includes('b'), 'win32')?.endsWith('node.exe'), true);
  assert.equal(
    findOnPath(undefined, () => true),
    undefined,
  );
});
