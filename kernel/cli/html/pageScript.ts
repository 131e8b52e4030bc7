// What runs in the exported page: the renderer modules travel as text in a JSON script tag; each
// becomes a blob: URL module with its relative imports rewritten to its dependencies' blob URLs
// (dependencies first), so the renderers and their lazy plotly chunk load without any request.
// Then every ConvKAN output is drawn through the renderer's own activate() → renderOutputItem(),
// the VS Code notebook renderer API, with a minimal RendererContext. Until a view has drawn (or if
// it cannot), the output's static fallback (SVG or text) stays visible.

import { RELATIVE_IMPORT } from './rendererManifest';

/** id of the script tag holding { modules, renderers } and the class of each ConvKAN output. */
export const MODULES_SCRIPT_ID = 'convkan-renderer-modules';
export const VIEW_CLASS = 'convkan-export-view';

export const PAGE_STYLE = `
:root { color-scheme: light; --vscode-editor-foreground: #3b3b3b; --vscode-editor-background: #ffffff;
  --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editorWidget-border: #c8c8c8;
  --vscode-charts-blue: #1a85ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #388a34;
  --vscode-charts-red: #e51400; --vscode-charts-purple: #652d90; --vscode-charts-yellow: #bf8803; }
body { font-family: system-ui, sans-serif; font-size: 14px; color: #1f1f1f; background: #fff;
  max-width: 1100px; margin: 24px auto; padding: 0 16px; }
.cell { margin: 14px 0; }
.prompt { color: #6e7781; font: 12px ui-monospace, monospace; margin-bottom: 2px; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
.source { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 10px; }
.output { padding: 6px 10px; overflow-x: auto; }
.stderr { background: #fff5f5; }
.error pre { color: #b31d28; }
.output img { max-width: 100%; }
.run-record { color: #57606a; font-size: 12px; border-top: 1px solid #d0d7de; margin-top: 24px; padding-top: 8px; }
`;

export function pageScript(): string {
  return `(async () => {
  const spec = JSON.parse(document.getElementById(${JSON.stringify(MODULES_SCRIPT_ID)}).textContent);
  const importRe = new RegExp(${JSON.stringify(RELATIVE_IMPORT.source)}, 'g');
  const join = (base, rel) => {
    const parts = base.split('/').slice(0, -1);
    for (const p of rel.split('/')) {
      if (p === '..') parts.pop();
      else if (p !== '.') parts.push(p);
    }
    return parts.join('/');
  };
  const urls = {};
  const urlOf = (path) => {
    if (urls[path]) return urls[path];
    const source = spec.modules[path];
    if (source === undefined) throw new Error('renderer module ' + path + ' is not in the page');
    urls[path] = 'pending';
    const rewritten = source.replace(importRe, (all, head, quote, rel) => head + quote + urlOf(join(path, rel)) + quote);
    return (urls[path] = URL.createObjectURL(new Blob([rewritten], { type: 'text/javascript' })));
  };
  const context = { setState() {}, getState() { return undefined; }, getRenderer: async () => undefined, workspace: { isTrusted: true } };
  const apis = {};
  const rendererFor = (mime) => spec.renderers.find((r) => r.mimeTypes.includes(mime));
  const apiFor = (renderer) => (apis[renderer.id] ??= import(urlOf(renderer.entrypoint)).then((m) => m.activate(context)));
  const encoder = new TextEncoder();
  const jobs = [...document.querySelectorAll(${JSON.stringify(`.${VIEW_CLASS}`)})].map(async (view) => {
    const mime = view.dataset.mime;
    const text = view.querySelector('script[type="application/json"]').textContent;
    const fallback = view.querySelector('.fallback');
    const target = view.querySelector('.view');
    const item = { id: view.id, mime, metadata: {}, text: () => text, json: () => JSON.parse(text),
      data: () => encoder.encode(text), blob: () => new Blob([text], { type: mime }) };
    try {
      const renderer = rendererFor(mime);
      if (!renderer) throw new Error('no renderer for ' + mime);
      const api = await apiFor(renderer);
      await api.renderOutputItem(item, target, new AbortController().signal);
      if (target.querySelector('[data-state="error"]')) throw new Error(target.textContent);
      fallback.hidden = true;
      view.dataset.state = 'interactive';
    } catch (err) {
      target.hidden = true;
      view.dataset.state = 'fallback';
      view.dataset.error = String(err && err.message || err);
    }
  });
  await Promise.all(jobs);
  document.body.dataset.convkanViews = 'done';
})();`;
}
