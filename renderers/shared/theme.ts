// Reads the VS Code theme the notebook webview exposes (CSS variables on <html>, the theme kind
// on <body>) and turns it into plotly layout colours, so plots follow light, dark and high
// contrast themes. Outside VS Code (tests, exported HTML) the variables are missing and the
// fallbacks below give a readable light or dark look.
import type { PlotLayout } from './plotlyTypes';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Theme {
  kind: ThemeKind;
  foreground: string;
  background: string;
  /** Axis grid and borders. */
  grid: string;
  fontFamily: string;
  fontSize: number;
  /** Series colours, from --vscode-charts-*. */
  colorway: string[];
  /** Accent for highlights (hover, selection). */
  accent: string;
  /** Colour scale for images and matrices. */
  colorscale: string;
}

const CHART_VARS = ['blue', 'orange', 'green', 'red', 'purple', 'yellow'].map((c) => `--vscode-charts-${c}`);

const FALLBACK: Record<'light' | 'dark', { fg: string; bg: string; grid: string; colors: string[]; accent: string }> = {
  light: {
    fg: '#3b3b3b',
    bg: '#ffffff',
    grid: '#d4d4d4',
    accent: '#e51400',
    colors: ['#1a85ff', '#d18616', '#388a34', '#e51400', '#652d90', '#bf8803'],
  },
  dark: {
    fg: '#cccccc',
    bg: '#1f1f1f',
    grid: '#3c3c3c',
    accent: '#f48771',
    colors: ['#3794ff', '#d18616', '#89d185', '#f14c4c', '#b180d7', '#cca700'],
  },
};

/** The theme kind as VS Code announces it: data-vscode-theme-kind, else the body class. */
export function themeKind(doc: Document = document): ThemeKind {
  const body = doc.body;
  const announced = body?.dataset.vscodeThemeKind ?? '';
  const cls = body?.classList;
  if (announced === 'vscode-high-contrast-light' || cls?.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (announced === 'vscode-high-contrast' || cls?.contains('vscode-high-contrast')) return 'high-contrast';
  if (announced === 'vscode-dark' || cls?.contains('vscode-dark')) return 'dark';
  if (announced === 'vscode-light' || cls?.contains('vscode-light')) return 'light';
  // Not inside VS Code: follow the browser's preference.
  return doc.defaultView?.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function cssVar(style: CSSStyleDeclaration, name: string): string {
  return style.getPropertyValue(name).trim();
}

/** The current theme, read from `el`'s computed style (variables inherit from <html>). */
export function readTheme(el: Element = document.body): Theme {
  const kind = themeKind(el.ownerDocument);
  const dark = kind === 'dark' || kind === 'high-contrast';
  const fb = FALLBACK[dark ? 'dark' : 'light'];
  const style = getComputedStyle(el);
  const v = (name: string, fallback: string) => cssVar(style, name) || fallback;
  const highContrast = kind.startsWith('high-contrast');
  const contrastBorder = cssVar(style, '--vscode-contrastBorder');
  const fontSize = parseFloat(cssVar(style, '--vscode-font-size') || cssVar(style, '--vscode-editor-font-size'));
  return {
    kind,
    foreground: v('--vscode-editor-foreground', highContrast ? (dark ? '#ffffff' : '#000000') : fb.fg),
    background: v('--vscode-editor-background', highContrast ? (dark ? '#000000' : '#ffffff') : fb.bg),
    grid: highContrast && contrastBorder ? contrastBorder : v('--vscode-editorWidget-border', v('--vscode-panel-border', fb.grid)),
    fontFamily: v('--vscode-font-family', v('--vscode-editor-font-family', 'system-ui, -apple-system, "Segoe UI", sans-serif')),
    fontSize: Number.isFinite(fontSize) && fontSize > 0 ? Math.min(fontSize, 16) : 12,
    colorway: CHART_VARS.map((name, i) => v(name, fb.colors[i])),
    accent: v('--vscode-focusBorder', fb.accent),
    colorscale: 'Viridis', // perceptually uniform and readable on light and dark backgrounds
  };
}

/** Layout keys every figure shares: transparent paper (the notebook's own background shows), theme font and colours. */
export function themedLayout(theme: Theme): PlotLayout {
  return {
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: theme.background,
    font: { family: theme.fontFamily, size: theme.fontSize, color: theme.foreground },
    colorway: theme.colorway,
    hoverlabel: { bgcolor: theme.background, bordercolor: theme.grid, font: { color: theme.foreground, family: theme.fontFamily } },
    legend: { bgcolor: 'rgba(0,0,0,0)', font: { color: theme.foreground } },
  };
}

/** Axis colours for one axis object, merged into the axis the view builds. */
export function themedAxis(theme: Theme, axis: PlotLayout = {}): PlotLayout {
  return {
    gridcolor: theme.grid,
    linecolor: theme.grid,
    zerolinecolor: theme.grid,
    tickcolor: theme.grid,
    color: theme.foreground,
    ...axis,
  };
}

/** `#rrggbb` or `rgb(...)` with the given alpha, for importance shading and overlays. */
export function withAlpha(color: string, alpha: number): string {
  const a = Math.max(0, Math.min(1, alpha));
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color.trim());
  if (hex) {
    let h = hex[1];
    if (h.length === 3)
      h = h
        .split('')
        .map((c) => c + c)
        .join('');
    const n = parseInt(h, 16);
    return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/i.exec(color.trim().replace(/\s+/g, ''));
  if (rgb) return `rgba(${rgb[1]},${rgb[2]},${rgb[3]},${a})`;
  return color; // named colours: leave as they are
}
