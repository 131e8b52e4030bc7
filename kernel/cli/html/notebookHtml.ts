// An executed notebook as one self-contained HTML file: markdown cells as HTML, code cells with
// their source and outputs as Jupyter shows them (streams, errors without ANSI colours, HTML,
// SVG, PNG/JPEG, markdown, JSON, text), and every output whose MIME type a notebook renderer of
// this package handles drawn by that renderer (the interactive plotly views), its static
// fallback shown until then. Nothing is fetched: the renderer modules travel inside the page.

import { escapeHtml, markdownToHtml } from './markdownHtml';
import { MODULES_SCRIPT_ID, PAGE_STYLE, pageScript, VIEW_CLASS } from './pageScript';
import type { RendererModules } from './rendererManifest';

interface ExportCell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}

export interface ExportNotebook {
  metadata?: Record<string, unknown>;
  cells: ExportCell[];
}

interface JupyterOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  execution_count?: number | null;
}

/** Static MIME types in the order a frontend prefers them. */
const STATIC_ORDER = [
  'text/html',
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'text/markdown',
  'text/latex',
  'application/json',
  'text/plain',
];

const joined = (v: unknown) => (Array.isArray(v) ? v.join('') : typeof v === 'string' ? v : JSON.stringify(v, null, 1));
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
/** JSON inside a <script> element: "<" escaped so no "</script>" or "<!--" can end it early. */
export const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

function staticHtml(data: Record<string, unknown>): string {
  const mime = STATIC_ORDER.find((m) => data[m] !== undefined);
  if (!mime) return `<pre>${escapeHtml(`[no displayable MIME type among ${Object.keys(data).join(', ')}]`)}</pre>`;
  const value = data[mime];
  switch (mime) {
    case 'text/html':
    case 'image/svg+xml':
      return joined(value);
    case 'image/png':
    case 'image/jpeg':
      return `<img alt="output" src="data:${mime};base64,${joined(value).replace(/\s+/g, '')}">`;
    case 'text/markdown':
      return markdownToHtml(joined(value));
    case 'application/json':
      return `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
    default:
      return `<pre>${escapeHtml(joined(value))}</pre>`;
  }
}

class OutputWriter {
  /** ConvKAN outputs written so far (each drawn by its renderer in the page). */
  views = 0;
  constructor(private readonly rendererMimes: Set<string>) {}

  output(o: JupyterOutput): string {
    switch (o.output_type) {
      case 'stream':
        return `<div class="output ${o.name === 'stderr' ? 'stderr' : 'stdout'}"><pre>${escapeHtml(joined(o.text))}</pre></div>`;
      case 'error': {
        const trace = (o.traceback ?? []).map(stripAnsi).join('\n') || `${o.ename}: ${o.evalue}`;
        return `<div class="output error"><pre>${escapeHtml(trace)}</pre></div>`;
      }
      case 'display_data':
      case 'execute_result':
        return `<div class="output">${this.bundle(o.data ?? {})}</div>`;
      default:
        return '';
    }
  }

  private bundle(data: Record<string, unknown>): string {
    const mime = Object.keys(data).find((m) => this.rendererMimes.has(m));
    if (!mime) return staticHtml(data);
    const { [mime]: payload, ...rest } = data;
    const json = typeof payload === 'string' || Array.isArray(payload) ? joined(payload) : JSON.stringify(payload);
    const id = `convkan-view-${++this.views}`;
    return [
      `<div class="${VIEW_CLASS}" id="${id}" data-mime="${escapeHtml(mime)}" data-state="static">`,
      `<script type="application/json">${json.replace(/</g, '\\u003c')}</script>`,
      `<div class="view"></div>`,
      `<div class="fallback">${Object.keys(rest).length ? staticHtml(rest) : ''}</div>`,
      `</div>`,
    ].join('');
  }
}

function runRecordHtml(metadata: Record<string, unknown> | undefined): string {
  const run = (metadata?.convkan as { run?: Record<string, unknown> } | undefined)?.run;
  if (!run) return '';
  const env = (run.environment ?? {}) as Record<string, unknown>;
  const parts = [
    `run ${run.started ?? '?'} by ${run.runner ?? '?'}`,
    `backend ${env.backend ?? '?'} (${env.threads ?? '?'} thread${env.threads === 1 ? '' : 's'})`,
    `TF.js ${env.tfjs ?? '?'}, ConvKAN ${env.convkan ?? '?'}, Node ${env.node ?? '?'}`,
    `seed ${run.seed ?? 'none'}`,
    `parameters ${JSON.stringify(run.parameters ?? {})}`,
  ];
  return `<footer class="run-record">${escapeHtml(parts.join(' · '))}</footer>`;
}

/** The page, and how many outputs in it are drawn by a renderer. */
export function notebookToHtml(nb: ExportNotebook, renderers: RendererModules, title: string): { html: string; views: number } {
  const writer = new OutputWriter(new Set(renderers.renderers.flatMap((r) => r.mimeTypes)));
  const cells = nb.cells.map((cell) => {
    const source = joined(cell.source);
    if (cell.cell_type === 'markdown') return `<section class="cell markdown">${markdownToHtml(source)}</section>`;
    if (cell.cell_type !== 'code') return `<section class="cell raw"><pre>${escapeHtml(source)}</pre></section>`;
    const count = cell.execution_count ?? ' ';
    const outputs = ((cell.outputs ?? []) as JupyterOutput[]).map((o) => writer.output(o)).join('\n');
    return (
      `<section class="cell code"><div class="prompt">In [${count}]:</div>` +
      `<pre class="source"><code>${escapeHtml(source)}</code></pre>${outputs}</section>`
    );
  });
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head><body class="vscode-light" data-vscode-theme-kind="vscode-light">',
    `<main>\n${cells.join('\n')}\n</main>`,
    runRecordHtml(nb.metadata),
    `<script type="application/json" id="${MODULES_SCRIPT_ID}">` +
      `${scriptJson({ renderers: renderers.renderers, modules: renderers.modules })}</script>`,
    `<script type="module">${pageScript()}</script>`,
    '</body></html>',
    '',
  ].join('\n');
  return { html, views: writer.views };
}
