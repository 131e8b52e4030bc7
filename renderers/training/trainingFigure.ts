// Training curves: losses on the upper subplot, other metrics (accuracy, ...) on the lower one, as
// their scales differ; a validation series shares its training series' colour, dashed. The x range
// is fixed to [first step, totalSteps] when known, so the axes do not jump while training runs.
import type { TrainingPayload } from '../../kernel/payloads/training';
import { plotlyText } from '../shared/dom';
import type { PlotData, PlotLayout } from '../shared/plotlyTypes';
import { type Theme, themedAxis, themedLayout } from '../shared/theme';

export const isLoss = (metric: string) => /loss/i.test(metric);
const baseName = (metric: string) => metric.replace(/^val_/, '');

export function trainingFigure(
  p: TrainingPayload,
  logLoss: boolean,
  theme: Theme,
  revision: number,
): { data: PlotData[]; layout: PlotLayout } {
  const losses = p.metrics.filter(isLoss);
  const others = p.metrics.filter((m) => !isLoss(m));
  const split = losses.length > 0 && others.length > 0;
  const bases = [...new Set(p.metrics.map(baseName))];
  const steps = p.points.map((pt) => pt.step);
  const data: PlotData[] = p.metrics.map((m) => {
    const lower = split && !isLoss(m);
    const color = theme.colorway[bases.indexOf(baseName(m)) % theme.colorway.length];
    const val = m.startsWith('val_');
    // Only the points that carry this metric: with stepUnit "batch", validation metrics come once
    // per epoch (on its last batch), and their line joins those points.
    const have = p.points.filter((pt) => m in pt.logs);
    return {
      type: 'scatter',
      mode: have.length > 40 ? 'lines' : 'lines+markers',
      name: plotlyText(m),
      x: have.map((pt) => pt.step),
      y: have.map((pt) => pt.logs[m]),
      xaxis: 'x',
      yaxis: lower ? 'y2' : 'y',
      line: { color, width: 2, dash: val ? 'dash' : 'solid' },
      marker: { size: 4, color },
      hovertemplate: `${plotlyText(m)} = %{y:.4g}<extra>${plotlyText(p.stepUnit)} %{x}</extra>`,
      meta: { role: 'metric', metric: m },
    };
  });
  const first = steps[0] ?? 0;
  const last = Math.max(p.totalSteps ?? 0, steps[steps.length - 1] ?? 1, first + 1);
  const xRange = [first - (last - first) * 0.01, last + (last - first) * 0.01];
  const layout: PlotLayout = {
    ...themedLayout(theme),
    height: split ? 420 : 300,
    margin: { l: 60, r: 12, t: 12, b: 44 },
    hovermode: 'x unified',
    legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', bgcolor: 'rgba(0,0,0,0)', font: { color: theme.foreground } },
    // Keep the user's zoom across updates; datarevision tells react that the arrays grew.
    uirevision: 'training',
    datarevision: revision,
    xaxis: themedAxis(theme, { title: { text: plotlyText(p.stepUnit) }, range: xRange, anchor: split ? 'y2' : 'y', zeroline: false }),
    yaxis: themedAxis(theme, {
      domain: split ? [0.54, 1] : [0, 1],
      title: { text: losses.length ? 'loss' : plotlyText(others.join(', ')) },
      type: logLoss && losses.length ? 'log' : 'linear',
      zeroline: false,
    }),
  };
  if (split) {
    layout.yaxis2 = themedAxis(theme, { domain: [0, 0.44], title: { text: 'metrics' }, zeroline: false });
  }
  return { data, layout };
}

/** "running · epoch 12 / 20 · loss 0.3412 · acc 0.9123" */
export function statusText(p: TrainingPayload): string {
  const last = p.points[p.points.length - 1];
  const parts: string[] = [p.status];
  if (last) parts.push(`${p.stepUnit} ${last.step}${p.totalSteps ? ` / ${p.totalSteps}` : ''}`);
  else parts.push(`waiting for the first ${p.stepUnit}`);
  if (last) for (const m of p.metrics) if (m in last.logs) parts.push(`${m} ${last.logs[m].toPrecision(4)}`);
  return parts.join(' · ');
}
