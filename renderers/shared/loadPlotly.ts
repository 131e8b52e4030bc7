// plotly.js is ~3.5 MB: every renderer loads it lazily through this one dynamic import, so the
// bundler emits it once as a shared chunk (esbuild splitting) and the webview fetches it only
// when the first ConvKAN view is drawn. It is bundled, never fetched from a CDN.
import type { PlotlyApi } from './plotlyTypes';

let pending: Promise<PlotlyApi> | undefined;

export function loadPlotly(): Promise<PlotlyApi> {
  pending ??= import('plotly.js-dist-min').then((mod) => {
    // The UMD bundle arrives as CommonJS: the API is `default`, or the module itself.
    const api = ((mod as { default?: PlotlyApi }).default ?? mod) as PlotlyApi;
    if (typeof api.react !== 'function') throw new Error('plotly.js did not load: no Plotly.react in the bundle');
    return api;
  });
  pending.catch(() => {
    pending = undefined; // let a later render retry
  });
  return pending;
}
