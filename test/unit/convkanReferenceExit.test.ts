// `CONVKAN_REFERENCE_DIR=<dir> npm run test:reference` must fail when any case fails or cannot be
// built, and pass on a good set — checked by running the real command on folders written here.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURE_REFERENCE_DIR, REPO_ROOT } from '../reference/referenceCases';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-ref-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const good = JSON.parse(fs.readFileSync(path.join(FIXTURE_REFERENCE_DIR, 'circular.json'), 'utf8'));

function caseDir(name: string, files: Record<string, unknown>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  for (const [file, content] of Object.entries(files))
    fs.writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

function runReference(dir: string): { status: number | null; out: string } {
  // Drop NODE_TEST_CONTEXT: inside a test file it makes a nested `node --test` report to us instead of running standalone.
  const { NODE_TEST_CONTEXT: _nested, ...env } = process.env;
  const r = spawnSync('npm', ['run', '--silent', 'test:reference'], {
    cwd: REPO_ROOT,
    env: { ...env, CONVKAN_REFERENCE_DIR: dir },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

const withTensor = (name: string, change: (data: number[]) => void) => {
  const c = structuredClone(good);
  change(c.tensors[name].data);
  return c;
};

describe('npm run test:reference exit status', () => {
  test('a good set passes (exit 0)', () => {
    const r = runReference(caseDir('good', { 'circular.json': good }));
    assert.equal(r.status, 0, r.out.slice(-2000));
    assert.equal(r.out.match(/^\s*ok \d+ - circular\.json/gm)?.length, 2, 'the case ran on cpu and on wasm');
  });

  test('a wrong output value fails (non-zero), naming the case and tensor', () => {
    const r = runReference(
      caseDir('wrong', {
        'ok.json': good,
        'wrong.json': withTensor('output', (d) => {
          d[5] += 0.01;
        }),
      }),
    );
    assert.notEqual(r.status, 0);
    assert.match(r.out, /output: 1 of 288 values outside atol/);
  });

  test('a wrong gradient fails', () => {
    const r = runReference(
      caseDir('grad', {
        'grad.json': withTensor('grad_spline_scaler', (d) => {
          d[0] *= -1.5;
          d[0] += 0.1;
        }),
      }),
    );
    assert.notEqual(r.status, 0);
    assert.match(r.out, /grad_spline_scaler/);
  });

  test('a case that cannot be built fails: unknown padding mode, unknown kind, bad JSON, missing tensor', () => {
    const badMode = structuredClone(good);
    badMode.config.padding_mode = 'mirror';
    const badKind = { ...structuredClone(good), kind: 'convkan3d' };
    const missing = structuredClone(good);
    delete missing.tensors.grad_input;
    const dir = caseDir('unbuildable', { 'mode.json': badMode, 'kind.json': badKind, 'broken.json': '{"kind": ', 'missing.json': missing });
    const r = runReference(dir);
    assert.notEqual(r.status, 0);
    assert.match(r.out, /paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', but got "mirror"/);
    assert.match(r.out, /unknown kind "convkan3d"/);
    assert.match(r.out, /broken\.json/);
    assert.match(r.out, /tensor 'grad_input' is missing/);
  });

  test('an empty or missing folder fails instead of passing vacuously', () => {
    assert.notEqual(runReference(caseDir('empty', {})).status, 0);
    assert.notEqual(runReference(path.join(root, 'does-not-exist')).status, 0);
  });
});
