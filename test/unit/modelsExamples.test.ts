// The example notebooks of the basis families (Fashion-MNIST, basis timing, CIFAR-10): valid
// nbformat 4.5 for the convkan kernel, saved without outputs, and every `convkan.X` they use is
// exported by the library (kernel/convkan/index.ts, or the variants/models/data indexes it
// re-exports).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as library from '../../kernel/convkan/index';
import * as variants from '../../kernel/convkan/variants';
import * as models from '../../kernel/convkan/models';
import * as data from '../../kernel/convkan/data';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const NOTEBOOKS = ['fashionMnist.ipynb', 'basesTiming.ipynb', 'cifar10.ipynb'];
const exported = new Set([...Object.keys(library), ...Object.keys(variants), ...Object.keys(models), ...Object.keys(data)]);

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
