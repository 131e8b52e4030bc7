// Timing figure: one bar per entry (its median), grouped on a two-level x axis by shape and
// backend (· phase when several); one colour per layer kind (family), and a fill pattern telling
// apart labels of the same kind; min–max whiskers, every run's sample as a point on its bar, and
// the ratio to the baseline written above it.
import type { TimingEntry, TimingPayload } from '../../kernel/payloads/timing';
import { plotlyText } from '../shared/dom';
import type { PlotData, PlotLayout } from '../shared/plotlyTypes';
import { type Theme, themedAxis, themedLayout, withAlpha } from '../shared/theme';

export function ratioText(e: TimingEntry, baseline: string | undefined): string {
  if (baseline !== undefined && e.label === baseline) return 'baseline';
  if (e.ratio === undefined) return '';
  return `×${e.ratio >= 10 ? e.ratio.toFixed(1) : e.ratio.toFixed(2)}`;
}

/** Whether a log axis is the better default: medians spanning more than 20×. */
export function prefersLog(p: TimingPayload): boolean {
  const m = p.entries.map((e) => e.median).filter((x) => x > 0);
  return m.length > 1 && Math.max(...m) / Math.min(...m) > 20;
}

export function timingFigure(p: TimingPayload, logY: boolean, theme: Theme): { data: PlotData[]; layout: PlotLayout } {
  const phases = new Set(p.entries.map((e) => e.phase));
  const level2 = (e: TimingEntry) => (phases.size > 1 ? `${e.backend} · ${e.phase}` : e.backend);
  // Labels in first-seen order, baseline first, so colours and bar order are stable.
  const labels = [...new Set(p.entries.map((e) => e.label))].sort((a, b) => (a === p.baseline ? -1 : b === p.baseline ? 1 : 0));
  const kindOf = new Map(labels.map((l) => [l, p.entries.find((e) => e.label === l)!.kind]));
  const kinds = [...new Set(labels.map((l) => kindOf.get(l)!))];
  const PATTERNS = ['', '/', 'x', '.', '\\', '+', '-', '|'];
  const patternOf = (label: string) => {
    const same = labels.filter((l) => kindOf.get(l) === kindOf.get(label));
    return PATTERNS[same.indexOf(label) % PATTERNS.length];
  };
  // Group order: as the entries come (the benchmark's own order).
  const data: PlotData[] = [];
  labels.forEach((label) => {
    const es = p.entries.filter((e) => e.label === label);
    const color = theme.colorway[kinds.indexOf(kindOf.get(label)!) % theme.colorway.length];
    const x = [es.map((e) => plotlyText(e.shape)), es.map((e) => plotlyText(level2(e)))];
    const kind = kindOf.get(label)!;
    const name = plotlyText(kind !== label ? `${label} (${kind})` : label);
    data.push({
      type: 'bar',
      name,
      x,
      y: es.map((e) => e.median),
      offsetgroup: label,
      legendgroup: label,
      marker: {
        color: withAlpha(color, 0.75),
        line: { color, width: 1 },
        pattern: { shape: patternOf(label), fillmode: 'overlay', fgcolor: theme.foreground, fgopacity: 0.45, size: 6 },
      },
      error_y: {
        type: 'data',
        symmetric: false,
        array: es.map((e) => e.max - e.median),
        arrayminus: es.map((e) => e.median - e.min),
        color: theme.foreground,
        thickness: 1,
        width: 3,
      },
      // The ratio is drawn by the text trace below, above the whisker where nothing covers it.
      text: es.map((e) => ratioText(e, p.baseline)),
      textposition: 'none',
      // Plotly reads values in a hovertemplate as pseudo-HTML: user text goes in escaped.
      customdata: es.map((e) => [plotlyText(e.kind), plotlyText(e.phase), e.min, e.max, e.samples.length, ratioText(e, p.baseline) || '–']),
      hovertemplate:
        `<b>${plotlyText(label)}</b> (%{customdata[0]}, %{customdata[1]})<br>median %{y:.3g} ${plotlyText(p.unit)}, ` +
        `min %{customdata[2]:.3g}, max %{customdata[3]:.3g}` +
        `<br>%{customdata[4]} runs · %{customdata[5]}${p.baseline ? ` vs ${plotlyText(p.baseline)}` : ''}<extra></extra>`,
      meta: { role: 'median', label, entries: es.map((e) => p.entries.indexOf(e)) },
    });
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: `${name} runs`,
      legendgroup: label,
      showlegend: false,
      offsetgroup: label,
      x: [es.flatMap((e) => e.samples.map(() => plotlyText(e.shape))), es.flatMap((e) => e.samples.map(() => plotlyText(level2(e))))],
      y: es.flatMap((e) => e.samples),
      marker: { color: theme.foreground, size: 4, opacity: 0.55, line: { width: 0 } },
      hovertemplate: `${plotlyText(label)} run: %{y:.3g} ${plotlyText(p.unit)}<extra></extra>`,
      meta: { role: 'samples', label },
    });
    data.push({
      type: 'scatter',
      mode: 'text',
      name: `${name} ratio`,
      legendgroup: label,
      showlegend: false,
      offsetgroup: label,
      x,
      y: es.map((e) => e.max),
      text: es.map((e) => ratioText(e, p.baseline)),
      textposition: 'top center',
      textfont: { color: theme.foreground, size: Math.max(9, theme.fontSize - 1) },
      cliponaxis: false,
      hoverinfo: 'skip',
      meta: { role: 'ratio', label },
    });
  });
  const layout: PlotLayout = {
    ...themedLayout(theme),
    height: 380,
    margin: { l: 60, r: 12, t: 12, b: 70 },
    barmode: 'group',
    scattermode: 'group',
    bargap: 0.25,
    hovermode: 'closest',
    legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', bgcolor: 'rgba(0,0,0,0)', font: { color: theme.foreground } },
    xaxis: themedAxis(theme, {
      type: 'multicategory',
      showgrid: false,
      tickson: 'boundaries',
      showdividers: true,
      dividercolor: theme.grid,
    }),
    yaxis: themedAxis(theme, {
      type: logY ? 'log' : 'linear',
      ...(logY ? { dtick: 'D2' } : {}),
      title: { text: `time per call (${plotlyText(p.unit)}, median, min–max)` },
      rangemode: 'tozero',
    }),
    uirevision: 'timing',
  };
  return { data, layout };
}
