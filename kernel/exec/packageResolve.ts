// Where a module specifier points, as Node would see it from a directory: local files (with the
// TypeScript extensions Node does not know), CommonJS `require` resolution, and the ESM resolution of
// packages whose "exports" only offer an "import" condition (which `require.resolve` refuses).

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Extensions tried, in order, for a local specifier written without one (`./util`). */
export const LOCAL_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'];

export function isLocalSpecifier(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || path.isAbsolute(spec);
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** `./util` → `<dir>/util.ts` (or .js, …, or util/index.ts); undefined when nothing matches. */
export function resolveLocalFile(spec: string, fromDir: string): string | undefined {
  const base = path.resolve(fromDir, spec);
  if (isFile(base)) return base;
  // TypeScript lets `./util.js` name `./util.ts`.
  const jsToTs = base.match(/^(.*)\.(m|c)?js$/);
  if (jsToTs) {
    const ts = `${jsToTs[1]}.${jsToTs[2] ?? ''}ts`;
    if (isFile(ts)) return ts;
  }
  for (const ext of LOCAL_EXTENSIONS) if (isFile(base + ext)) return base + ext;
  for (const ext of LOCAL_EXTENSIONS) if (isFile(path.join(base, `index${ext}`))) return path.join(base, `index${ext}`);
  return undefined;
}

function splitPackageSpecifier(spec: string): { name: string; subpath: string } {
  const parts = spec.split('/');
  const nameParts = spec.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameParts).join('/');
  const rest = parts.slice(nameParts).join('/');
  return { name, subpath: rest ? `./${rest}` : '.' };
}

/** Picks the first matching condition of an "exports" target (strings, condition objects, arrays). */
function pickTarget(target: unknown, conditions: readonly string[]): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const picked = pickTarget(t, conditions);
      if (picked) return picked;
    }
    return undefined;
  }
  if (target && typeof target === 'object') {
    for (const [key, value] of Object.entries(target)) {
      if (key === 'default' || conditions.includes(key)) {
        const picked = pickTarget(value, conditions);
        if (picked) return picked;
      }
    }
  }
  return undefined;
}

function resolveExports(exportsField: unknown, subpath: string, conditions: readonly string[]): string | undefined {
  const isSubpathMap =
    exportsField &&
    typeof exportsField === 'object' &&
    !Array.isArray(exportsField) &&
    Object.keys(exportsField).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? pickTarget(exportsField, conditions) : undefined;
  const map = exportsField as Record<string, unknown>;
  if (subpath in map) return pickTarget(map[subpath], conditions);
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      const matched = subpath.slice(prefix.length, subpath.length - suffix.length);
      return pickTarget(value, conditions)?.replace(/\*/g, matched);
    }
  }
  return undefined;
}

/** The ESM ("import" condition) entry of a bare specifier, searching node_modules upwards from fromDir. */
export function resolvePackageForImport(spec: string, fromDir: string): string | undefined {
  const { name, subpath } = splitPackageSpecifier(spec);
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const pkgDir = path.join(dir, 'node_modules', name);
    const pkgJson = path.join(pkgDir, 'package.json');
    if (isFile(pkgJson)) {
      const pkg = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { exports?: unknown; module?: string; main?: string };
      if (pkg.exports !== undefined) {
        const target = resolveExports(pkg.exports, subpath, ['import', 'node', 'module']);
        return target ? path.join(pkgDir, target) : undefined;
      }
      if (subpath !== '.') return resolveLocalFile(subpath, pkgDir);
      return resolveLocalFile(`./${pkg.module ?? pkg.main ?? 'index.js'}`, pkgDir);
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The CommonJS resolution of `spec` from a directory, or undefined. */
export function resolveForRequire(spec: string, fromDir: string): string | undefined {
  try {
    return createRequire(path.join(fromDir, '__notebook__.js')).resolve(spec);
  } catch {
    return undefined;
  }
}

/** Whether Node loads the file as an ES module (.mjs, or .js under a package.json with "type": "module"). */
export function isEsmFile(file: string): boolean {
  if (file.endsWith('.mjs') || file.endsWith('.mts')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkgJson = path.join(dir, 'package.json');
    if (isFile(pkgJson)) {
      try {
        return (JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { type?: string }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}
