// One stylesheet for every ConvKAN view, injected once per webview document. Colours come from
// VS Code's CSS variables so controls and messages follow the theme like the plots do.
const STYLE_ID = 'convkan-renderer-styles';

const CSS = `
.convkan-view { color: var(--vscode-editor-foreground, inherit); font-family: var(--vscode-font-family, system-ui, sans-serif);
  font-size: var(--vscode-font-size, 13px); box-sizing: border-box; width: 100%; min-width: 0; padding: 4px 0; }
.convkan-view * { box-sizing: border-box; }
.convkan-view [hidden] { display: none !important; }
.convkan-header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 16px; margin: 0 0 6px; }
.convkan-title { font-weight: 600; }
.convkan-subtitle { opacity: 0.8; }
.convkan-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px; margin: 0 0 6px; }
.convkan-controls label { display: inline-flex; align-items: center; gap: 6px; }
.convkan-controls select { color: var(--vscode-dropdown-foreground, inherit); background: var(--vscode-dropdown-background, transparent);
  border: 1px solid var(--vscode-dropdown-border, var(--vscode-contrastBorder, #8888));
  border-radius: 2px; padding: 2px 4px; font: inherit; }
.convkan-controls input[type=checkbox] { accent-color: var(--vscode-checkbox-background, auto); margin: 0; }
.convkan-controls select:focus-visible, .convkan-controls input:focus-visible {
  outline: 1px solid var(--vscode-focusBorder, #0078d4); outline-offset: 1px; }
.convkan-plot { width: 100%; min-width: 0; }
.convkan-status { margin: 4px 0 0; opacity: 0.9; }
.convkan-status[data-status=running]::before { content: '● '; color: var(--vscode-charts-blue, #1a85ff); }
.convkan-status[data-status=done]::before { content: '✓ '; color: var(--vscode-charts-green, #388a34); }
.convkan-status[data-status=stopped]::before, .convkan-status[data-status=error]::before {
  content: '■ '; color: var(--vscode-charts-red, #e51400); }
.convkan-note { margin: 4px 0 0; opacity: 0.8; font-size: 0.92em; }
.convkan-loading { opacity: 0.7; padding: 8px 0; }
.convkan-error { border: 1px solid var(--vscode-inputValidation-errorBorder, #be1100);
  background: var(--vscode-inputValidation-errorBackground, rgba(190,17,0,0.08));
  color: var(--vscode-errorForeground, var(--vscode-editor-foreground, inherit)); padding: 8px 12px; border-radius: 2px; }
.convkan-error-title { font-weight: 600; margin: 0 0 4px; }
.convkan-error-detail { font-family: var(--vscode-editor-font-family, monospace);
  white-space: pre-wrap; word-break: break-word; margin: 0; }
`;

export function ensureStyles(doc: Document = document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.appendChild(style);
}
