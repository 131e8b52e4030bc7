// The example notebooks of the basis families (Fashion-MNIST, basis timing, CIFAR-10): valid
// nbformat 4.5 for the convkan kernel, saved without outputs, every `convkan.X` they use exported
// by the library's entry point (kernel/convkan/index.ts), and each runs through the real executor (type-checked, no errors) on shrunk
// sizes — the full runs take an hour (Fashion-MNIST) and are not part of the tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import * as library from '../../kernel/convkan/index';
import { createExecutor } from '../../kernel/exec/executor';
import { MIME_MARKDOWN } from '../../kernel/display/mimeTypes';
import { MIME_TIMING, MIME_TRAINING } from '../../kernel/payloads';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const NOTEBOOKS = ['fashionMnist.ipynb', 'basesTiming.ipynb', 'cifar10.ipynb'];
const exported = new Set(Object.keys(library));

for (const name of NOTEBOOKS) {
  test(`${name}: nbformat 4.5, convkan kernel, no outputs, only exported convkan names`, () => {
    const nb = JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'));
    assert.equal(nb.nbformat, 4);
    assert.equal(nb.nbformat_minor, 5);
    assert.equal(nb.metadata.kernelspec.name, 'convkan');
    assert.equal(nb.metadata.kernelspec.language, 'typescript');
    const ids = nb.cells.map((c: { id: string }) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code');
    assert.ok(code.length >= 3);
    for (const c of code) {
      assert.deepEqual(c.outputs, []);
      assert.equal(c.execution_count, null);
    }
    const used = new Set(code.flatMap((c: { source: string[] }) => [...c.source.join('').matchAll(/\bconvkan\.(\w+)/g)].map((m) => m[1])));
    for (const n of used) assert.ok(exported.has(n as string), `${name} uses convkan.${n}, which the library does not export`);
  });
}

/** Runs a notebook's code cells through the real executor with some source text replaced (to shrink it). */
async function runShrunk(name: string, replacements: Array<[string, string]>): Promise<{ markdown: string[]; mimes: string[] }> {
  const nb = JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'));
  const executor = createExecutor({ cwd: EXAMPLES });
  const markdown: string[] = [];
  const mimes: string[] = [];
  try {
    for (const cell of nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code')) {
      let src: string = cell.source.join('');
      for (const [a, b] of replacements) src = src.split(a).join(b);
      const stderr: string[] = [];
      const outcome = await executor.execute(src, {
        stdout: () => undefined,
        stderr: (s) => void stderr.push(s),
        display: (bundle, opts) => {
          if (opts.update) return;
          mimes.push(...Object.keys(bundle.data));
          if (typeof bundle.data[MIME_MARKDOWN] === 'string') markdown.push(bundle.data[MIME_MARKDOWN] as string);
        },
        clearOutput: () => undefined,
        input: async () => '',
      });
      assert.equal(outcome.status, 'ok', `${name}: cell failed: ${JSON.stringify(outcome).slice(0, 800)}\n${src}`);
      assert.deepEqual(stderr, [], `${name}: no type errors or warnings`);
    }
  } finally {
    await executor.close();
  }
  return { markdown, mimes };
}

test('fashionMnist.ipynb runs through the kernel on a slice (256 images, 1 epoch) and reports the metrics table', async () => {
  const { markdown, mimes } = await runShrunk('fashionMnist.ipynb', [
    ["convkan.loadFashionMnist('train')", "convkan.subset(convkan.loadFashionMnist('train'), 0, 256)"],
    ["convkan.loadFashionMnist('test')", "convkan.subset(convkan.loadFashionMnist('test'), 0, 200)"],
    ['const EPOCHS = 12;', 'const EPOCHS = 1;'],
  ]);
  assert.equal(mimes.filter((m) => m === MIME_TRAINING).length, 2);
  assert.match(markdown[0], /\| KANC-MLP \(Small, grid 10\) \| 1 \|.*\| 87\.43 \|/);
  assert.match(markdown[0], /\| CNN \(Small\) \| 1 \|.*\| 87\.10 \|/);
});

test('basesTiming.ipynb runs through the kernel at batch 2 and shows two timing views', async () => {
  const { mimes } = await runShrunk('basesTiming.ipynb', [
    ['const BATCH = 32;', 'const BATCH = 2;'],
    ['const REPS = 5;', 'const REPS = 1;'],
    ['[64, 32, 32, 3]', '[2, 32, 32, 3]'],
    ['reps: 3,', 'reps: 1,'],
  ]);
  assert.equal(mimes.filter((m) => m === MIME_TIMING).length, 2);
});

test('cifar10.ipynb runs through the kernel on the synthetic stand-in (when the real files are absent)', async () => {
  const old = process.env.CONVKAN_CIFAR10_DIR;
  delete process.env.CONVKAN_CIFAR10_DIR;
  const dir = path.join(os.tmpdir(), `convkan-cifar-nbtest-${process.pid}`);
  try {
    const { markdown, mimes } = await runShrunk('cifar10.ipynb', [
      ['{ train: 600, test: 200, seed: 1 }', `{ dir: ${JSON.stringify(dir)}, train: 100, test: 40, seed: 1 }`],
      ['full ? 20 : 2', 'full ? 20 : 1'],
    ]);
    assert.equal(mimes.filter((m) => m === MIME_TRAINING).length, 2);
    assert.match(markdown[0], /\| KACN 4-layer \| synthetic \| 1 \|/);
  } finally {
    if (old !== undefined) process.env.CONVKAN_CIFAR10_DIR = old;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
