// The package's root folder (the one holding package.json), found from this file's location so
// that it works from source (kernel/cli) and compiled (out/kernel/cli) alike.

import fs from 'node:fs';
import path from 'node:path';

export function packageRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && !dir.split(path.sep).includes('node_modules')) return dir;
    if (path.dirname(dir) === dir) throw new Error(`Error in packageRoot: no package.json above ${from}`);
  }
}

export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
