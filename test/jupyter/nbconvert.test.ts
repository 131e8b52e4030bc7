// Jupyter's own tools drive the kernel: `jupyter nbconvert --execute` (nbclient) runs
// examples/smoke.ipynb, and `jupyter console` runs cells typed on stdin. Both through the
// kernelspec our installer wrote, with Debian's /usr/bin/python3.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MIME_SVG } from '../../kernel/display/mimeTypes';
import { MIME_SPLINES, MIME_TRAINING } from '../../kernel/payloads';
import { packageRoot } from '../../kernel/cli/packageRoot';
import { createJupyterEnv, PYTHON, type JupyterEnv } from './jupyterEnv';

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  text?: string | string[];
}
const text = (v: unknown) => (Array.isArray(v) ? v.join('') : String(v ?? ''));

describe('Jupyter clients', () => {
  let jupyter: JupyterEnv;
  before(() => {
    jupyter = createJupyterEnv();
  });
  after(() => jupyter.dispose());

  test('jupyter nbconvert --execute runs examples/smoke.ipynb: layer built, trained 3 steps, splines shown', { timeout: 600_000 }, () => {
    const input = path.join(packageRoot(), 'examples', 'smoke.ipynb');
    const outDir = path.join(jupyter.dir, 'nbconvert');
    const r = spawnSync(
      PYTHON,
      [
        '-m',
        'nbconvert',
        '--to',
        'notebook',
        '--execute',
        input,
        '--output-dir',
        outDir,
        '--output',
        'smoke.executed',
        `--ExecutePreprocessor.kernel_name=${jupyter.kernelName}`,
        '--ExecutePreprocessor.timeout=300',
      ],
      { env: jupyter.env, encoding: 'utf8', timeout: 590_000 },
    );
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const nb = JSON.parse(fs.readFileSync(path.join(outDir, 'smoke.executed.ipynb'), 'utf8'));
    const code = (nb.cells as Array<{ cell_type: string; execution_count: number | null; outputs: Output[] }>).filter(
      (c) => c.cell_type === 'code',
    );
    assert.ok(code.length >= 3);
    code.forEach((c, i) => {
      assert.equal(c.execution_count, i + 1, `cell ${i + 1} execution_count`);
      assert.ok(!c.outputs.some((o) => o.output_type === 'error'), `cell ${i + 1} has an error output: ${JSON.stringify(c.outputs)}`);
    });
    const outputs = code.flatMap((c) => c.outputs);
    const plain = outputs.map((o) => text(o.data?.['text/plain'] ?? o.text)).join('\n');
    assert.match(plain, /ConvKAN2D/, 'the layer summary names the layer');

    const training = outputs.find((o) => o.data?.[MIME_TRAINING]);
    assert.ok(training, 'a training view was displayed');
    const points = (training.data![MIME_TRAINING] as { points: Array<{ step: number; logs: { loss: number } }> }).points;
    assert.equal(points.length, 3, 'trained for 3 steps');
    assert.ok(points.every((p) => Number.isFinite(p.logs.loss)));

    const splines = outputs.find((o) => o.data?.[MIME_SPLINES]);
    assert.ok(splines, 'the learned splines were displayed');
    const payload = splines.data![MIME_SPLINES] as { x: number[]; functions: Array<{ base: number[]; spline: number[] }> };
    assert.ok(payload.functions.length > 0);
    for (const f of payload.functions) {
      assert.equal(f.base.length, payload.x.length);
      assert.equal(f.spline.length, payload.x.length);
    }
    assert.match(text(splines.data![MIME_SVG]), /<svg/, 'an SVG fallback travels with the custom MIME type');
  });

  test('jupyter console --simple-prompt runs cells read from stdin', { timeout: 300_000 }, () => {
    const r = spawnSync('jupyter', ['console', '--kernel', jupyter.kernelName, '--simple-prompt'], {
      env: jupyter.env,
      input: 'console.log("console-" + 6 * 7)\nconst z: number = 5; z * 2\n',
      encoding: 'utf8',
      timeout: 290_000,
    });
    const output = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, output);
    assert.match(output, /console-42/, output);
    assert.match(output, /Out\[2\]: 10/, output);
  });
});
