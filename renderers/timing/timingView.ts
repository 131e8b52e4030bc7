// The timing view: title, log-scale toggle, the grouped bar figure and a line with the run's
// metadata (versions, batch size, ...).
import type { TimingPayload } from '../../kernel/payloads/timing';
import { checkbox, el } from '../shared/dom';
import type { View, ViewContext } from '../shared/view';
import { prefersLog, timingFigure } from './timingFigure';

export function createTimingView(ctx: ViewContext): View<TimingPayload> {
  const { root, plotly } = ctx;
  let payload: TimingPayload | undefined;
  let logY: boolean | undefined; // undefined: follow prefersLog until the user picks

  const title = el('span', { class: 'convkan-title' });
  const subtitle = el('span', { class: 'convkan-subtitle' });
  const log = checkbox('log-scale', 'log scale', false);
  const plot = el('div', { class: 'convkan-plot', 'data-role': 'timing-bars' });
  const meta = el('div', { class: 'convkan-note' });
  root.append(el('div', { class: 'convkan-header' }, title, subtitle), el('div', { class: 'convkan-controls' }, log.label), plot, meta);

  const draw = async () => {
    if (!payload) return;
    const useLog = logY ?? prefersLog(payload);
    log.input.checked = useLog;
    const fig = timingFigure(payload, useLog, ctx.theme());
    await plotly.react(plot, fig.data, fig.layout, { displaylogo: false, modeBarButtonsToRemove: ['select2d', 'lasso2d'] });
  };
  log.input.addEventListener('change', () => {
    logY = log.input.checked;
    void draw();
  });

  return {
    async update(next) {
      payload = next;
      title.textContent = next.title ?? 'Timing';
      const labels = new Set(next.entries.map((e) => e.label)).size;
      subtitle.textContent =
        `${next.entries.length} measurements of ${labels} layer${labels === 1 ? '' : 's'}` +
        (next.baseline ? ` · ratios are median / median of ${next.baseline} on the same shape, backend and phase` : '');
      meta.textContent = next.meta
        ? Object.entries(next.meta)
            .map(([k, v]) => `${k}: ${v}`)
            .join(' · ')
        : '';
      await draw();
    },
    plots: () => [plot],
  };
}
