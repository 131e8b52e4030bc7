// Loss and metric curves: the training payload, an SVG with one panel per metric family
// (train and val_ together), and a text table of the latest points.
import { MIME_TRAINING, type TrainingPayload } from '../../payloads';
import { MIME_TEXT, MimeBundle } from '../mimeTypes';
import { checkBeforeSending } from './checkBeforeSending';
import { el, finiteExtent, label, PALETTE, pictureEntries, polyline, scale, svgDocument, text } from '../svg';

const PANEL_W = 300;
const PANEL_H = 170;
const PER_ROW = 3;

/** Metric families: "loss" holds loss and val_loss, "acc" holds acc and val_acc, … */
export function metricFamilies(metrics: string[]): Array<{ name: string; series: string[] }> {
  const m = new Map<string, string[]>();
  for (const s of metrics) {
    const base = s.startsWith('val_') ? s.slice(4) : s;
    if (!m.has(base)) m.set(base, []);
    m.get(base)!.push(s);
  }
  // Training series first, then validation: the same colours in every panel.
  return [...m].map(([name, series]) => ({
    name,
    series: [...series].sort((a, b) => Number(a.startsWith('val_')) - Number(b.startsWith('val_'))),
  }));
}

export function trainingSvg(p: TrainingPayload): string {
  const fams = metricFamilies(p.metrics);
  const left = 10;
  const top = 30;
  const body = [text(left, 18, `${p.title ?? 'Training'} — ${statusText(p)}`, { 'font-weight': '600' })];
  const steps = p.points.map((q) => q.step);
  const [s0, s1] = finiteExtent(steps) ?? [0, 1];
  const xMax = Math.max(s1, p.totalSteps ?? s1);
  fams.forEach((fam, k) => {
    const ox = left + (k % PER_ROW) * (PANEL_W + 20);
    const oy = top + Math.floor(k / PER_ROW) * (PANEL_H + 34);
    const values = p.points.flatMap((q) => fam.series.map((s) => q.logs[s]).filter((v) => v !== undefined));
    const ext = finiteExtent(values) ?? [0, 1];
    // Losses that fall over orders of magnitude read better on a log scale.
    const log = ext[0] > 0 && ext[1] / ext[0] > 50;
    const tr = log ? Math.log10 : (v: number) => v;
    const [lo, hi] = [tr(ext[0]), tr(ext[1])];
    const pad = (hi - lo) * 0.08 || Math.abs(lo) * 0.1 || 1;
    const sx = scale(Math.min(s0, xMax), xMax, ox + 50, ox + PANEL_W - 6);
    const syLinear = scale(lo - pad, hi + pad, oy + PANEL_H - 18, oy + 22);
    const sy = (v: number) => syLinear(tr(v));
    body.push(
      el('rect', { x: ox, y: oy, width: PANEL_W, height: PANEL_H, fill: '#fafafa', stroke: '#ddd', 'stroke-width': 0.5 }),
      text(ox + 6, oy + 13, `${fam.name}${log ? ' (log scale)' : ''}`, { 'font-weight': '600', fill: '#333' }),
      text(ox + 46, sy(ext[1]) + 4, label(ext[1]), { fill: '#777', 'text-anchor': 'end' }),
      text(ox + 46, sy(ext[0]) + 4, label(ext[0]), { fill: '#777', 'text-anchor': 'end' }),
      text(ox + 50, oy + PANEL_H - 4, `${p.stepUnit} ${label(Math.min(s0, xMax))}`, { fill: '#777' }),
      text(ox + PANEL_W - 6, oy + PANEL_H - 4, label(xMax), { fill: '#777', 'text-anchor': 'end' }),
    );
    fam.series.forEach((s, j) => {
      const pts = p.points.filter((q) => q.logs[s] !== undefined);
      const color = PALETTE[j % PALETTE.length];
      body.push(
        polyline(
          pts.map((q) => sx(q.step)),
          pts.map((q) => sy(q.logs[s])),
          { stroke: color, 'stroke-width': 1.5 },
        ),
      );
      if (pts.length === 1) body.push(el('circle', { cx: sx(pts[0].step), cy: sy(pts[0].logs[s]), r: 2.5, fill: color }));
      const lastV = pts.length ? ` ${label(pts[pts.length - 1].logs[s])}` : '';
      body.push(text(ox + PANEL_W - 8, oy + 13 + j * 12, `${s}${lastV}`, { fill: color, 'text-anchor': 'end' }));
    });
  });
  const rows = Math.max(1, Math.ceil(fams.length / PER_ROW));
  const width = left * 2 + Math.min(PER_ROW, Math.max(1, fams.length)) * (PANEL_W + 20);
  if (!fams.length) body.push(text(left, top + 20, 'waiting for the first logs…', { fill: '#777' }));
  return svgDocument(width, top + rows * (PANEL_H + 34), p.title ?? 'Training', body);
}

function statusText(p: TrainingPayload): string {
  const last = p.points[p.points.length - 1];
  const progress = last ? `${p.stepUnit} ${last.step}${p.totalSteps ? `/${p.totalSteps}` : ''}` : 'no points yet';
  return `${p.status}, ${progress}`;
}

export function trainingText(p: TrainingPayload, notes: string[] = []): string {
  const lines = [`${p.title ?? 'Training'}: ${statusText(p)}`];
  const shown = p.points.slice(-5);
  if (shown.length) {
    const head = [p.stepUnit, ...p.metrics];
    const rows = shown.map((q) => [String(q.step), ...p.metrics.map((m) => (q.logs[m] === undefined ? '' : label(q.logs[m], 4)))]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]) => r.map((c, i) => c.padStart(widths[i])).join('  ');
    if (p.points.length > shown.length) lines.push(`(last ${shown.length} of ${p.points.length} points)`);
    lines.push(fmt(head), ...rows.map(fmt));
  }
  for (const n of notes) lines.push(`Note: ${n}.`);
  return lines.join('\n');
}

export function trainingBundle(p: TrainingPayload, notes: string[] = []): MimeBundle {
  return {
    data: {
      [MIME_TRAINING]: checkBeforeSending(MIME_TRAINING, p),
      ...pictureEntries(trainingSvg(p), p.title ?? 'Training curves'),
      [MIME_TEXT]: trainingText(p, notes),
    },
    metadata: {},
  };
}
