// `import` and `require` for cells: npm packages (CommonJS and ESM-only) found from the notebook's
// directory first and the kernel's own node_modules second, and local .ts/.js files relative to the
// notebook. TensorFlow.js and the ConvKAN library always come from the kernel, so tensors made in cells
// are the same classes (and the same engine) as the library's.

import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { isEsmFile, isLocalSpecifier, resolveForRequire, resolveLocalFile, resolvePackageForImport } from './packageResolve';
import { LineMap } from './sourceMap';
import { registerSourceMap } from './traceback';

// A real dynamic import(): tsc's CommonJS output would turn `import()` into require().
const nativeImport = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;

/** Modules served by the kernel itself, whatever the notebook's node_modules holds. */
export type PinnedModules = Map<string, () => unknown>;

const KERNEL_DIR = __dirname;
const kernelRequire = createRequire(__filename);

/** Packages that must be the kernel's instance (a second TensorFlow.js would mean a second engine). */
function isKernelOwned(spec: string): boolean {
  return spec.startsWith('@tensorflow/');
}

/** What `import x from` and `import * as` see of a CommonJS module (like esModuleInterop). */
export function namespaceOf(mod: unknown): Record<string, unknown> {
  if (mod && typeof mod === 'object' && (mod as Record<symbol, unknown>)[Symbol.toStringTag] === 'Module') {
    return mod as Record<string, unknown>;
  }
  if (mod && (typeof mod === 'object' || typeof mod === 'function') && (mod as { __esModule?: boolean }).__esModule) {
    return mod as Record<string, unknown>;
  }
  const ns: Record<string, unknown> = { default: mod };
  if (mod && (typeof mod === 'object' || typeof mod === 'function')) {
    for (const key of Object.keys(mod)) if (key !== 'default') ns[key] = (mod as Record<string, unknown>)[key];
  }
  return ns;
}

function moduleNotFound(spec: string, fromDir: string): Error {
  const err = new Error(
    `Cannot find module '${spec}' from ${fromDir} ` +
      `(searched: ${isLocalSpecifier(spec) ? 'the notebook directory' : "the notebook's node_modules, then the kernel's"})`,
  ) as Error & { code: string };
  err.code = 'MODULE_NOT_FOUND';
  return err;
}

export class ModuleLoader {
  /** Local TypeScript modules by file, reloaded when the file changes. */
  private readonly tsModules = new Map<string, { mtimeMs: number; module: Module }>();

  constructor(
    private readonly cwd: string,
    private readonly pinned: PinnedModules,
  ) {}

  /** A `require` function for code whose directory is fromDir (cells: the notebook's directory). */
  makeRequire(fromDir: string = this.cwd): NodeJS.Require {
    const require = ((spec: string) => this.require(spec, fromDir)) as NodeJS.Require;
    const nodeRequire = createRequire(path.join(fromDir, '__notebook__.js'));
    require.resolve = ((spec: string) => this.resolveFile(spec, fromDir, 'require') ?? nodeRequire.resolve(spec)) as NodeJS.RequireResolve;
    require.resolve.paths = nodeRequire.resolve.paths;
    require.cache = nodeRequire.cache;
    require.main = nodeRequire.main;
    require.extensions = nodeRequire.extensions;
    return require;
  }

  require(spec: string, fromDir: string = this.cwd): unknown {
    const pinned = this.pinned.get(spec);
    if (pinned) return pinned();
    if (spec.startsWith('node:') || Module.isBuiltin(spec)) return kernelRequire(spec);
    const file = this.resolveFile(spec, fromDir, 'require');
    if (!file) throw moduleNotFound(spec, fromDir);
    if (/\.(c|m)?tsx?$/.test(file)) return this.loadTypeScript(file).exports;
    // Node 20.19+ loads synchronous ES modules through require() as well.
    return kernelRequire(file);
  }

  /** `import(spec)` / `import … from spec`: resolves to a namespace object (default + named exports). */
  async import(spec: string, fromDir: string = this.cwd): Promise<Record<string, unknown>> {
    const pinned = this.pinned.get(spec);
    if (pinned) return namespaceOf(pinned());
    if (spec.startsWith('node:') || Module.isBuiltin(spec)) return namespaceOf(kernelRequire(spec));
    const file = this.resolveFile(spec, fromDir, 'import');
    if (!file) throw moduleNotFound(spec, fromDir);
    if (/\.(c|m)?tsx?$/.test(file)) return namespaceOf(this.loadTypeScript(file).exports);
    if (isEsmFile(file)) return nativeImport(pathToFileURL(file).href);
    return namespaceOf(kernelRequire(file));
  }

  private resolveFile(spec: string, fromDir: string, kind: 'import' | 'require'): string | undefined {
    if (isLocalSpecifier(spec)) return resolveLocalFile(spec, fromDir);
    const dirs = isKernelOwned(spec) ? [KERNEL_DIR] : [fromDir, KERNEL_DIR];
    for (const dir of dirs) {
      const found =
        kind === 'import'
          ? (resolvePackageForImport(spec, dir) ?? resolveForRequire(spec, dir))
          : (resolveForRequire(spec, dir) ?? resolvePackageForImport(spec, dir));
      if (found) return found;
    }
    return undefined;
  }

  /** Compiles a local .ts file to CommonJS and runs it as a module whose own imports come back here. */
  private loadTypeScript(file: string): Module {
    const mtimeMs = fs.statSync(file).mtimeMs;
    const cached = this.tsModules.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.module;
    const out = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        esModuleInterop: true,
        sourceMap: true,
        jsx: ts.JsxEmit.React,
      },
    });
    if (out.sourceMapText) registerSourceMap(file, LineMap.fromSourceMapText(out.sourceMapText));
    const mod = new Module(file, module);
    mod.filename = file;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
    // Node's per-module `require` calls mod.require, so this routes the file's imports through us.
    mod.require = ((spec: string) => this.require(spec, path.dirname(file))) as NodeJS.Require;
    this.tsModules.set(file, { mtimeMs, module: mod });
    try {
      (mod as unknown as { _compile(code: string, filename: string): void })._compile(
        out.outputText.replace(/\/\/# sourceMappingURL=.*$/m, ''),
        file,
      );
    } catch (err) {
      this.tsModules.delete(file);
      throw err;
    }
    mod.loaded = true;
    return mod;
  }
}
