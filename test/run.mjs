#!/usr/bin/env node
// Runs every *.test.ts under test/ (except test/integration, which needs a downloadable VS Code)
// with node's built-in test runner. Browser, Jupyter and VS Code tests need system packages:
// when they are missing and we may install them (root with apt-get), test/setup/system.sh runs
// first; otherwise we stop with a message that says what to install. Tests are never skipped.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const missing = spawnSync('bash', ['test/setup/check.sh'], { encoding: 'utf8' });
if (missing.status !== 0) {
  console.log(`Missing test prerequisites:\n${missing.stdout}${missing.stderr}`);
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    console.error('Run `sudo bash test/setup/system.sh` once, then `npm test` again.');
    process.exit(1);
  }
  const setup = spawnSync('bash', ['test/setup/system.sh'], { stdio: 'inherit' });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
}

const only = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (p === path.join('test', 'integration')) continue;
      walk(p);
    } else if (e.name.endsWith('.test.ts')) files.push(p);
  }
})('test');
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
selected.sort();
if (selected.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...selected], {
  stdio: 'inherit',
  env: { ...process.env, CONVKAN_TEST: '1' },
});
process.exit(res.status ?? 1);
