// The patches view: a channel selector (C > 1), the linked figure and a readout. Hovering (or
// clicking) an output cell, an image pixel or a patch-matrix column selects that output position;
// only the highlight shapes are relaid out, so hovering is cheap and flicker-free.
import type { PatchesPayload } from '../../kernel/payloads/patches';
import { el, select } from '../shared/dom';
import type { PlotlyElement, PlotlyEvent } from '../shared/plotlyTypes';
import type { View, ViewContext } from '../shared/view';
import { columnOf, firstInconsistency, type OutputPos, positionNearPixel, positionOfColumn, receptiveField } from './patchGeometry';
import { type ChannelChoice, highlightShapes, patchesFigure, rgbScale, staticShapes } from './patchesFigure';

export function createPatchesView(ctx: ViewContext): View<PatchesPayload> {
  const { root, plotly } = ctx;
  let payload: PatchesPayload | undefined;
  let channel: ChannelChoice | undefined; // undefined until the first payload picks a default
  let pos: OutputPos = { oy: 0, ox: 0 };
  let listening = false;

  const title = el('span', { class: 'convkan-title' });
  const subtitle = el('span', { class: 'convkan-subtitle' });
  const controls = el('div', { class: 'convkan-controls' });
  // Focusable: arrow keys slide the window one output position (keyboard users, no hover needed).
  const plot = el('div', {
    class: 'convkan-plot',
    'data-role': 'patches-figure',
    tabindex: '0',
    'aria-label': 'Patches: arrow keys move the sliding window',
  });
  const readout = el('div', { class: 'convkan-status', 'data-role': 'readout' });
  const note = el('div', { class: 'convkan-note' });
  root.append(el('div', { class: 'convkan-header' }, title, subtitle), controls, plot, readout, note);

  const describePos = (p: PatchesPayload) => {
    const taps = receptiveField(p, pos);
    const ys = taps.map((t) => t.y);
    const xs = taps.map((t) => t.x);
    readout.textContent =
      `Output (oy ${pos.oy}, ox ${pos.ox}) reads padded rows ${Math.min(...ys)}–${Math.max(...ys)}, ` +
      `columns ${Math.min(...xs)}–${Math.max(...xs)}` +
      ` (${taps.length} taps per channel) = column ${columnOf(p, pos)} of the patch matrix. Hover or click a cell to move the window.`;
    root.dataset.outputPosition = `${pos.oy},${pos.ox}`;
    root.dataset.column = String(columnOf(p, pos));
  };

  const draw = async () => {
    if (!payload) return;
    const fig = patchesFigure(payload, channel ?? 0, pos, ctx.theme());
    await plotly.react(plot, fig.data, fig.layout, { displaylogo: false, modeBarButtonsToRemove: ['select2d', 'lasso2d'] });
    describePos(payload);
    if (!listening) {
      listening = true;
      const gd = plot as unknown as PlotlyElement;
      gd.on('plotly_hover', onPoint);
      gd.on('plotly_click', onPoint);
    }
  };

  const moveTo = async (next: OutputPos) => {
    if (!payload || (next.oy === pos.oy && next.ox === pos.ox)) return;
    pos = next;
    const theme = ctx.theme();
    await plotly.relayout(plot, { shapes: [...staticShapes(payload, channel ?? 0, theme), ...highlightShapes(payload, pos, theme)] });
    describePos(payload);
  };

  const step: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  plot.addEventListener('keydown', (e) => {
    const d = step[e.key];
    if (!d || !payload) return;
    e.preventDefault();
    const clamp = (v: number, n: number) => Math.max(0, Math.min(n - 1, v));
    void moveTo({ oy: clamp(pos.oy + d[0], payload.output.height), ox: clamp(pos.ox + d[1], payload.output.width) });
  });

  const onPoint = (e: PlotlyEvent) => {
    const pt = e.points?.[0];
    if (!pt || !payload) return;
    const role = (pt.data.meta as { role?: string } | undefined)?.role;
    const x = Number(pt.x);
    const y = Number(pt.y);
    if (role === 'output') void moveTo({ oy: y, ox: x });
    else if (role === 'image') void moveTo(positionNearPixel(payload, y, x));
    else if (role === 'patches') void moveTo(positionOfColumn(payload, x));
  };

  return {
    async update(next) {
      payload = next;
      const C = next.image.channels;
      const rgbOk = rgbScale(next) !== undefined;
      // Default: the picture itself for RGB images, else channel 0; keep the user's choice if still valid.
      if (channel === undefined || (channel === 'rgb' && !rgbOk)) channel = rgbOk ? 'rgb' : 0;
      else if (channel !== 'rgb') channel = Math.min(channel, C - 1);
      pos = { oy: Math.min(pos.oy, next.output.height - 1), ox: Math.min(pos.ox, next.output.width - 1) };
      const c = next.config;
      title.textContent = next.layerName ?? 'patches';
      subtitle.textContent =
        `image ${next.image.height}×${next.image.width}×${C} · kernel ${c.kernelSize.join('×')} · ` +
        `stride ${c.stride.join('×')} · dilation ${c.dilation.join('×')}` +
        ` · padding ${c.padding[0].join('/')} (top/bottom), ${c.padding[1].join('/')} (left/right), ${c.paddingMode} · ` +
        `output ${next.output.height}×${next.output.width}`;
      if (C > 1) {
        const options = Array.from({ length: C }, (_, i) => ({ value: String(i), text: String(i) }));
        if (rgbOk) options.unshift({ value: 'rgb', text: 'RGB' });
        const sel = select('channel', 'Channel', options, String(channel));
        sel.select.addEventListener('change', () => {
          channel = sel.select.value === 'rgb' ? 'rgb' : Number(sel.select.value);
          root.dataset.channel = String(channel);
          void draw();
        });
        controls.replaceChildren(sel.label);
      } else controls.replaceChildren();
      root.dataset.channel = String(channel);
      const problem = firstInconsistency(next);
      note.textContent = problem
        ? `Warning: the payload is inconsistent (${problem}); the highlighted column may not match the window.`
        : 'Shaded border: values the padding mode added. Dashed outline: the original image.';
      note.dataset.consistent = String(!problem);
      await draw();
    },
    plots: () => [plot],
  };
}
