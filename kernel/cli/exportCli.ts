// `convkan-notebook export <nb.ipynb> --html out.html`: one offline HTML file with the ConvKAN
// views as their interactive renderers (kernel/cli/html/).

import fs from 'node:fs';
import path from 'node:path';
import { collectRendererModules } from './html/rendererManifest';
import { notebookToHtml, type ExportNotebook } from './html/notebookHtml';
import { packageRoot } from './packageRoot';
import { readNotebook } from './runNotebook';

export const EXPORT_DESCRIPTION = `writes the notebook as one offline HTML file (default: <notebook>.html): the ConvKAN
views are drawn by the interactive plotly renderers, bundled into the page; nothing is fetched.`;

const EXPORT_CLI_USAGE = `  convkan-notebook export <notebook.ipynb> [--html FILE]\n\nExport ${EXPORT_DESCRIPTION}`;

export function parseExportArgs(argv: string[]): { input: string; html: string } {
  let input: string | undefined;
  let html: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--html') {
      html = argv[++i];
      if (html === undefined) throw new Error('Error in convkan-notebook export: --html needs a file, but got none');
    } else if (a.startsWith('-')) throw new Error(`Error in convkan-notebook export: unknown option "${a}"\n\nUsage:\n${EXPORT_CLI_USAGE}`);
    else if (input === undefined) input = a;
    else throw new Error(`Error in convkan-notebook export: expected one notebook, but got "${input}" and "${a}"`);
  }
  if (!input) throw new Error(`Error in convkan-notebook export: a notebook path is required\n\nUsage:\n${EXPORT_CLI_USAGE}`);
  return { input, html: html ?? input.replace(/(\.ipynb)?$/, '.html') };
}

/** Writes the HTML file; returns the number of interactive views in it. */
export function exportNotebookHtml(input: string, output: string, root = packageRoot()): number {
  const nb = readNotebook(input) as unknown as ExportNotebook;
  const { html, views } = notebookToHtml(nb, collectRendererModules(root), path.basename(input, '.ipynb'));
  fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
  fs.writeFileSync(output, html);
  return views;
}

export async function runExportCli(argv: string[]): Promise<number> {
  const args = parseExportArgs(argv);
  const views = exportNotebookHtml(args.input, args.html);
  process.stderr.write(`wrote ${args.html}: ${views} interactive view${views === 1 ? '' : 's'}\n`);
  return 0;
}
