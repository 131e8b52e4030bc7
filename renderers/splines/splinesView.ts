// The splines view: header (layer summary), controls (output/input channel, parts, histogram,
// shared y) and one plotly figure holding the kH × kW grid. Control changes and payload updates
// go through Plotly.react, so the figure is updated in place.
import type { SplinesPayload } from '../../kernel/payloads/splines';
import { checkbox, el, select } from '../shared/dom';
import type { View, ViewContext } from '../shared/view';
import { describeLayer, type SplinesSelection, splinesFigure } from './splinesFigure';

export function createSplinesView(ctx: ViewContext): View<SplinesPayload> {
  const { root, plotly } = ctx;
  let payload: SplinesPayload | undefined;
  let sel: SplinesSelection = { out: 0, in: 0, showParts: false, showHistogram: true, sharedY: false };

  const title = el('span', { class: 'convkan-title' });
  const subtitle = el('span', { class: 'convkan-subtitle' });
  const controls = el('div', { class: 'convkan-controls' });
  const plot = el('div', { class: 'convkan-plot', 'data-role': 'splines-grid' });
  const note = el('div', { class: 'convkan-note' });
  root.append(el('div', { class: 'convkan-header' }, title, subtitle), controls, plot, note);

  const redraw = async () => {
    if (!payload) return;
    const fig = splinesFigure(payload, sel, ctx.theme());
    await plotly.react(plot, fig.data, fig.layout, {
      responsive: false,
      displaylogo: false,
      modeBarButtonsToRemove: ['select2d', 'lasso2d'],
    });
    root.dataset.out = String(sel.out);
    root.dataset.in = String(sel.in);
  };

  // Controls are rebuilt only when the channel lists change, so focus survives in-place updates.
  let controlsKey = '';
  const buildControls = (p: SplinesPayload) => {
    const key = `${p.outChannels.join(',')}|${p.inChannels.join(',')}|${p.inputHistograms ? 1 : 0}`;
    if (key === controlsKey) return;
    controlsKey = key;
    const out = select(
      'out-channel',
      'Output channel',
      p.outChannels.map((c) => ({ value: String(c), text: String(c) })),
      String(sel.out),
    );
    const inp = select(
      'in-channel',
      'Input channel',
      p.inChannels.map((c) => ({ value: String(c), text: String(c) })),
      String(sel.in),
    );
    const parts = checkbox('show-parts', 'base and spline parts', sel.showParts);
    const hist = checkbox('show-histogram', 'inputs seen', sel.showHistogram);
    const shared = checkbox('shared-y', 'same y scale', sel.sharedY);
    out.select.addEventListener('change', () => void change({ out: Number(out.select.value) }));
    inp.select.addEventListener('change', () => void change({ in: Number(inp.select.value) }));
    parts.input.addEventListener('change', () => void change({ showParts: parts.input.checked }));
    hist.input.addEventListener('change', () => void change({ showHistogram: hist.input.checked }));
    shared.input.addEventListener('change', () => void change({ sharedY: shared.input.checked }));
    controls.replaceChildren(out.label, inp.label, parts.label, ...(p.inputHistograms ? [hist.label] : []), shared.label);
  };

  const change = async (patch: Partial<SplinesSelection>) => {
    sel = { ...sel, ...patch };
    await redraw();
  };

  return {
    async update(next) {
      payload = next;
      // Keep the user's channel choice across updates when it still exists.
      sel = {
        ...sel,
        out: next.outChannels.includes(sel.out) ? sel.out : next.outChannels[0],
        in: next.inChannels.includes(sel.in) ? sel.in : next.inChannels[0],
      };
      title.textContent = next.layer.name;
      subtitle.textContent = describeLayer(next);
      const max = Math.max(...next.functions.map((f) => f.importance));
      const subset = next.outChannels.length < next.layer.outChannels || next.inChannels.length < next.layer.inChannels;
      note.textContent =
        (next.importanceFrom === 'inputs'
          ? `Curve shading: importance from the inputs seen (pykan's scale, std φ(x) / (std x + 0.1) over each edge's inputs)`
          : 'Curve shading: importance (L1 size, mean |φ| over the plotted range)') +
        ` relative to the most important function shown (${max.toPrecision(3)}), as pykan shades edges.` +
        (subset
          ? ` Showing ${next.outChannels.length} of ${next.layer.outChannels} output and ${next.inChannels.length} ` +
            `of ${next.layer.inChannels} input channels.`
          : '');
      buildControls(next);
      (controls.querySelector('[data-role=out-channel]') as HTMLSelectElement).value = String(sel.out);
      (controls.querySelector('[data-role=in-channel]') as HTMLSelectElement).value = String(sel.in);
      await redraw();
    },
    plots: () => [plot],
  };
}
