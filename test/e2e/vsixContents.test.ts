// What the packaged .vsix holds of the kernel: compiled JavaScript and the declarations of the
// library and display (the notebook's TypeScript cells are checked against them), no TypeScript
// sources; and the declarations are complete, each relative import landing on a shipped .d.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { packageVsix } from './packageVsix';
import { zipEntries, type ZipEntry } from './zipEntries';

const root = path.resolve(__dirname, '..', '..');
/** vsce puts the extension's files under this folder of the archive. */
const EXT = 'extension/';

describe('the packaged .vsix', { timeout: 600_000 }, () => {
  let tmp: string;
  let entries: Map<string, ZipEntry>;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-vsix-'));
    const vsix = path.join(tmp, 'convkan-notebook.vsix');
    packageVsix(root, vsix);
    entries = new Map(zipEntries(vsix).map((e) => [e.name, e]));
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('ships the declarations of the library and display, and the compiled kernel', () => {
    for (const name of ['out/kernel/convkan/index.d.ts', 'out/kernel/display/index.d.ts', 'out/kernel/convkan/index.js', 'out/kernel/main.js']) {
      assert.ok(entries.has(EXT + name), `the .vsix holds ${name}`);
    }
  });

  test('ships no TypeScript sources of the kernel', () => {
    const sources = [...entries.keys()].filter((n) => n.startsWith(EXT) && /\.(ts|mts|cts)$/.test(n) && !n.endsWith('.d.ts') && !n.startsWith(`${EXT}node_modules/`));
    assert.deepEqual(sources, [], 'TypeScript sources in the .vsix');
    const kernelTree = [...entries.keys()].filter((n) => n.startsWith(`${EXT}kernel/`));
    assert.deepEqual(kernelTree, [], 'files from the kernel/ source tree in the .vsix');
  });

  test("every relative import of a shipped declaration resolves to a shipped declaration", () => {
    const declarations = [...entries.keys()].filter((n) => n.startsWith(`${EXT}out/kernel/`) && n.endsWith('.d.ts'));
    assert.ok(declarations.length > 20, `the library's and display's declarations are shipped (found ${declarations.length})`);
    const missing: string[] = [];
    for (const file of declarations) {
      for (const { fileName: spec } of ts.preProcessFile(entries.get(file)!.read().toString('utf8'), true, true).importedFiles) {
        if (!spec.startsWith('.')) continue;
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
        if (!entries.has(`${target}.d.ts`) && !entries.has(`${target}/index.d.ts`)) missing.push(`${file} imports ${spec}`);
      }
    }
    assert.deepEqual(missing, [], 'declarations importing files the .vsix lacks');
  });
});
