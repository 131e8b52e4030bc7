// Timing comparisons: the timing payload, an SVG of horizontal bars (median), min–max whiskers
// and every run as a dot, one block per (shape, backend, phase) with the ratio to the baseline
// written on each bar, and a text table.
import { normalizeTiming, TimingInput, TimingOptions } from '../timing';
import { MIME_TIMING, TIMING_LIMITS, TIMING_VERSION, type TimingEntry, type TimingPayload } from '../../payloads';
import { MIME_TEXT, MimeBundle } from '../mimeTypes';
import { checkBeforeSending } from './checkBeforeSending';
import { el, label, PALETTE, pictureEntries, scale, svgDocument, text } from '../svg';

function groups(entries: TimingEntry[]): Array<{ title: string; entries: TimingEntry[] }> {
  const m = new Map<string, TimingEntry[]>();
  for (const e of entries) {
    const k = [e.shape, e.backend, e.phase].filter(Boolean).join(' · ');
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(e);
  }
  return [...m].map(([title, es]) => ({ title, entries: es }));
}

const ROW_H = 22;
const LABEL_W = 150;
const BAR_W = 360;

export function timingSvg(p: TimingPayload): string {
  const left = 10;
  let y = p.title ? 30 : 14;
  const body: string[] = [];
  if (p.title) body.push(text(left, 18, p.title, { 'font-weight': '600' }));
  const kinds = [...new Set(p.entries.map((e) => e.kind))];
  for (const g of groups(p.entries)) {
    y += 14;
    body.push(text(left, y, g.title || 'timings', { 'font-weight': '600', fill: '#333' }));
    y += 6;
    const hi = Math.max(...g.entries.map((e) => e.max), 1e-9);
    const sx = scale(0, hi * 1.05, left + LABEL_W, left + LABEL_W + BAR_W);
    for (const e of g.entries) {
      const color = PALETTE[kinds.indexOf(e.kind) % PALETTE.length];
      const cy = y + ROW_H / 2;
      body.push(
        text(left, cy + 4, e.label.length > 24 ? e.label.slice(0, 23) + '…' : e.label),
        el('rect', { x: sx(0), y: y + 4, width: Math.max(0.5, sx(e.median) - sx(0)), height: ROW_H - 8, fill: color, opacity: '0.75' }),
        el('line', { x1: sx(e.min), x2: sx(e.max), y1: cy, y2: cy, stroke: '#333', 'stroke-width': 1 }),
        el('line', { x1: sx(e.min), x2: sx(e.min), y1: cy - 4, y2: cy + 4, stroke: '#333', 'stroke-width': 1 }),
        el('line', { x1: sx(e.max), x2: sx(e.max), y1: cy - 4, y2: cy + 4, stroke: '#333', 'stroke-width': 1 }),
      );
      e.samples.slice(0, 200).forEach((s, i) => {
        body.push(el('circle', { cx: sx(s), cy: cy + ((i % 3) - 1) * 3, r: 1.6, fill: '#222', opacity: '0.55' }));
      });
      const ratio = e.ratio !== undefined && e.label !== p.baseline ? `  ×${label(e.ratio)}` : e.label === p.baseline ? '  baseline' : '';
      body.push(text(left + LABEL_W + BAR_W + 8, cy + 4, `${label(e.median)} ms${ratio}`));
      y += ROW_H;
    }
    body.push(
      el('line', { x1: sx(0), x2: sx(hi * 1.05), y1: y + 2, y2: y + 2, stroke: '#999', 'stroke-width': 0.5 }),
      text(sx(0), y + 14, '0', { fill: '#777', 'text-anchor': 'middle' }),
      text(sx(hi), y + 14, `${label(hi)} ms`, { fill: '#777', 'text-anchor': 'middle' }),
    );
    y += 20;
  }
  body.push(
    text(left, y + 12, 'bar: median · whisker: min–max · dots: runs · ×: median / baseline median in the same group', { fill: '#555' }),
  );
  return svgDocument(left + LABEL_W + BAR_W + 140, y + 22, p.title ?? 'Timings', body);
}

export function timingText(p: TimingPayload, notes: string[] = []): string {
  const head = ['label', 'kind', 'shape', 'backend', 'phase', 'median ms', 'min', 'max', 'runs', 'ratio'];
  const rows = p.entries.map((e) => [
    e.label,
    e.kind,
    e.shape,
    e.backend,
    e.phase,
    label(e.median, 4),
    label(e.min, 4),
    label(e.max, 4),
    String(e.samples.length),
    e.ratio === undefined ? '' : `×${label(e.ratio)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i >= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const lines = [
    ...(p.title ? [p.title] : []),
    fmt(head),
    ...rows.map(fmt),
    `ratio = median / median of "${p.baseline}" with the same shape, backend and phase`,
  ];
  for (const n of notes) lines.push(`Note: ${n}.`);
  return lines.join('\n');
}

/** Applies the size limits; says what was cut. */
function limit(p: TimingPayload): { payload: TimingPayload; notes: string[] } {
  const notes: string[] = [];
  let entries = p.entries;
  if (entries.length > TIMING_LIMITS.sentEntries) {
    notes.push(`showing the first ${TIMING_LIMITS.sentEntries} of ${entries.length} entries`);
    entries = entries.slice(0, TIMING_LIMITS.sentEntries);
  }
  entries = entries.map((e) => {
    if (e.samples.length <= TIMING_LIMITS.sentSamplesPerEntry) return e;
    const k = e.samples.length / TIMING_LIMITS.sentSamplesPerEntry;
    notes.push(`"${e.label}": ${TIMING_LIMITS.sentSamplesPerEntry} of ${e.samples.length} samples kept (statistics use all)`);
    return { ...e, samples: Array.from({ length: TIMING_LIMITS.sentSamplesPerEntry }, (_, i) => e.samples[Math.floor(i * k)]) };
  });
  return { payload: { ...p, version: TIMING_VERSION, entries }, notes };
}

export function timingBundle(input: TimingInput, opts: TimingOptions = {}): MimeBundle {
  const { payload, notes } = limit(normalizeTiming(input, opts));
  return {
    data: {
      [MIME_TIMING]: checkBeforeSending(MIME_TIMING, payload),
      ...pictureEntries(timingSvg(payload), payload.title ?? 'Timings'),
      [MIME_TEXT]: timingText(payload, notes),
    },
    metadata: {},
  };
}
