// The example notebooks: valid nbformat 4.5 for the convkan kernel, saved without outputs, and
// both run cell by cell through the real executor: the smoke notebook with the outputs CI checks
// (a layer summary, a finished training view, splines of the trained layer), the tour with all
// five ConvKAN views.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createExecutor } from '../../kernel/exec/executor';
import {
  CONVKAN_MIME_TYPES,
  MIME_SPLINES,
  MIME_TEXT,
  MIME_TRAINING,
  parsePayload,
  type MimeBundle,
  type TrainingPayload,
} from '../../kernel/display';

const EXAMPLES = path.resolve(__dirname, '../../examples');

interface Cell {
  cell_type: string;
  id: string;
  source: string[];
  outputs?: unknown[];
  execution_count?: number | null;
  metadata: object;
}

function readNotebook(name: string): {
  cells: Cell[];
  metadata: Record<string, Record<string, string>>;
  nbformat: number;
  nbformat_minor: number;
} {
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
    const { results, shown } = await runNotebook('smoke.ipynb');
    assert.match(results[0].data[MIME_TEXT] as string, /^ConvKAN2D "conv_kan2d\w*": [\d,]+ params/);
    const training = shown.find((b) => b.data[MIME_TRAINING])!.data[MIME_TRAINING] as TrainingPayload;
    assert.equal(training.status, 'done');
    assert.equal(training.points.length, 3);
    parsePayload(MIME_TRAINING, training);
    const splines = shown.find((b) => b.data[MIME_SPLINES]);
    assert.ok(splines, 'the splines view was displayed');
    parsePayload(MIME_SPLINES, splines.data[MIME_SPLINES]);
  });

  test('tour.ipynb runs without errors or type warnings and shows all five views', async () => {
    const { shown } = await runNotebook('tour.ipynb');
    for (const mime of CONVKAN_MIME_TYPES) {
      const b = shown.find((x) => x.data[mime]);
      assert.ok(b, `${mime} displayed`);
      parsePayload(mime, b.data[mime]);
    }
    const training = shown.find((b) => b.data[MIME_TRAINING])!.data[MIME_TRAINING] as TrainingPayload;
    assert.equal(training.status, 'done');
  });
});

/** Runs every code cell through the real executor; every cell must succeed without stderr. */
async function runNotebook(name: string): Promise<{ results: MimeBundle[]; shown: MimeBundle[] }> {
  const nb = readNotebook(name);
  const executor = createExecutor({ cwd: EXAMPLES });
  // Latest bundle per display id: update_display_data replaces it, as a front end does.
  const displays = new Map<string, MimeBundle>();
  const results: MimeBundle[] = [];
  try {
    for (const [i, cell] of nb.cells.filter((c) => c.cell_type === 'code').entries()) {
      const stderr: string[] = [];
      const outcome = await executor.execute(cell.source.join(''), {
        stdout: () => undefined,
        stderr: (s) => void stderr.push(s),
        display: (bundle, opts) => void displays.set(opts.displayId ?? `anonymous-${displays.size}`, bundle),
        clearOutput: () => undefined,
        input: async () => '',
      });
      assert.equal(outcome.status, 'ok', `${name} code cell ${i + 1} failed: ${JSON.stringify(outcome)}`);
      assert.deepEqual(stderr, [], `${name} code cell ${i + 1}: no type errors or warnings`);
      if (outcome.status === 'ok' && outcome.result) results.push(outcome.result);
    }
  } finally {
    await executor.close();
  }
  return { results, shown: [...displays.values()] };
}
