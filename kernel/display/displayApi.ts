// The `display` global of notebook cells. Every call emits one display_data through the current
// cell's sink and returns a handle whose update() replaces that same output in place
// (update_display_data with the same display_id), also after the cell has finished.
import { randomUUID } from 'node:crypto';
import { OutputHandle, type DisplayHandle } from './outputHandle';
import { inspectText, isMimeBundle, toMimeBundle } from './toMimeBundle';
import { MIME_HTML, MIME_JSON, MIME_MARKDOWN, MIME_PLOTLY, MIME_PNG, MIME_SVG, MIME_TEXT, MimeBundle } from './mimeTypes';

export interface DisplaySink {
  display(bundle: MimeBundle, opts: { displayId?: string; update?: boolean }): void;
  clearOutput(wait: boolean): void;
}

export interface DisplayOptions {
  /** Reuse an id (to update an output created elsewhere); a new one is made when absent. */
  displayId?: string;
  /** Extra output metadata, merged over the bundle's own. */
  metadata?: Record<string, unknown>;
}

export type { DisplayHandle } from './outputHandle';

/** Turns what a display call or an update receives into a bundle. */
export type BundleMaker = (value: unknown) => MimeBundle;

export interface PngOptions extends DisplayOptions {
  width?: number;
  height?: number;
}

