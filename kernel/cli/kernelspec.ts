// Jupyter kernelspecs: where they live (user / sys-prefix / prefix), what our kernel.json holds,
// and writing or removing one. `jupyter kernelspec list` finds what this writes.
// Layout: https://jupyter-client.readthedocs.io/en/stable/kernels.html#kernel-specs

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kernelEnv } from '../protocol/kernelEnv';
import { encodePng } from '../display/png';
import { packageRoot } from './packageRoot';

export const DEFAULT_KERNEL_NAME = 'convkan';
export const DEFAULT_DISPLAY_NAME = 'ConvKAN (TypeScript)';

export type SpecLocation = { kind: 'user' } | { kind: 'sys-prefix' } | { kind: 'prefix'; dir: string };

export interface KernelSpecJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: 'message' | 'signal';
  env: Record<string, string>;
  metadata: Record<string, unknown>;
}

/** Jupyter's per-user data dir, as jupyter_core computes it. */
export function jupyterUserDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Jupyter');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'jupyter');
  return path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'jupyter');
}

/** sys.prefix of the python3 on PATH (the one whose Jupyter will look there), else /usr/local. */
export function pythonSysPrefix(): string {
  try {
    return (
      execFileSync('python3', ['-c', 'import sys; print(sys.prefix)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() ||
      '/usr/local'
    );
  } catch {
    return '/usr/local';
  }
}

export function kernelsDir(location: SpecLocation): string {
  switch (location.kind) {
    case 'user':
      return path.join(jupyterUserDataDir(), 'kernels');
    case 'sys-prefix':
      return path.join(pythonSysPrefix(), 'share', 'jupyter', 'kernels');
    case 'prefix':
      return path.join(path.resolve(location.dir), 'share', 'jupyter', 'kernels');
  }
}

/** out/kernel/main.js of this package; it must be built (npm run build). */
export function kernelMainPath(): string {
  return path.join(packageRoot(), 'out', 'kernel', 'main.js');
}

export function kernelSpecJson(
  options: { displayName?: string; node?: string; main?: string; env?: Record<string, string | undefined> } = {},
): KernelSpecJson {
  return {
    argv: [options.node ?? process.execPath, options.main ?? kernelMainPath(), '--connection-file', '{connection_file}'],
    display_name: options.displayName ?? DEFAULT_DISPLAY_NAME,
    language: 'typescript',
    // interrupt_request on control: works on every OS and while a cell blocks the main thread.
    interrupt_mode: 'message',
    // Jupyter replaces the variable with this value: keep the installing user's own tunables in it.
    env: kernelEnv(options.env ?? process.env),
    metadata: { debugger: false },
  };
}

export interface InstallOptions {
  location: SpecLocation;
  name?: string;
  displayName?: string;
  node?: string;
}

/** Writes <kernels>/<name>/{kernel.json, logo-svg.svg, logo-32x32.png, logo-64x64.png}; returns the folder. */
export function installKernelSpec(options: InstallOptions): string {
  const name = options.name ?? DEFAULT_KERNEL_NAME;
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    throw new Error(`Error in install: --name must use only letters, digits, ".", "_" and "-" (Jupyter's rule), but got "${name}"`);
  }
  const main = kernelMainPath();
  if (!fs.existsSync(main)) {
    throw new Error(`Error in install: the kernel is not built (expected ${main}); run \`npm run build\` first`);
  }
  const dir = path.join(kernelsDir(options.location), name);
  fs.mkdirSync(dir, { recursive: true });
  const spec = kernelSpecJson({ displayName: options.displayName, node: options.node, main });
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'logo-svg.svg'), LOGO_SVG);
  for (const size of [32, 64]) fs.writeFileSync(path.join(dir, `logo-${size}x${size}.png`), logoPng(size));
  return dir;
}

/** Removes <kernels>/<name>; returns the folder, or undefined when there was none. */
export function uninstallKernelSpec(location: SpecLocation, name = DEFAULT_KERNEL_NAME): string | undefined {
  const dir = path.join(kernelsDir(location), name);
  if (!fs.existsSync(path.join(dir, 'kernel.json'))) return undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  return dir;
}

// The logo: a 3×3 convolution kernel whose cells hold small learned curves (the KAN part).
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
  <rect width="64" height="64" rx="10" fill="#1e293b"/>
  ${[0, 1, 2]
    .flatMap((r) =>
      [0, 1, 2].map((c) => {
        const x = 6 + c * 18;
        const y = 6 + r * 18;
        const d = `M${x + 2} ${y + 12} C${x + 6} ${y + 2 + ((r + c) % 3) * 3}, ${x + 10} ${y + 14 - ((r * c) % 3) * 4}, ${x + 14} ${y + 4}`;
        const opacity = (0.35 + 0.07 * (r * 3 + c)).toFixed(2);
        return (
          `<rect x="${x}" y="${y}" width="16" height="16" rx="3" fill="#3b82f6" fill-opacity="${opacity}"/>` +
          `<path d="${d}" stroke="#fbbf24" stroke-width="1.6" fill="none"/>`
        );
      }),
    )
    .join('\n  ')}
</svg>
`;

function logoPng(size: number): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  const cell = size / 3.5;
  const gap = (size - 3 * cell) / 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      let [r, g, b] = [0x1e, 0x29, 0x3b];
      const cx = Math.floor((x - gap) / (cell + gap));
      const cy = Math.floor((y - gap) / (cell + gap));
      const inCell = cx >= 0 && cx < 3 && cy >= 0 && cy < 3 && (x - gap) % (cell + gap) < cell && (y - gap) % (cell + gap) < cell;
      if (inCell) {
        const t = 0.45 + 0.06 * (cy * 3 + cx);
        [r, g, b] = [0x1e + (0x3b - 0x1e) * t, 0x29 + (0x82 - 0x29) * t, 0x3b + (0xf6 - 0x3b) * t];
        // A sine-like curve across each cell, in amber.
        const u = ((x - gap) % (cell + gap)) / cell;
        const v = ((y - gap) % (cell + gap)) / cell;
        const curve = 0.5 - 0.3 * Math.sin(2 * Math.PI * u + cx + cy);
        if (Math.abs(v - curve) < 1.2 / cell + 0.04) [r, g, b] = [0xfb, 0xbf, 0x24];
      }
      rgba.set([Math.round(r), Math.round(g), Math.round(b), 255], i);
    }
  }
  return encodePng(rgba, size, size);
}
