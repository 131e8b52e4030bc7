// Module resolution and loading for cells: package "exports" conditions and subpath patterns, local
// TypeScript files (reloaded when changed), CommonJS interop and the kernel-pinned modules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModuleLoader, namespaceOf } from '../../kernel/exec/moduleLoader';
import { isEsmFile, resolveLocalFile, resolvePackageForImport } from '../../kernel/exec/packageResolve';

let dir: string;

function write(rel: string, text: string): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exec-modules-'));
  write(
    'node_modules/cond/package.json',
    JSON.stringify({
      name: 'cond',
      exports: {
        '.': { node: { import: './node.mjs', require: './node.cjs' }, default: './browser.js' },
        './features/*': { import: './lib/features/*.mjs' },
        './plain': './plain.js',
      },
    }),
  );
  write('node_modules/cond/node.mjs', 'export const where = "node-import";\n');
  write('node_modules/cond/node.cjs', 'exports.where = "node-require";\n');
  write('node_modules/cond/lib/features/alpha.mjs', 'export const feature = "alpha";\n');
  write('node_modules/cond/plain.js', 'module.exports = "plain";\n');
  write('node_modules/@scope/legacy/package.json', JSON.stringify({ name: '@scope/legacy', module: 'esm/index.js', main: 'cjs/index.js' }));
  write('node_modules/@scope/legacy/esm/index.js', 'export default 1;\n');
  write('node_modules/@scope/legacy/cjs/index.js', 'module.exports = 1;\n');
  write('esm-dir/package.json', JSON.stringify({ type: 'module' }));
  write('esm-dir/a.js', 'export const a = 1;\n');
  write('src/util.ts', 'export const u = 1;\n');
  write('src/pkg/index.ts', 'export const i = 1;\n');
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('packageResolve', () => {
  test('the import condition nested under node wins over default', () => {
    assert.equal(resolvePackageForImport('cond', dir), path.join(dir, 'node_modules/cond/node.mjs'));
  });

  test('subpath patterns and plain subpaths of an exports map', () => {
    assert.equal(resolvePackageForImport('cond/features/alpha', dir), path.join(dir, 'node_modules/cond/lib/features/alpha.mjs'));
    assert.equal(resolvePackageForImport('cond/plain', dir), path.join(dir, 'node_modules/cond/plain.js'));
    assert.equal(resolvePackageForImport('cond/not-exported', dir), undefined);
  });

  test('without exports, a scoped package uses "module" before "main"', () => {
    assert.equal(
      resolvePackageForImport('@scope/legacy', path.join(dir, 'src')),
      path.join(dir, 'node_modules/@scope/legacy/esm/index.js'),
    );
  });

  test('local specifiers: extension-less, .js naming a .ts file, and folder index', () => {
    assert.equal(resolveLocalFile('./src/util', dir), path.join(dir, 'src/util.ts'));
    assert.equal(resolveLocalFile('./src/util.js', dir), path.join(dir, 'src/util.ts'));
    assert.equal(resolveLocalFile('./src/pkg', dir), path.join(dir, 'src/pkg/index.ts'));
    assert.equal(resolveLocalFile('./src/missing', dir), undefined);
  });

  test('ESM detection by extension and by the nearest package.json type', () => {
    assert.equal(isEsmFile(path.join(dir, 'esm-dir/a.js')), true);
    assert.equal(isEsmFile(path.join(dir, 'node_modules/cond/node.cjs')), false);
    assert.equal(isEsmFile(path.join(dir, 'node_modules/cond/node.mjs')), true);
  });
});

describe('ModuleLoader', () => {
  test('import uses the import condition, require the require condition', async () => {
    const loader = new ModuleLoader(dir, new Map());
    assert.equal((await loader.import('cond')).where, 'node-import');
    assert.equal((loader.require('cond') as { where: string }).where, 'node-require');
    assert.equal((await loader.import('cond/features/alpha')).feature, 'alpha');
  });

  test('a local .ts module is reloaded when its file changes', async () => {
    const loader = new ModuleLoader(dir, new Map());
    const file = write('reload.ts', 'export const version: number = 1;\n');
    fs.utimesSync(file, new Date(1_000_000), new Date(1_000_000));
    assert.equal((await loader.import('./reload')).version, 1);
    fs.writeFileSync(file, 'export const version: number = 2;\n');
    fs.utimesSync(file, new Date(2_000_000), new Date(2_000_000));
    assert.equal((await loader.import('./reload')).version, 2);
  });

  test('pinned modules are served as given, whatever node_modules holds', async () => {
    const pinnedValue = { pinned: true };
    const loader = new ModuleLoader(dir, new Map([['cond', () => pinnedValue]]));
    assert.equal(loader.require('cond'), pinnedValue);
    assert.equal((await loader.import('cond')).default, pinnedValue);
  });

  test('a missing package names the specifier and where it looked', async () => {
    const loader = new ModuleLoader(dir, new Map());
    await assert.rejects(loader.import('no-such-package'), /Cannot find module 'no-such-package' from .*node_modules, then the kernel's/);
  });
});

describe('namespaceOf', () => {
  test('CommonJS exports become the default plus named properties; __esModule objects stay as they are', () => {
    const cjs = { a: 1 };
    assert.deepEqual(namespaceOf(cjs), { default: cjs, a: 1 });
    const esModule = { __esModule: true, default: 5, b: 2 };
    assert.equal(namespaceOf(esModule), esModule);
    assert.deepEqual(namespaceOf('text'), { default: 'text' });
  });
});
