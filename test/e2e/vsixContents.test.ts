// What the packaged .vsix holds of the kernel: compiled JavaScript and the declarations of the
// library and display (the notebook's TypeScript cells are checked against them), no TypeScript
// sources; the declarations are complete (each relative import lands on a shipped .d.ts), and a
// cell type-checks against them as the installed kernel's language service does.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { CellLanguageService } from '../../kernel/exec/languageService';
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
    for (const name of [
      'out/kernel/convkan/index.d.ts',
      'out/kernel/display/index.d.ts',
      'out/kernel/convkan/index.js',
      'out/kernel/main.js',
    ]) {
      assert.ok(entries.has(EXT + name), `the .vsix holds ${name}`);
    }
  });

  test('ships no TypeScript sources of the kernel', () => {
    const sources = [...entries.keys()].filter(
      (n) => n.startsWith(EXT) && /\.(ts|mts|cts)$/.test(n) && !n.endsWith('.d.ts') && !n.startsWith(`${EXT}node_modules/`),
    );
    assert.deepEqual(sources, [], 'TypeScript sources in the .vsix');
    const kernelTree = [...entries.keys()].filter((n) => n.startsWith(`${EXT}kernel/`));
    assert.deepEqual(kernelTree, [], 'files from the kernel/ source tree in the .vsix');
  });

  test('every relative import of a shipped declaration resolves to a shipped declaration', () => {
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

  test("cells type-check against the shipped declarations (the globals' types come through, not any)", () => {
    // The shipped declarations laid out as installed, next to the project's node_modules (TF.js types).
    const ext = path.join(tmp, 'installed');
    for (const [name, entry] of entries) {
      if (!name.startsWith(`${EXT}out/kernel/`) || !name.endsWith('.d.ts')) continue;
      const file = path.join(ext, name.slice(EXT.length));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, entry.read());
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(ext, 'node_modules'), 'dir');
    const kernelDir = path.join(ext, 'out', 'kernel');
    const service = new CellLanguageService(
      tmp,
      {
        tfModule: path.join(ext, 'node_modules', '@tensorflow', 'tfjs'),
        convkanModule: path.join(kernelDir, 'convkan', 'index'),
        displayModule: path.join(kernelDir, 'display', 'index'),
        convkanNames: ['ConvKAN2D', 'KANLinear'],
      },
      kernelDir,
    );
    const good =
      'const layer = new ConvKAN2D({ filters: 4, kernelSize: 3 });\n' +
      'const y = layer.apply(tf.zeros([1, 8, 8, 1])) as tf.Tensor;\nconst f = convkan.unfoldPatches;\ndisplay(y);';
    assert.deepEqual(service.check(good), [], 'a correct cell has no type errors');
    const wrong = service.check('const a: number = new ConvKAN2D({ filters: 4, kernelSize: 3 });\nconst b: number = display;');
    assert.deepEqual(
      wrong.map((d) => d.code),
      [2322, 2322],
      `each wrong assignment is reported: ${JSON.stringify(wrong)}`,
    );
    assert.match(wrong[0].message, /ConvKAN2D/, 'the layer has its declared class type');
    assert.match(wrong[1].message, /DisplayApi/, 'display has its declared type');
  });
});
