// The filter-activations view: a filter selector (and a channel selector for multi-channel
// patches), the figure of that filter's top patches and activation maps, and a line that says
// where the strongest patch came from.
import type { ActivationsPayload } from '../../kernel/payloads/activations';
import { el, select } from '../shared/dom';
import type { View, ViewContext } from '../shared/view';
import { activationsFigure, rgbFactor, type PatchChannel } from './activationsFigure';

export function createActivationsView(ctx: ViewContext): View<ActivationsPayload> {
  const { root, plotly } = ctx;
  let payload: ActivationsPayload | undefined;
  let filter = 0; // index into payload.filters
  let channel: PatchChannel | undefined;

  const title = el('span', { class: 'convkan-title' });
  const subtitle = el('span', { class: 'convkan-subtitle' });
  const controls = el('div', { class: 'convkan-controls' });
  const plot = el('div', { class: 'convkan-plot', 'data-role': 'activations-figure' });
  const readout = el('div', { class: 'convkan-status', 'data-role': 'readout' });
  const note = el('div', { class: 'convkan-note' });
  root.append(el('div', { class: 'convkan-header' }, title, subtitle), controls, plot, readout, note);

  const draw = async () => {
    if (!payload) return;
    const f = payload.filters[filter];
    const fig = activationsFigure(payload, filter, channel ?? 0, ctx.theme());
    await plotly.react(plot, fig.data, fig.layout, { displaylogo: false, modeBarButtonsToRemove: ['select2d', 'lasso2d'] });
    const best = f.top[0];
    readout.textContent =
      `Filter ${f.filter}: max ${f.max.toPrecision(4)}, mean ${f.mean.toPrecision(4)} over ${payload.images.count} images. ` +
      `Strongest: image ${best.image}, output (${best.oy}, ${best.ox}) = ${best.value.toPrecision(4)}, ` +
      `from input rows ${best.y}…${best.y + payload.field.height - 1}, columns ${best.x}…${best.x + payload.field.width - 1}.`;
    root.dataset.filter = String(f.filter);
    root.dataset.channel = String(channel ?? 0);
  };

  const buildControls = (p: ActivationsPayload) => {
    const filters = select(
      'filter',
      'Filter',
      p.filters.map((f, i) => ({ value: String(i), text: `${f.filter} (max ${f.max.toPrecision(3)})` })),
      String(filter),
    );
    filters.select.addEventListener('change', () => {
      filter = Number(filters.select.value);
      void draw();
    });
    const parts = [filters.label];
    if (p.patchChannels.length > 1) {
      const options = p.patchChannels.map((c, i) => ({ value: String(i), text: String(c) }));
      if (rgbFactor(p) !== undefined) options.unshift({ value: 'rgb', text: 'RGB' });
      const channels = select('channel', 'Patch channel', options, String(channel ?? 0));
      channels.select.addEventListener('change', () => {
        channel = channels.select.value === 'rgb' ? 'rgb' : Number(channels.select.value);
        void draw();
      });
      parts.push(channels.label);
    }
    controls.replaceChildren(...parts);
  };

  return {
    async update(next) {
      // Keep the user's filter across updates when it is still listed.
      const current = payload?.filters[filter]?.filter;
      payload = next;
      const again = next.filters.findIndex((f) => f.filter === current);
      filter = again >= 0 ? again : 0;
      const rgbOk = rgbFactor(next) !== undefined;
      if (channel === undefined || (channel === 'rgb' && !rgbOk)) channel = rgbOk ? 'rgb' : 0;
      else if (channel !== 'rgb') channel = Math.min(channel, next.patchChannels.length - 1);
      const L = next.layer;
      title.textContent = L.name;
      subtitle.textContent =
        `${L.className} · ${next.images.count} images ${next.images.height}×${next.images.width}×${next.images.channels} ` +
        `→ ${next.output.height}×${next.output.width}×${L.filters}` +
        ` · field ${next.field.height}×${next.field.width} (kernel ${L.kernelSize.join('×')}, stride ${L.stride.join('×')}, ` +
        `dilation ${L.dilation.join('×')}, ${L.paddingMode})`;
      note.textContent =
        `Top ${next.k} receptive fields per filter over the whole batch, largest activation first, on one colour scale; ` +
        `rows and columns are image coordinates (negative or past the edge: padding, as the layer saw it). Squares on the maps: ` +
        `the top positions in that image.`;
      buildControls(next);
      await draw();
    },
    plots: () => [plot],
  };
}
