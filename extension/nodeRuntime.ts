// Which Node.js runs the kernel: the `convkan.nodePath` setting, else the first `node` on PATH,
// else VS Code's own runtime (Electron or code-server's node) with ELECTRON_RUN_AS_NODE=1 so an
// Electron binary behaves as plain Node. Pure, so the choice is unit-tested.

import fs from 'node:fs';
import path from 'node:path';

export interface NodeRuntime {
  command: string;
  /** Extra environment the command needs. */
  env: Record<string, string>;
  /** Where the choice came from, for the kernel log. */
  source: 'setting' | 'PATH' | 'vscode';
}

export function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first `node` (node.exe on Windows) in a PATH string, or undefined. */
export function findOnPath(
  pathEnv: string | undefined,
  isExecutable: (file: string) => boolean = isExecutableFile,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (!pathEnv) return undefined;
  const sep = platform === 'win32' ? ';' : ':';
  const exe = platform === 'win32' ? 'node.exe' : 'node';
  for (const dir of pathEnv.split(sep)) {
    if (!dir) continue;
    const candidate = path.join(dir, exe);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function resolveNodeRuntime(opts: {
  setting: string;
  pathEnv: string | undefined;
  execPath: string;
  isExecutable?: (file: string) => boolean;
  platform?: NodeJS.Platform;
}): NodeRuntime {
  const isExecutable = opts.isExecutable ?? isExecutableFile;
  const setting = opts.setting.trim();
  if (setting) {
    if (!isExecutable(setting)) {
      throw new Error(
        `ConvKAN kernel: setting convkan.nodePath must name an executable Node.js binary, ` +
          `but got "${setting}" (not found or not executable)`,
      );
    }
    return { command: setting, env: {}, source: 'setting' };
  }
  const onPath = findOnPath(opts.pathEnv, isExecutable, opts.platform);
  if (onPath) return { command: onPath, env: {}, source: 'PATH' };
  return { command: opts.execPath, env: { ELECTRON_RUN_AS_NODE: '1' }, source: 'vscode' };
}
