// Argument parsing of the kernel, install and runner CLIs, and the kernelspec they write.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseKernelCliArgs } from '../../kernel/cli/kernelCli';
import { kernelSpecJson, kernelsDir } from '../../kernel/cli/kernelspec';
import { parseNotebookCliArgs } from '../../kernel/cli/notebookCli';
import { parseKernelArgs } from '../../kernel/main';
import { GLIBC_TUNABLES_VALUE } from '../../kernel/protocol/kernelEnv';

describe('command lines', () => {
  test('kernel: -f and --connection-file, flags, and clear errors', () => {
    assert.equal((parseKernelArgs(['-f', 'c.json']) as { connectionFile: string }).connectionFile, 'c.json');
    const a = parseKernelArgs(['--connection-file=c.json', '--restart-in-process', '--block-on-type-errors']);
    assert.ok(a !== 'help' && a.inProcessRestart && a.blockOnTypeErrors && a.connectionFile === 'c.json');
    assert.equal(parseKernelArgs(['--help']), 'help');
    assert.throws(() => parseKernelArgs([]), /--connection-file is required/);
    assert.throws(() => parseKernelArgs(['-f']), /-f needs a value, but got none/);
    assert.throws(() => parseKernelArgs(['-f', 'x', '--bogus']), /unknown argument "--bogus"/);
  });

  test('install: locations, name, display name; one location at most', () => {
    assert.deepEqual(parseKernelCliArgs(['install']).location, { kind: 'user' });
    assert.deepEqual(parseKernelCliArgs(['install', '--sys-prefix']).location, { kind: 'sys-prefix' });
    const p = parseKernelCliArgs(['install', '--prefix', '/opt/x', '--name', 'ck', '--display-name', 'CK']);
    assert.deepEqual([p.location, p.name, p.displayName], [{ kind: 'prefix', dir: '/opt/x' }, 'ck', 'CK']);
    assert.equal(parseKernelCliArgs(['--help']).command, 'help');
    assert.throws(
      () => parseKernelCliArgs(['install', '--user', '--sys-prefix']),
      /at most one of --user, --sys-prefix, --prefix, but got 2/,
    );
    assert.throws(() => parseKernelCliArgs(['frobnicate']), /must be "install" or "uninstall", but got "frobnicate"/);
    assert.throws(() => parseKernelCliArgs(['install', '--prefix']), /--prefix needs a value, but got none/);
  });

  test('kernelspec: paths and kernel.json contents', () => {
    assert.equal(kernelsDir({ kind: 'prefix', dir: '/opt/x' }), '/opt/x/share/jupyter/kernels');
    const old = process.env.JUPYTER_DATA_DIR;
    process.env.JUPYTER_DATA_DIR = '/data/jupyter';
    try {
      assert.equal(kernelsDir({ kind: 'user' }), '/data/jupyter/kernels');
    } finally {
      if (old === undefined) delete process.env.JUPYTER_DATA_DIR;
      else process.env.JUPYTER_DATA_DIR = old;
    }
    const spec = kernelSpecJson({ node: '/usr/bin/node', main: '/pkg/out/kernel/main.js' });
    assert.deepEqual(spec.argv, ['/usr/bin/node', '/pkg/out/kernel/main.js', '--connection-file', '{connection_file}']);
    assert.equal(spec.display_name, 'ConvKAN (TypeScript)');
    assert.equal(spec.language, 'typescript');
    assert.equal(spec.interrupt_mode, 'message');
    assert.equal(spec.env.GLIBC_TUNABLES, GLIBC_TUNABLES_VALUE);
  });

  test('install then uninstall in a prefix writes kernel.json and logos, then removes them', async () => {
    const { installKernelSpec, uninstallKernelSpec, kernelMainPath } = await import('../../kernel/cli/kernelspec');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-spec-'));
    const main = kernelMainPath();
    const built = fs.existsSync(main);
    if (!built) (fs.mkdirSync(path.dirname(main), { recursive: true }), fs.writeFileSync(main, '// placeholder for this test\n'));
    try {
      const specDir = installKernelSpec({ location: { kind: 'prefix', dir }, name: 'ck-test', displayName: 'CK' });
      assert.deepEqual(fs.readdirSync(specDir).sort(), ['kernel.json', 'logo-32x32.png', 'logo-64x64.png', 'logo-svg.svg']);
      assert.equal(JSON.parse(fs.readFileSync(path.join(specDir, 'kernel.json'), 'utf8')).display_name, 'CK');
      const png = fs.readFileSync(path.join(specDir, 'logo-64x64.png'));
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.equal(png.readUInt32BE(16), 64);
      assert.equal(uninstallKernelSpec({ kind: 'prefix', dir }, 'ck-test'), specDir);
      assert.equal(fs.existsSync(specDir), false);
      assert.equal(uninstallKernelSpec({ kind: 'prefix', dir }, 'ck-test'), undefined);
      assert.throws(() => installKernelSpec({ location: { kind: 'prefix', dir }, name: 'bad name' }), /--name must use only letters/);
    } finally {
      if (!built) fs.rmSync(main);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('runner: defaults and validation', () => {
    const a = parseNotebookCliArgs(['run', 'examples/tour.ipynb']);
    assert.ok(a !== 'help');
    assert.equal(a.out, 'examples/tour.executed.ipynb');
    assert.equal(a.allowErrors, false);
    const b = parseNotebookCliArgs(['run', 'x.ipynb', '--out', 'y.ipynb', '--timeout', '2.5', '--allow-errors']);
    assert.ok(b !== 'help' && b.out === 'y.ipynb' && b.timeoutSeconds === 2.5 && b.allowErrors);
    assert.throws(
      () => parseNotebookCliArgs(['run', 'x.ipynb', '--timeout', '-1']),
      /--timeout must be a number of seconds >= 0 \(0: no limit\), but got "-1"/,
    );
    assert.throws(() => parseNotebookCliArgs(['run']), /a notebook path is required/);
    assert.throws(() => parseNotebookCliArgs(['exec', 'x']), /must be "run" or "export", but got "exec"/);
  });
});
