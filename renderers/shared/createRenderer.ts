// The part every ConvKAN renderer shares: the VS Code activate() contract, one view per output id,
// latest-wins scheduling of updates (update_display_data can arrive faster than plotly draws),
// lazy plotly, theme and resize observers, purge on dispose, and a readable error box instead of a
// blank output when the payload is malformed or too large.
import type { ActivationFunction, OutputItem, RendererApi } from 'vscode-notebook-renderer';
import { el } from './dom';
import { loadPlotly } from './loadPlotly';
import { PayloadError, tooLarge } from '../../kernel/payloads/check';
import type { PlotlyApi } from './plotlyTypes';
import { ensureStyles } from './styles';
import { readTheme } from './theme';
import type { View, ViewSpec } from './view';

/** Raw payload bytes accepted before parsing; beyond this the webview would stall on JSON.parse alone. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024; // the kernel's largest splines payload is ~50 MB

interface Slot {
  generation: number;
  chain: Promise<void>;
  root?: HTMLElement;
  view?: View<unknown>;
  /** The newest payload asked for; redrawn when the theme changes. */
  payload?: unknown;
  resize?: ResizeObserver;
  disposed?: boolean;
}

export interface RendererHooks extends RendererApi {
  /** Test and debugging aid: the ids with a live view. */
  liveOutputIds(): string[];
}

export function createRenderer<P>(spec: ViewSpec<P>): ActivationFunction {
  return () => {
    const slots = new Map<string, Slot>();
    let plotly: PlotlyApi | undefined;

    const purge = (slot: Slot) => {
      slot.resize?.disconnect();
      if (slot.view && plotly) for (const p of slot.view.plots()) plotly.purge(p);
      slot.view?.dispose?.();
      slot.view = undefined;
      slot.resize = undefined;
    };

    // One observer for all views of this renderer: VS Code swaps CSS variables on <html> and the
    // theme kind/classes on <body> when the user changes theme.
    let themeTimer: ReturnType<typeof setTimeout> | undefined;
    const retheme = () => {
      clearTimeout(themeTimer);
      themeTimer = setTimeout(() => {
        for (const slot of slots.values()) {
          const payload = slot.payload as P | undefined;
          if (payload !== undefined && slot.view) void schedule(slot, () => draw(slot, payload));
        }
      }, 50);
    };
    const themeObserver = new MutationObserver(retheme);
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    if (document.body)
      themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind', 'style'] });

    // Latest wins: a job runs only if no newer render was scheduled for the same output meanwhile.
    const schedule = (slot: Slot, job: () => Promise<void>): Promise<void> => {
      const generation = ++slot.generation;
      slot.chain = slot.chain.then(() => (generation === slot.generation && !slot.disposed ? job() : undefined)).catch(() => undefined);
      return slot.chain;
    };

    const showError = (slot: Slot, root: HTMLElement, err: unknown) => {
      purge(slot);
      const kind = err instanceof PayloadError ? err.kind : 'render';
      const headline =
        kind === 'too-large'
          ? `${spec.title}: this output is too large to draw`
          : kind === 'malformed'
            ? `${spec.title}: the output data is malformed`
            : `${spec.title}: drawing failed`;
      const detail = err instanceof Error ? err.message : String(err);
      root.replaceChildren(
        el(
          'div',
          { class: 'convkan-error', role: 'alert', 'data-error-kind': kind },
          el('p', { class: 'convkan-error-title' }, headline),
          el('pre', { class: 'convkan-error-detail' }, detail),
        ),
      );
      root.dataset.state = 'error';
    };

    const draw = async (slot: Slot, payload: P) => {
      const root = slot.root!;
      try {
        plotly ??= await loadPlotly();
        if (slot.disposed) return;
        if (!slot.view) {
          root.replaceChildren();
          slot.view = spec.create({ root, plotly, theme: () => readTheme(root) }) as View<unknown>;
          slot.resize = observeWidth(root, () => slot.view?.plots().forEach((p) => void plotly!.Plots.resize(p)));
        }
        await slot.view.update(payload);
        root.dataset.state = 'ready';
        root.dataset.renderCount = String(Number(root.dataset.renderCount ?? 0) + 1);
      } catch (err) {
        showError(slot, root, err);
      }
    };

    const api: RendererHooks = {
      renderOutputItem(item: OutputItem, element: HTMLElement, signal: AbortSignal) {
        ensureStyles();
        let slot = slots.get(item.id);
        if (!slot) {
          slot = { generation: 0, chain: Promise.resolve() };
          slots.set(item.id, slot);
        }
        const s = slot;
        // Same output id, same element: update in place. VS Code re-renders into a fresh element
        // in some paths (cell moved, webview reloaded): then start over there.
        if (!s.root || !element.contains(s.root)) {
          purge(s);
          s.root = el('div', { class: 'convkan-view', 'data-view': spec.name, 'data-state': 'loading', 'data-output-id': item.id });
          s.root.append(el('div', { class: 'convkan-loading' }, `${spec.title}: loading…`));
          element.replaceChildren(s.root);
        }
        const root = s.root;
        let payload: P;
        try {
          payload = parseItem(item, spec);
        } catch (err) {
          s.generation++; // a pending older draw must not overwrite the error
          showError(s, root, err);
          return;
        }
        s.payload = payload;
        return schedule(s, async () => {
          if (signal?.aborted) return;
          await draw(s, payload);
        });
      },
      disposeOutputItem(id?: string) {
        const ids = id === undefined ? [...slots.keys()] : [id];
        for (const k of ids) {
          const slot = slots.get(k);
          if (!slot) continue;
          slot.disposed = true;
          purge(slot);
          slots.delete(k);
        }
      },
      liveOutputIds: () => [...slots.keys()].filter((k) => slots.get(k)?.view),
    };
    return api;
  };
}

function parseItem<P>(item: OutputItem, spec: ViewSpec<P>): P {
  const bytes = item.data().byteLength;
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw tooLarge('The payload size (bytes)', bytes, MAX_PAYLOAD_BYTES, 'Send fewer channels or a smaller input from the kernel.');
  }
  let json: unknown;
  try {
    json = item.json();
  } catch (err) {
    throw new PayloadError('malformed', `${item.mime} output is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return spec.parse(json);
}

/** Calls `onResize` when the element's width changes (height changes come from our own plots). */
function observeWidth(target: HTMLElement, onResize: () => void): ResizeObserver | undefined {
  if (typeof ResizeObserver === 'undefined') return undefined;
  let lastWidth = target.clientWidth;
  let frame = 0;
  const ro = new ResizeObserver(() => {
    const w = target.clientWidth;
    if (w === lastWidth) return;
    lastWidth = w;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(onResize);
  });
  ro.observe(target);
  return ro;
}
