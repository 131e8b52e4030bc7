// Builds what the .vsix holds when it is missing or older than its sources, then packages the
// extension with @vscode/vsce, exactly as `npm run package` does.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function newestMtime(dir: string, filter: (file: string) => boolean): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p, filter));
    else if (filter(p)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function run(root: string, cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/** Packages the extension into `outFile`; rebuilds the kernel (tsc), its declarations and bundles (esbuild) when stale. */
export function packageVsix(root: string, outFile: string): void {
  const ts = (f: string) => f.endsWith('.ts');
  const kernelSrc = newestMtime(path.join(root, 'kernel'), ts);
  const kernelOut = newestMtime(path.join(root, 'out', 'kernel'), (f) => f.endsWith('.js'));
  if (!fs.existsSync(path.join(root, 'out', 'kernel', 'main.js')) || kernelOut < kernelSrc) {
    // tsc emits even when other parts of the project have type errors; the kernel's own tests catch those.
    spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
      cwd: root,
      timeout: 300_000,
    });
    if (!fs.existsSync(path.join(root, 'out', 'kernel', 'main.js'))) throw new Error('tsc did not produce out/kernel/main.js');
  }
  // The library's and display's declarations, which the .vsix ships instead of kernel sources (up to date: a no-op).
  run(root, process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'kernel/display']);
  run(root, process.execPath, ['esbuild.mjs']);
  // Same flags as package.json's "package" script: README links stay relative (they point at
  // docs/ and examples/, which the .vsix holds).
  run(root, process.execPath, [
    path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
    'package',
    '--no-rewrite-relative-links',
    '--out',
    outFile,
  ]);
}
