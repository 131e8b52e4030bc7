// Layers and models as cell results: the text of model.summary() (or its single-layer
// equivalent: config, weights, parameter counts) and the same facts as an HTML table.
import * as tf from '@tensorflow/tfjs';
import { MIME_HTML, MIME_TEXT, MimeBundle } from './mimeTypes';
import { xmlEscape } from './svg';

export function isLayersModel(value: unknown): value is tf.LayersModel {
  return value instanceof tf.LayersModel;
}

export function isLayer(value: unknown): value is tf.layers.Layer {
  return value instanceof tf.layers.Layer;
}

const count = (n: number) => n.toLocaleString('en-US');

function shapeText(shape: unknown): string {
  return JSON.stringify(shape)?.replace(/null/g, 'None').replace(/,/g, ', ') ?? '?';
}

interface WeightRow {
  name: string;
  shape: number[];
  trainable: boolean;
  params: number;
}

function weightRows(layer: tf.layers.Layer): WeightRow[] {
  return layer.weights.map((w) => ({
    name: w.originalName ?? w.name,
    shape: w.shape.map((d) => d ?? 0),
    trainable: w.trainable,
    params: w.shape.reduce<number>((a, d) => a * (d ?? 0), 1),
  }));
}

function paramTotals(rows: WeightRow[]): { total: number; trainable: number } {
  let total = 0;
  let trainable = 0;
  for (const r of rows) {
    total += r.params;
    if (r.trainable) trainable += r.params;
  }
  return { total, trainable };
}

/** Config entries worth showing (plain values only; nested initializer objects are summarised). */
function configEntries(layer: tf.layers.Layer): Array<[string, string]> {
  const config = layer.getConfig() as Record<string, unknown>;
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(config)) {
    if (k === 'name' || k === 'trainable' || v === null || v === undefined) continue;
    if (typeof v === 'object' && !Array.isArray(v)) {
      const cls = (v as { className?: unknown }).className;
      out.push([k, typeof cls === 'string' ? cls : JSON.stringify(v)]);
    } else out.push([k, JSON.stringify(v)]);
  }
  return out;
}

export function layerBundle(layer: tf.layers.Layer): MimeBundle {
  const cls = layer.getClassName();
  const rows = layer.built ? weightRows(layer) : [];
  const totals = paramTotals(rows);
  const status = layer.built ? '' : ' (not built yet: weights are created on the first call)';
  const totalsText =
    `${count(totals.total)} params (trainable ${count(totals.trainable)}, ` + `non-trainable ${count(totals.total - totals.trainable)})`;
  const lines = [`${cls} "${layer.name}"${layer.built ? `: ${totalsText}` : status}`];
  if (layer.built) {
    lines.push('Weights:');
    const nameW = Math.max(6, ...rows.map((r) => r.name.length));
    const shapeW = Math.max(...rows.map((r) => `[${r.shape.join(', ')}]`.length), 5);
    for (const r of rows) {
      lines.push(
        `  ${r.name.padEnd(nameW)}  ${`[${r.shape.join(', ')}]`.padEnd(shapeW)}  ` +
          `${(r.trainable ? 'trainable' : 'non-trainable').padEnd(13)}  ${count(r.params).padStart(8)}`,
      );
    }
  }
  lines.push('Config:');
  for (const [k, v] of configEntries(layer)) lines.push(`  ${k}: ${v}`);
  if (layer.built) lines.push(`Total params: ${totalsText.replace(' params', '')}`);
  const esc = xmlEscape;
  const html = [
    `<div class="convkan-layer"><p><b>${esc(cls)}</b> <code>${esc(layer.name)}</code>${esc(status)}</p>`,
    '<table><thead><tr><th>option</th><th>value</th></tr></thead><tbody>',
    ...configEntries(layer).map(([k, v]) => `<tr><td>${esc(k)}</td><td><code>${esc(v)}</code></td></tr>`),
    '</tbody></table>',
  ];
  if (layer.built) {
    html.push(
      '<table><thead><tr><th>weight</th><th>shape</th><th>trainable</th><th style="text-align:right">params</th></tr></thead><tbody>',
      ...rows.map(
        (r) =>
          `<tr><td><code>${esc(r.name)}</code></td><td>[${r.shape.join(', ')}]</td><td>${r.trainable ? 'yes' : 'no'}</td>` +
          `<td style="text-align:right">${count(r.params)}</td></tr>`,
      ),
      `</tbody></table><p>Total params: ${count(totals.total)} (trainable ${count(totals.trainable)}, ` +
        `non-trainable ${count(totals.total - totals.trainable)})</p>`,
    );
  }
  html.push('</div>');
  return { data: { [MIME_TEXT]: lines.join('\n'), [MIME_HTML]: html.join('') }, metadata: {} };
}

export function modelBundle(model: tf.LayersModel): MimeBundle {
  const lines: string[] = [];
  model.summary(undefined, undefined, (...parts: unknown[]) => lines.push(parts.join(' ')));
  let total = 0;
  let trainable = 0;
  const esc = xmlEscape;
  const body = model.layers.map((l) => {
    const rows = weightRows(l);
    const t = paramTotals(rows);
    total += t.total;
    trainable += t.trainable;
    let out = '?';
    try {
      out = shapeText(l.outputShape);
    } catch {
      // layers without a single output shape (shared layers) keep "?"
    }
    return (
      `<tr><td><code>${esc(l.name)}</code> (${esc(l.getClassName())})</td><td>${esc(out)}</td>` +
      `<td style="text-align:right">${count(t.total)}</td></tr>`
    );
  });
  const html =
    `<div class="convkan-model"><p><b>${esc(model.getClassName())}</b> <code>${esc(model.name)}</code></p>` +
    '<table><thead><tr><th>layer (type)</th><th>output shape</th><th style="text-align:right">params</th></tr></thead><tbody>' +
    body.join('') +
    `</tbody></table><p>Total params: ${count(total)} (trainable ${count(trainable)}, non-trainable ${count(total - trainable)})</p></div>`;
  return { data: { [MIME_TEXT]: lines.join('\n'), [MIME_HTML]: html }, metadata: {} };
}
