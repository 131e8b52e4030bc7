// The slice of the plotly.js API these renderers use. plotly.js-dist-min ships no types and
// @types/plotly.js would be a new dependency for ~10 signatures, so they are written here.

export type PlotData = Record<string, unknown>;
export type PlotLayout = Record<string, unknown>;
export type PlotConfig = Record<string, unknown>;

export interface PlotlyPoint {
  curveNumber: number;
  pointNumber: number | [number, number];
  x: unknown;
  y: unknown;
  data: PlotData;
}

export interface PlotlyEvent {
  points: PlotlyPoint[];
}

/** A div after Plotly drew into it: Plotly stores the figure on the element itself. */
export interface PlotlyElement extends HTMLDivElement {
  data: PlotData[];
  layout: PlotLayout;
  on(event: 'plotly_hover' | 'plotly_click', handler: (e: PlotlyEvent) => void): void;
  on(event: 'plotly_unhover', handler: () => void): void;
  removeAllListeners?(event: string): void;
}

export interface PlotlyApi {
  react(el: HTMLElement, data: PlotData[], layout: PlotLayout, config?: PlotConfig): Promise<PlotlyElement>;
  relayout(el: HTMLElement, update: PlotLayout): Promise<PlotlyElement>;
  purge(el: HTMLElement): void;
  Plots: { resize(el: HTMLElement): Promise<void> | void };
  Fx: { hover(el: HTMLElement, evt: unknown, subplot?: string | string[]): void; unhover(el: HTMLElement): void };
}
