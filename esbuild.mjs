// Bundles what VS Code loads: the extension host entry (CommonJS, node) and one ES module per
// notebook renderer (browser, plotly.js inside, no network). The kernel itself is plain `tsc`
// output in out/ and runs from node_modules, so it needs no bundle.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };

// Each renderer package.json registers (entrypoint ./dist/renderers/<name>.js) is built from
// renderers/<name>/index.ts; the other folders hold shared parts.
const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const rendererEntries = manifest.contributes.notebookRenderer.map(({ entrypoint }) => {
  const name = path.posix.basename(entrypoint, '.js');
  return { in: path.join('renderers', name, 'index.ts'), out: name };
});

const builds = [
  {
    ...common,
    entryPoints: ['extension/extension.ts'],
    outfile: 'dist/extension.js',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // tsx: startKernel's defaultKernelCommand resolves it only when running from .ts sources, never in the bundle.
    external: ['vscode', 'zeromq', 'tsx'],
  },
  {
    ...common,
    entryPoints: rendererEntries,
    outdir: 'dist/renderers',
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  },
];

// Chunk names carry content hashes: clear old ones so stale plotly chunks never reach the .vsix.
if (!watch) fs.rmSync('dist/renderers', { recursive: true, force: true });

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
