// The notebook renderers as VS Code finds them: package.json's contributes.notebookRenderer lists
// each renderer's entrypoint and MIME types. The HTML export reads the same list, so a renderer
// added there is exported without further change. Each entrypoint is an ES module built by
// esbuild.mjs with code splitting: its relative imports (shared chunks, the lazy plotly chunk)
// are collected here so the page can load them all from memory.

import fs from 'node:fs';
import path from 'node:path';

export interface RendererEntry {
  id: string;
  /** The entrypoint, relative to the package root, with forward slashes ("dist/renderers/splines.js"). */
  entrypoint: string;
  mimeTypes: string[];
}

export interface RendererModules {
  renderers: RendererEntry[];
  /** Module source by path relative to the package root; relative import specifiers kept as built. */
  modules: Record<string, string>;
}

interface Manifest {
  contributes?: { notebookRenderer?: Array<{ id?: string; entrypoint?: string | { path?: string }; mimeTypes?: string[] }> };
}

export function readRendererEntries(root: string): RendererEntry[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
  return (manifest.contributes?.notebookRenderer ?? []).map((r, i) => {
    const entry = typeof r.entrypoint === 'string' ? r.entrypoint : r.entrypoint?.path;
    if (!r.id || !entry || !Array.isArray(r.mimeTypes)) {
      throw new Error(
        `Error in HTML export: contributes.notebookRenderer[${i}] needs id, entrypoint and mimeTypes, but got ${JSON.stringify(r)}`,
      );
    }
    return { id: r.id, entrypoint: path.posix.normalize(entry.replace(/\\/g, '/')), mimeTypes: r.mimeTypes };
  });
}

/** Static and dynamic relative imports in esbuild's output: `from "./x.js"`, `import "./x.js"`, `import("./x.js")`. */
export const RELATIVE_IMPORT = /(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.\.?\/[^"'\n]+?\.js)\2/g;

/** Reads every entrypoint and, transitively, every module it imports by a relative path. */
export function collectRendererModules(root: string, renderers: RendererEntry[] = readRendererEntries(root)): RendererModules {
  const modules: Record<string, string> = {};
  const visit = (rel: string, from: string) => {
    if (modules[rel] !== undefined) return;
    const file = path.join(root, rel);
    if (!fs.existsSync(file))
      throw new Error(`Error in HTML export: renderer module ${rel} (from ${from}) does not exist; run \`npm run build\` first`);
    // Source maps would be fetched by a debugger only, and do not travel with the page.
    const source = fs.readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    modules[rel] = source;
    for (const m of source.matchAll(RELATIVE_IMPORT)) visit(path.posix.join(path.posix.dirname(rel), m[3]), rel);
  };
  for (const r of renderers) visit(r.entrypoint, 'package.json');
  return { renderers, modules };
}