export interface PlotlyFigure {
  data: unknown[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

export interface BaseDisplayApi {
  (value: unknown, opts?: DisplayOptions): DisplayHandle;
  /** A raw MIME bundle ({data, metadata}) or a {mime: data} object. */
  bundle(bundle: MimeBundle | Record<string, unknown>, opts?: DisplayOptions): DisplayHandle;
  text(s: string, opts?: DisplayOptions): DisplayHandle;
  html(s: string, opts?: DisplayOptions): DisplayHandle;
  markdown(s: string, opts?: DisplayOptions): DisplayHandle;
  svg(s: string, opts?: DisplayOptions): DisplayHandle;
  /** PNG bytes (Uint8Array/Buffer) or base64 text (a data: URL prefix is removed). */
  png(bytesOrBase64: Uint8Array | string, opts?: PngOptions): DisplayHandle;
  json(obj: unknown, opts?: DisplayOptions): DisplayHandle;
  plotly(figure: PlotlyFigure, opts?: DisplayOptions): DisplayHandle;
  /** clear_output; with wait=true the client clears when the next output arrives (no flicker). */
  clear(wait?: boolean): void;
}

/** Emits bundles through the sink current at each call; the shared core of every display method. */
export class DisplayEmitter {
  constructor(private readonly getSink: () => DisplaySink) {}

  show(make: BundleMaker, value: unknown, opts: DisplayOptions = {}): DisplayHandle {
    const displayId = opts.displayId ?? randomUUID();
    const withMeta = (b: MimeBundle): MimeBundle => (opts.metadata ? { data: b.data, metadata: { ...b.metadata, ...opts.metadata } } : b);
    this.getSink().display(withMeta(make(value)), { displayId });
    return new OutputHandle(displayId, (next: unknown) => {
      const bundle = isMimeBundle(next) ? { data: next.data, metadata: next.metadata ?? {} } : make(next);
      this.getSink().display(withMeta(bundle), { displayId, update: true });
    });
  }

  clear(wait: boolean): void {
    this.getSink().clearOutput(wait);
  }
}

const single =
  (mime: string, describe: (s: string) => string): BundleMaker =>
  (v) => ({ data: { [mime]: String(v), [MIME_TEXT]: describe(String(v)) }, metadata: {} });

const anyValue: BundleMaker = (v) => toMimeBundle(v) ?? { data: { [MIME_TEXT]: 'undefined' }, metadata: {} };

const rawBundle: BundleMaker = (v) => {
  if (isMimeBundle(v)) return { data: v.data, metadata: v.metadata ?? {} };
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return { data: v as Record<string, unknown>, metadata: {} };
  throw new TypeError(`display.bundle expects a MIME bundle ({data, metadata}) or a {mime: data} object, but got ${inspectText(v)}.`);
};

export function pngBase64(bytesOrBase64: unknown): string {
  if (typeof bytesOrBase64 === 'string') return bytesOrBase64.replace(/^data:image\/png;base64,/, '').replace(/\s+/g, '');
  if (bytesOrBase64 instanceof Uint8Array)
    return Buffer.from(bytesOrBase64.buffer, bytesOrBase64.byteOffset, bytesOrBase64.byteLength).toString('base64');
  throw new TypeError(`display.png expects PNG bytes (Uint8Array) or base64 text, but got ${inspectText(bytesOrBase64)}.`);
}

function pngMaker(opts: PngOptions): BundleMaker {
  return (v) => {
    const size = opts.width !== undefined || opts.height !== undefined ? { [MIME_PNG]: { width: opts.width, height: opts.height } } : {};
    return { data: { [MIME_PNG]: pngBase64(v), [MIME_TEXT]: '<PNG image>' }, metadata: size };
  };
}

/** JSON round trip that turns typed arrays into plain arrays (plotly traces often hold them). */
export function toPlainJson(value: unknown, what: string): unknown {
  const json = JSON.stringify(value, (_k, v) =>
    ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v,
  );
  if (json === undefined) throw new TypeError(`${what} must be JSON data, but got ${inspectText(value)}.`);
  return JSON.parse(json);
}

const jsonMaker: BundleMaker = (v) => ({
  data: { [MIME_JSON]: toPlainJson(v, 'display.json value'), [MIME_TEXT]: inspectText(v) },
  metadata: {},
});

const plotlyMaker: BundleMaker = (v) => {
  const fig = v as PlotlyFigure;
  if (typeof fig !== 'object' || fig === null || !Array.isArray(fig.data)) {
    throw new TypeError(`display.plotly expects a figure {data: trace[], layout?, config?}, but got ${inspectText(v)}.`);
  }
  const types = fig.data.map((t) => String((t as { type?: unknown })?.type ?? 'scatter'));
  const title = (fig.layout?.title as { text?: unknown } | string | undefined) ?? '';
  const titleText = typeof title === 'string' ? title : String(title.text ?? '');
  const text = `Plotly figure${titleText ? ` "${titleText}"` : ''}: ${fig.data.length} trace(s) (${[...new Set(types)].join(', ')})`;
  return { data: { [MIME_PLOTLY]: toPlainJson(fig, 'display.plotly figure'), [MIME_TEXT]: text }, metadata: {} };
};

export function createBaseDisplayApi(emitter: DisplayEmitter): BaseDisplayApi {
  const api = ((value: unknown, opts?: DisplayOptions) => emitter.show(anyValue, value, opts)) as BaseDisplayApi;
  api.bundle = (b, opts) => emitter.show(rawBundle, b, opts);
  api.text = (s, opts) => emitter.show((v) => ({ data: { [MIME_TEXT]: String(v) }, metadata: {} }), s, opts);
  api.html = (s, opts) =>
    emitter.show(
      single(MIME_HTML, () => '<HTML output>'),
      s,
      opts,
    );
  api.markdown = (s, opts) =>
    emitter.show(
      single(MIME_MARKDOWN, (t) => t),
      s,
      opts,
    );
  api.svg = (s, opts) =>
    emitter.show(
      single(MIME_SVG, () => '<SVG image>'),
      s,
      opts,
    );
  api.png = (p, opts = {}) => emitter.show(pngMaker(opts), p, opts);
  api.json = (o, opts) => emitter.show(jsonMaker, o, opts);
  api.plotly = (f, opts) => emitter.show(plotlyMaker, f, opts);
  api.clear = (wait = false) => emitter.clear(wait);
  return api;
}
