// The example notebooks: valid nbformat 4.5 for the convkan kernel, saved without outputs, and
// the smoke notebook runs cell by cell through the real executor with the outputs CI checks:
// a layer summary, a finished training view, and splines of the trained layer.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createExecutor } from '../../kernel/exec/executor';
import { MIME_SPLINES, MIME_TEXT, MIME_TRAINING, validatePayload, type MimeBundle, type TrainingPayload } from '../../kernel/display';

const EXAMPLES = path.resolve(__dirname, '../../examples');

interface Cell {
  cell_type: string;
  id: string;
  source: string[];
  outputs?: unknown[];
  execution_count?: number | null;
  metadata: object;
}

function readNotebook(name: string): { cells: Cell[]; metadata: Record<string, Record<string, string>>; nbformat: number; nbformat_minor: number } {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'));
}

describe('example notebooks', () => {
  for (const name of ['tour.ipynb', 'smoke.ipynb']) {
    test(`${name} is nbformat 4.5 for the convkan kernel, without saved outputs`, () => {
      const nb = readNotebook(name);
      assert.equal(nb.nbformat, 4);
      assert.equal(nb.nbformat_minor, 5);
      assert.equal(nb.metadata.kernelspec.name, 'convkan');
      assert.equal(nb.metadata.kernelspec.language, 'typescript');
      const ids = nb.cells.map((c) => c.id);
      assert.equal(new Set(ids).size, ids.length, 'cell ids are unique');
      for (const c of nb.cells) {
        assert.match(c.id, /^[a-zA-Z0-9-_]{1,64}$/);
        assert.ok(['code', 'markdown'].includes(c.cell_type));
        assert.ok(Array.isArray(c.source) && c.source.every((l) => typeof l === 'string'));
        if (c.cell_type === 'code') {
          assert.deepEqual(c.outputs, []);
          assert.equal(c.execution_count, null);
        }
      }
    });
  }

  test('smoke.ipynb runs: layer summary, training done after 3 epochs, valid splines', async () => {
    const nb = readNotebook('smoke.ipynb');
    const executor = createExecutor({ cwd: EXAMPLES });
    const displays = new Map<string, MimeBundle>();
    const results: MimeBundle[] = [];
    try {
      for (const cell of nb.cells.filter((c) => c.cell_type === 'code')) {
        const stderr: string[] = [];
        const outcome = await executor.execute(cell.source.join(''), {
          stdout: () => undefined,
          stderr: (s) => void stderr.push(s),
          display: (bundle, opts) => void displays.set(opts.displayId ?? String(displays.size), bundle),
          clearOutput: () => undefined,
          input: async () => '',
        });
        assert.equal(outcome.status, 'ok', `cell failed: ${JSON.stringify(outcome)}`);
        assert.deepEqual(stderr, [], 'no type errors or warnings');
        if (outcome.status === 'ok' && outcome.result) results.push(outcome.result);
      }
    } finally {
      await executor.close();
    }
    assert.match(results[0].data[MIME_TEXT] as string, /^ConvKAN2D "conv_kan2d\w*": [\d,]+ params/);
    const shown = [...displays.values()];
    const training = shown.find((b) => b.data[MIME_TRAINING])!.data[MIME_TRAINING] as TrainingPayload;
    assert.equal(training.status, 'done');
    assert.equal(training.points.length, 3);
    assert.deepEqual(validatePayload(MIME_TRAINING, training), []);
    const splines = shown.find((b) => b.data[MIME_SPLINES]);
    assert.ok(splines, 'the splines view was displayed');
    assert.deepEqual(validatePayload(MIME_SPLINES, splines.data[MIME_SPLINES]), []);
  });
});
