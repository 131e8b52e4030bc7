// Jupyter's own kernel test suite (jupyter_kernel_test, Debian's python3-jupyter-kernel-test)
// against the installed kernelspec, through jupyter_client: every sample attribute is filled
// in (test_convkan_kernel.py), so no test of the suite is skipped.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createJupyterEnv, PYTHON, type JupyterEnv } from './jupyterEnv';

describe('jupyter_kernel_test', () => {
  let jupyter: JupyterEnv;
  before(() => {
    jupyter = createJupyterEnv();
  });
  after(() => jupyter.dispose());

  test('jupyter kernelspec list shows the installed kernel', () => {
    const r = spawnSync(PYTHON, ['-m', 'jupyter_client.kernelspecapp', 'list', '--json'], { env: jupyter.env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const specs = JSON.parse(r.stdout).kernelspecs as Record<
      string,
      { spec: { display_name: string; language: string; argv: string[]; interrupt_mode: string } }
    >;
    const spec = specs[jupyter.kernelName]?.spec;
    assert.ok(spec, `kernelspecs: ${Object.keys(specs).join(', ')}`);
    assert.equal(spec.display_name, 'ConvKAN (TypeScript)');
    assert.equal(spec.language, 'typescript');
    assert.equal(spec.interrupt_mode, 'message');
    assert.deepEqual(spec.argv.slice(-2), ['--connection-file', '{connection_file}']);
    assert.ok(path.isAbsolute(spec.argv[0]) && path.isAbsolute(spec.argv[1]));
  });

  test('every KernelTests case passes, none skipped', { timeout: 600_000 }, () => {
    const r = spawnSync(PYTHON, ['-m', 'unittest', '-v', 'test_convkan_kernel'], {
      cwd: __dirname,
      env: jupyter.env,
      encoding: 'utf8',
      timeout: 590_000,
    });
    const output = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, output);
    assert.match(output, /\nOK\s*$/m, output);
    assert.doesNotMatch(output, /skipped/i, output);
    // jupyter_kernel_test 0.4.5's KernelTests has 12 test methods; each must report "ok".
    const ran = /Ran (\d+) tests/.exec(output);
    assert.ok(ran && Number(ran[1]) >= 12, output);
    assert.equal((output.match(/\.\.\. ok$/gm) ?? []).length, Number(ran[1]), output);
  });
});
