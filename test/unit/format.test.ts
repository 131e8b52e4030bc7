// Every tracked source file is as prettier writes it (.prettierrc.json), and no line runs past the
// print width: prettier wraps code but leaves comments and long strings alone, so those are split by
// hand (a long string as a concatenation, at a boundary that keeps an error message greppable).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as prettier from 'prettier';

const root = path.resolve(__dirname, '..', '..');
const SOURCE = /\.(ts|tsx|mts|js|mjs|cjs|json|css|html|ya?ml)$/;
const LINE_CHECKED = /\.(ts|tsx|mts|js|mjs|cjs)$/;

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  return out.split('\0').filter((f) => f && SOURCE.test(f) && fs.existsSync(path.join(root, f)));
}

test('every source file is formatted with prettier', async () => {
  const unformatted: string[] = [];
  const ignorePath = path.join(root, '.prettierignore');
  for (const file of trackedFiles()) {
    const filepath = path.join(root, file);
    const info = await prettier.getFileInfo(filepath, { ignorePath });
    if (info.ignored || !info.inferredParser) continue;
    const options = await prettier.resolveConfig(filepath);
    const source = fs.readFileSync(filepath, 'utf8');
    if (!(await prettier.check(source, { ...options, filepath }))) unformatted.push(file);
  }
  assert.deepEqual(unformatted, [], `run \`npm run format\`; not formatted: ${unformatted.join(', ')}`);
});

test('no line is longer than the print width', async () => {
  const { printWidth } = JSON.parse(fs.readFileSync(path.join(root, '.prettierrc.json'), 'utf8')) as { printWidth: number };
  const ignorePath = path.join(root, '.prettierignore');
  const tooLong: string[] = [];
  for (const file of trackedFiles().filter((f) => LINE_CHECKED.test(f))) {
    const filepath = path.join(root, file);
    if ((await prettier.getFileInfo(filepath, { ignorePath })).ignored) continue;
    fs.readFileSync(filepath, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.length > printWidth) tooLong.push(`${file}:${i + 1} (${line.length})`);
      });
  }
  assert.deepEqual(tooLong, [], `lines over ${printWidth} characters:\n${tooLong.join('\n')}`);
});
