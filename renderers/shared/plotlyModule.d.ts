// plotly.js-dist-min is a UMD bundle without typings; loadPlotly.ts casts it to PlotlyApi
// (plotlyTypes.ts), the slice of the API the renderers use.
declare module 'plotly.js-dist-min' {
  const Plotly: unknown;
  export default Plotly;
}
