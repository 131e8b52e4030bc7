// The contract between the shared renderer host (createRenderer.ts) and each ConvKAN view.
import type { PlotlyApi } from './plotlyTypes';
import type { Theme } from './theme';

export interface ViewContext {
  /** The view's root element (`.convkan-view[data-view=<name>]`), already in the document. */
  root: HTMLElement;
  plotly: PlotlyApi;
  /** The theme now; read on every draw so theme switches take effect. */
  theme(): Theme;
}

export interface View<P> {
  /** Draws `payload`; on a later call, updates the same plots in place (Plotly.react, no flicker). */
  update(payload: P): Promise<void>;
  /** The plot elements, for resize and purge. */
  plots(): HTMLElement[];
  /** Frees listeners the view added beyond its plots (the host purges the plots). */
  dispose?(): void;
}

export interface ViewSpec<P> {
  /** data-view value and short name, e.g. "splines". */
  name: string;
  /** Shown in error messages, e.g. "ConvKAN splines view". */
  title: string;
  /** The view's payload parser from kernel/payloads: throws a PayloadError naming the MIME type, field, expected and actual value. */
  parse(json: unknown): P;
  create(ctx: ViewContext): View<P>;
}
