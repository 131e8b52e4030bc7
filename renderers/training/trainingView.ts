// The training view: live curves updated in place with Plotly.react (update_display_data sends a
// new payload for the same output), a status line (running/done/stopped/error) and a log toggle
// for the loss axis.
import type { TrainingPayload } from '../../kernel/payloads/training';
import { checkbox, el } from '../shared/dom';
import type { View, ViewContext } from '../shared/view';
import { isLoss, statusText, trainingFigure } from './trainingFigure';

export function createTrainingView(ctx: ViewContext): View<TrainingPayload> {
  const { root, plotly } = ctx;
  let payload: TrainingPayload | undefined;
  let logLoss = false;
  let revision = 0;

  const title = el('span', { class: 'convkan-title' });
  const log = checkbox('log-loss', 'log scale for loss', logLoss);
  const controls = el('div', { class: 'convkan-controls' }, log.label);
  const plot = el('div', { class: 'convkan-plot', 'data-role': 'training-curves' });
  const status = el('div', { class: 'convkan-status', 'data-role': 'status', role: 'status', 'aria-live': 'polite' });
  root.append(el('div', { class: 'convkan-header' }, title), controls, plot, status);

  const draw = async () => {
    if (!payload) return;
    const fig = trainingFigure(payload, logLoss, ctx.theme(), ++revision);
    await plotly.react(plot, fig.data, fig.layout, { displaylogo: false, modeBarButtonsToRemove: ['select2d', 'lasso2d'] });
  };
  log.input.addEventListener('change', () => {
    logLoss = log.input.checked;
    void draw();
  });

  return {
    async update(next) {
      payload = next;
      title.textContent = next.title ?? 'Training';
      log.label.hidden = !next.metrics.some(isLoss);
      status.textContent = statusText(next);
      status.dataset.status = next.status;
      root.dataset.status = next.status;
      await draw();
    },
    plots: () => [plot],
  };
}
