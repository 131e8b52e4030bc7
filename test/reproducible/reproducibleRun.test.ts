// Reproducible runs end to end with the real kernel (TF.js on the cpu backend): a training
// notebook run twice with --seed gives identical outputs (and a third, unseeded run does not);
// the executed notebook records environment, seed, parameters, start time and per-cell durations;
// --param injects a typed parameters cell after the cell tagged "parameters".

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runNotebook } from '../../kernel/cli/runNotebook';
import { RUN_RECORD_KEY, type RunRecord } from '../../kernel/protocol/runRecord';
import { INJECTED_PARAMETERS_TAG } from '../../kernel/cli/notebookParameters';
import { printed, seededTrainingNotebook } from './seededNotebook';

const kernel = { env: { CONVKAN_BACKEND: 'cpu' } };
const run = (seed?: number) => runNotebook(seededTrainingNotebook() as never, process.cwd(), { kernel, record: { seed } });
const recordOf = (nb: { metadata: Record<string, unknown> }) => (nb.metadata[RUN_RECORD_KEY] as { run: RunRecord }).run;

describe('reproducible notebooks', { timeout: 300_000 }, () => {
  test('--seed: a training notebook gives identical outputs run to run; unseeded it does not', async () => {
    const [a, b, c] = [await run(7), await run(7), await run()];
    for (const r of [a, b, c]) assert.equal(r.failed, false, JSON.stringify(r.notebook.cells.map((x) => x.outputs)));
    const [ta, tb, tc] = [a, b, c].map((r) => printed(r.notebook));
    assert.match(ta, /loss \[[\d.,]+\]\nshuffle \[[\d,]+\] augmented -?[\d.]+\nweights /);
    assert.equal(ta, tb, 'same seed, same losses, shuffles, augmentations and weights');
    assert.notEqual(ta, tc, 'without a seed the run differs (the comparison can fail)');

    const rec = recordOf(a.notebook);
    assert.equal(rec.runner, 'convkan-notebook run');
    assert.equal(rec.seed, 7);
    assert.deepEqual(rec.parameters, {});
    assert.ok(Date.parse(rec.started) <= Date.parse(rec.finished!));
    assert.deepEqual(Object.keys(rec.environment!).sort(), ['backend', 'convkan', 'node', 'seed', 'tfjs', 'threads']);
    assert.equal(rec.environment!.backend, 'cpu');
    assert.equal(rec.environment!.threads, 1);
    assert.equal(rec.environment!.seed, 7);
    assert.equal(rec.environment!.node, process.version);
    assert.equal(rec.environment!.tfjs, require('@tensorflow/tfjs/package.json').version);
    assert.equal(rec.environment!.convkan, require('../../package.json').version);
    assert.equal(recordOf(c.notebook).seed, null);
    for (const cell of a.notebook.cells.filter((x) => x.cell_type === 'code')) {
      const m = cell.metadata as { convkan?: { seconds: number }; execution?: Record<string, string> };
      assert.ok(m.convkan!.seconds > 0, 'every executed cell has its duration');
      assert.ok(Date.parse(m.execution!['shell.execute_request']) <= Date.parse(m.execution!['shell.execute_reply']));
    }
  });

  test('the CLI: --param injects a typed parameters cell after the "parameters" cell and records it; --seed is recorded', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-params-'));
    try {
      const input = path.join(dir, 'nb.ipynb');
      const out = path.join(dir, 'out.ipynb');
      fs.writeFileSync(input, JSON.stringify(seededTrainingNotebook()));
      const cli = path.resolve(__dirname, '../../kernel/cli/notebookCli.ts');
      const args = [
        '--import',
        'tsx',
        cli,
        'run',
        input,
        '--out',
        out,
        '--seed',
        '11',
        '--param',
        'epochs=3',
        '--param',
        'basis=chebyshev',
        '--param',
        'cfg={"a":[1,2]}',
        '--param',
        'flag=false',
      ];
      const r = spawnSync(process.execPath, args, { env: { ...process.env, ...kernel.env }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const nb = JSON.parse(fs.readFileSync(out, 'utf8'));
      const tags = nb.cells.map((c: { metadata: { tags?: string[] } }) => c.metadata.tags?.[0] ?? null);
      assert.deepEqual(tags, [null, 'parameters', INJECTED_PARAMETERS_TAG, null, null]);
      assert.equal(
        nb.cells[2].source.join(''),
        '// Parameters injected by convkan-notebook run --param\nconst epochs = 3;\nconst basis = "chebyshev";\n' +
          'const cfg = {"a":[1,2]};\nconst flag = false;',
      );
      assert.match(printed(nb), /^basis chebyshev epochs 3\nloss \[[\d.]+,[\d.]+,[\d.]+\]\n/, 'the injected values override the defaults');
      const rec = nb.metadata.convkan.run;
      assert.deepEqual(rec.parameters, { epochs: 3, basis: 'chebyshev', cfg: { a: [1, 2] }, flag: false });
      assert.equal(rec.seed, 11);
      assert.equal(rec.environment.seed, 11);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
