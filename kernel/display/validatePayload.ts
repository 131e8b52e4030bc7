// Checks a ConvKAN view payload against its schema (mimeTypes.ts, docs/mime-types.md): types,
// required fields, enum values, array lengths, and the arithmetic that ties fields together
// (padded size, output size, patch matrix size). Used by the kernel's tests, and usable by any
// consumer that wants to check data before drawing it.
import {
  CONVKAN_SCHEMA_VERSION,
  MIME_ACTIVATIONS,
  MIME_PATCHES,
  MIME_SPLINES,
  MIME_TIMING,
  MIME_TRAINING,
  SPLINES_IMPORTANCE,
} from './mimeTypes';

type Obj = Record<string, unknown>;

class Checker {
  readonly errors: string[] = [];

  fail(path: string, expected: string, actual: unknown): false {
    let shown: string;
    try {
      shown = JSON.stringify(actual) ?? String(actual);
    } catch {
      shown = String(actual);
    }
    if (shown.length > 80) shown = shown.slice(0, 77) + '...';
    this.errors.push(`${path}: expected ${expected}, got ${shown}`);
    return false;
  }

  obj(v: unknown, path: string): v is Obj {
    return (typeof v === 'object' && v !== null && !Array.isArray(v)) || this.fail(path, 'an object', v);
  }

  num(v: unknown, path: string): v is number {
    return (typeof v === 'number' && Number.isFinite(v)) || this.fail(path, 'a finite number', v);
  }

  int(v: unknown, path: string, min = 0): v is number {
    return (Number.isInteger(v) && (v as number) >= min) || this.fail(path, `an integer ≥ ${min}`, v);
  }

  str(v: unknown, path: string): v is string {
    return typeof v === 'string' || this.fail(path, 'a string', v);
  }

  oneOf<T extends string>(v: unknown, path: string, options: readonly T[]): v is T {
    return options.includes(v as T) || this.fail(path, `one of ${options.map((o) => `"${o}"`).join(', ')}`, v);
  }

  arr(v: unknown, path: string, length?: number): v is unknown[] {
    if (!Array.isArray(v)) return this.fail(path, 'an array', v);
    if (length !== undefined && v.length !== length) return this.fail(`${path}.length`, String(length), v.length);
    return true;
  }

  nums(v: unknown, path: string, length?: number): v is number[] {
    if (!this.arr(v, path, length)) return false;
    const bad = v.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
    return bad < 0 || this.fail(`${path}[${bad}]`, 'a finite number', v[bad]);
  }

  ints(v: unknown, path: string, min = 0, length?: number): v is number[] {
    if (!this.arr(v, path, length)) return false;
    const bad = v.findIndex((x) => !Number.isInteger(x) || (x as number) < min);
    return bad < 0 || this.fail(`${path}[${bad}]`, `an integer ≥ ${min}`, v[bad]);
  }

  eq(actual: unknown, expected: unknown, path: string, why: string): boolean {
    return actual === expected || this.fail(path, `${JSON.stringify(expected)} (${why})`, actual);
  }

  optional(o: Obj, k: string, check: (v: unknown, path: string) => boolean, path: string): void {
    if (o[k] !== undefined) check(o[k], `${path}.${k}`);
  }
}

function checkVersion(c: Checker, p: Obj): void {
  c.eq(p.version, CONVKAN_SCHEMA_VERSION, 'version', 'the schema version this kernel writes');
}

function checkSplines(c: Checker, p: Obj): void {
  let kh = 0;
  let kw = 0;
  if (c.obj(p.layer, 'layer')) {
    const L = p.layer;
    c.str(L.name, 'layer.name');
    c.str(L.className, 'layer.className');
    c.str(L.basis, 'layer.basis');
    c.int(L.inChannels, 'layer.inChannels', 1);
    c.int(L.outChannels, 'layer.outChannels', 1);
    if (c.ints(L.kernelSize, 'layer.kernelSize', 1, 2)) [kh, kw] = L.kernelSize;
    c.int(L.groups, 'layer.groups', 1);
    if (c.nums(L.gridRange, 'layer.gridRange', 2) && !(L.gridRange[0] < L.gridRange[1])) c.fail('layer.gridRange', 'lo < hi', L.gridRange);
    c.optional(L, 'gridSize', (v, q) => c.int(v, q, 1), 'layer');
    c.optional(L, 'splineOrder', (v, q) => c.int(v, q, 0), 'layer');
  }
  const outs = c.ints(p.outChannels, 'outChannels') ? p.outChannels : [];
  const ins = c.ints(p.inChannels, 'inChannels') ? p.inChannels : [];
  const n = c.nums(p.x, 'x') ? p.x.length : -1;
  if (n >= 0 && n < 2) c.fail('x.length', '≥ 2 sample points', n);
  c.optional(p, 'knots', (v, q) => c.nums(v, q), '');
  if (p.knotsPerInput !== undefined && c.arr(p.knotsPerInput, 'knotsPerInput')) {
    p.knotsPerInput.forEach((k, i) => {
      if (c.obj(k, `knotsPerInput[${i}]`)) {
        c.int(k.in, `knotsPerInput[${i}].in`);
        c.optional(k, 'ky', (v, q) => c.int(v, q), `knotsPerInput[${i}]`);
        c.optional(k, 'kx', (v, q) => c.int(v, q), `knotsPerInput[${i}]`);
        c.nums(k.knots, `knotsPerInput[${i}].knots`);
      }
    });
  }
  if (c.arr(p.functions, 'functions')) {
    p.functions.forEach((f, i) => {
      const q = `functions[${i}]`;
      if (!c.obj(f, q)) return;
      if (c.int(f.out, `${q}.out`) && !outs.includes(f.out)) c.fail(`${q}.out`, `one of outChannels [${outs.join(', ')}]`, f.out);
      if (c.int(f.in, `${q}.in`) && !ins.includes(f.in)) c.fail(`${q}.in`, `one of inChannels [${ins.join(', ')}]`, f.in);
      if (c.int(f.ky, `${q}.ky`) && kh && f.ky >= kh) c.fail(`${q}.ky`, `< kernel height ${kh}`, f.ky);
      if (c.int(f.kx, `${q}.kx`) && kw && f.kx >= kw) c.fail(`${q}.kx`, `< kernel width ${kw}`, f.kx);
      c.nums(f.base, `${q}.base`, n >= 0 ? n : undefined);
      c.nums(f.spline, `${q}.spline`, n >= 0 ? n : undefined);
      if (c.num(f.importance, `${q}.importance`) && f.importance < 0) c.fail(`${q}.importance`, '≥ 0', f.importance);
    });
  }
  c.optional(p, 'importanceFrom', (v, q) => c.oneOf(v, q, SPLINES_IMPORTANCE), '');
  if (p.inputHistograms !== undefined && c.arr(p.inputHistograms, 'inputHistograms')) {
    p.inputHistograms.forEach((h, i) => {
      const q = `inputHistograms[${i}]`;
      if (!c.obj(h, q)) return;
      c.int(h.in, `${q}.in`);
      if (c.ints(h.counts, `${q}.counts`)) c.nums(h.edges, `${q}.edges`, h.counts.length + 1);
    });
  }
}

const PADDING_MODES = ['zeros', 'reflect', 'replicate', 'circular'] as const;

function checkImage(c: Checker, v: unknown, path: string): { height: number; width: number; channels: number } | undefined {
  if (!c.obj(v, path)) return undefined;
  const ok = c.int(v.height, `${path}.height`, 1) && c.int(v.width, `${path}.width`, 1) && c.int(v.channels, `${path}.channels`, 1);
  if (!ok) return undefined;
  const dims = { height: v.height as number, width: v.width as number, channels: v.channels as number };
  c.nums(v.data, `${path}.data`, dims.height * dims.width * dims.channels);
  return dims;
}

function checkPatches(c: Checker, p: Obj): void {
  c.optional(p, 'layerName', (v, q) => c.str(v, q), '');
  let cfg: { k: number[]; s: number[]; d: number[]; pad: number[][] } | undefined;
  if (c.obj(p.config, 'config')) {
    const C = p.config;
    const ok = [
      c.ints(C.kernelSize, 'config.kernelSize', 1, 2),
      c.ints(C.stride, 'config.stride', 1, 2),
      c.ints(C.dilation, 'config.dilation', 1, 2),
      c.arr(C.padding, 'config.padding', 2) &&
        (C.padding as unknown[]).every((pp, i) => c.ints(pp, `config.padding[${i}]`, 0, 2)),
      c.oneOf(C.paddingMode, 'config.paddingMode', PADDING_MODES),
    ].every(Boolean);
    c.optional(C, 'groups', (v, q) => c.int(v, q, 1), 'config');
    if (ok) cfg = { k: C.kernelSize as number[], s: C.stride as number[], d: C.dilation as number[], pad: C.padding as number[][] };
  }
  const image = checkImage(c, p.image, 'image');
  const padded = checkImage(c, p.padded, 'padded');
  let outH = -1;
  let outW = -1;
  if (c.obj(p.output, 'output') && c.int(p.output.height, 'output.height', 1) && c.int(p.output.width, 'output.width', 1)) {
    outH = p.output.height;
    outW = p.output.width;
  }
  if (cfg && image && padded) {
    c.eq(padded.height, image.height + cfg.pad[0][0] + cfg.pad[0][1], 'padded.height', 'image.height + top + bottom padding');
    c.eq(padded.width, image.width + cfg.pad[1][0] + cfg.pad[1][1], 'padded.width', 'image.width + left + right padding');
    c.eq(padded.channels, image.channels, 'padded.channels', 'image.channels');
    const out = (size: number, i: number) => Math.floor((size - cfg!.d[i] * (cfg!.k[i] - 1) - 1) / cfg!.s[i]) + 1;
    if (outH >= 0) {
      c.eq(outH, out(padded.height, 0), 'output.height', '⌊(padded.height − dilation·(k−1) − 1)/stride⌋ + 1');
      c.eq(outW, out(padded.width, 1), 'output.width', '⌊(padded.width − dilation·(k−1) − 1)/stride⌋ + 1');
    }
  }
  if (c.obj(p.patches, 'patches')) {
    const P = p.patches;
    if (c.int(P.rows, 'patches.rows', 1) && c.int(P.cols, 'patches.cols', 1)) {
      if (cfg && image) c.eq(P.rows, image.channels * cfg.k[0] * cfg.k[1], 'patches.rows', 'channels·kH·kW');
      if (outH >= 0) c.eq(P.cols, outH * outW, 'patches.cols', 'output.height·output.width');
      c.nums(P.data, 'patches.data', (P.rows as number) * (P.cols as number));
    }
  }
}

function checkTiming(c: Checker, p: Obj): void {
  c.eq(p.unit, 'ms', 'unit', 'timings are in milliseconds');
  c.optional(p, 'title', (v, q) => c.str(v, q), '');
  c.optional(p, 'baseline', (v, q) => c.str(v, q), '');
  if (p.meta !== undefined && c.obj(p.meta, 'meta')) {
    for (const [k, v] of Object.entries(p.meta)) if (typeof v !== 'string') c.num(v, `meta.${k}`);
  }
  if (p.environment !== undefined && c.obj(p.environment, 'environment')) {
    for (const k of ['backend', 'tfjs', 'convkan', 'node'] as const) c.str(p.environment[k], `environment.${k}`);
    c.num(p.environment.threads, 'environment.threads');
    if (p.environment.seed !== null) c.num(p.environment.seed, 'environment.seed');
  }
  if (!c.arr(p.entries, 'entries')) return;
  if (p.entries.length === 0) c.fail('entries', 'at least one entry', p.entries);
  p.entries.forEach((e, i) => {
    const q = `entries[${i}]`;
    if (!c.obj(e, q)) return;
    for (const k of ['label', 'kind', 'shape', 'backend']) c.str(e[k], `${q}.${k}`);
    c.oneOf(e.phase, `${q}.phase`, ['forward', 'forward+backward'] as const);
    if (c.nums(e.samples, `${q}.samples`)) {
      if (e.samples.length === 0) c.fail(`${q}.samples`, 'at least one sample', e.samples);
      if (e.samples.some((s) => s < 0)) c.fail(`${q}.samples`, 'non-negative times', e.samples);
    }
    const stats = [c.num(e.median, `${q}.median`), c.num(e.min, `${q}.min`), c.num(e.max, `${q}.max`)].every(Boolean);
    if (stats && !((e.min as number) <= (e.median as number) && (e.median as number) <= (e.max as number))) {
      c.fail(q, 'min ≤ median ≤ max', { min: e.min, median: e.median, max: e.max });
    }
    c.optional(e, 'ratio', (v, r) => c.num(v, r), q);
  });
}

function checkTraining(c: Checker, p: Obj): void {
  c.optional(p, 'title', (v, q) => c.str(v, q), '');
  const metrics = c.arr(p.metrics, 'metrics') && p.metrics.every((m, i) => c.str(m, `metrics[${i}]`)) ? (p.metrics as string[]) : [];
  if (Array.isArray(p.metrics) && p.metrics.length === 0) c.fail('metrics', 'at least one metric name', p.metrics);
  if (new Set(metrics).size !== metrics.length) c.fail('metrics', 'unique names', metrics);
  c.oneOf(p.stepUnit, 'stepUnit', ['epoch', 'batch'] as const);
  c.oneOf(p.status, 'status', ['running', 'done', 'stopped', 'error'] as const);
  c.optional(p, 'totalSteps', (v, q) => c.int(v, q, 1), '');
  if (!c.arr(p.points, 'points')) return;
  let prev = -Infinity;
  p.points.forEach((pt, i) => {
    const q = `points[${i}]`;
    if (!c.obj(pt, q)) return;
    if (c.num(pt.step, `${q}.step`)) {
      if (!(pt.step > prev)) c.fail(`${q}.step`, `a step after ${prev} (steps increase)`, pt.step);
      prev = pt.step;
    }
    if (c.obj(pt.logs, `${q}.logs`)) {
      for (const [k, v] of Object.entries(pt.logs)) {
        c.num(v, `${q}.logs.${k}`);
        if (!metrics.includes(k)) c.fail(`${q}.logs.${k}`, `a key listed in metrics [${metrics.join(', ')}]`, k);
      }
    }
  });
}

function checkActivations(c: Checker, p: Obj): void {
  let geo: { k: number[]; s: number[]; d: number[]; pad: number[][]; filters: number } | undefined;
  if (c.obj(p.layer, 'layer')) {
    const L = p.layer;
    c.str(L.name, 'layer.name');
    c.str(L.className, 'layer.className');
    const ok = [
      c.int(L.filters, 'layer.filters', 1),
      c.int(L.inChannels, 'layer.inChannels', 1),
      c.ints(L.kernelSize, 'layer.kernelSize', 1, 2),
      c.ints(L.stride, 'layer.stride', 1, 2),
      c.ints(L.dilation, 'layer.dilation', 1, 2),
      c.arr(L.padding, 'layer.padding', 2) && (L.padding as unknown[]).every((pp, i) => c.ints(pp, `layer.padding[${i}]`, 0, 2)),
      c.oneOf(L.paddingMode, 'layer.paddingMode', PADDING_MODES),
      c.int(L.groups, 'layer.groups', 1),
    ].every(Boolean);
    if (ok) geo = { k: L.kernelSize as number[], s: L.stride as number[], d: L.dilation as number[], pad: L.padding as number[][], filters: L.filters as number };
  }
  let images: { count: number; height: number; width: number; channels: number } | undefined;
  if (c.obj(p.images, 'images')) {
    const I = p.images;
    if ([c.int(I.count, 'images.count', 1), c.int(I.height, 'images.height', 1), c.int(I.width, 'images.width', 1), c.int(I.channels, 'images.channels', 1)].every(Boolean)) {
      images = I as typeof images;
    }
  }
  let out: { height: number; width: number } | undefined;
  if (c.obj(p.output, 'output') && c.int(p.output.height, 'output.height', 1) && c.int(p.output.width, 'output.width', 1)) out = p.output as typeof out;
  let field: { height: number; width: number } | undefined;
  if (c.obj(p.field, 'field') && c.int(p.field.height, 'field.height', 1) && c.int(p.field.width, 'field.width', 1)) field = p.field as typeof field;
  if (geo && field) {
    c.eq(field.height, geo.d[0] * (geo.k[0] - 1) + 1, 'field.height', 'dilation·(kH − 1) + 1');
    c.eq(field.width, geo.d[1] * (geo.k[1] - 1) + 1, 'field.width', 'dilation·(kW − 1) + 1');
  }
  if (geo && images && out && field) {
    c.eq(out.height, Math.floor((images.height + geo.pad[0][0] + geo.pad[0][1] - field.height) / geo.s[0]) + 1, 'output.height', '⌊(height + top + bottom − field.height)/stride⌋ + 1');
    c.eq(out.width, Math.floor((images.width + geo.pad[1][0] + geo.pad[1][1] - field.width) / geo.s[1]) + 1, 'output.width', '⌊(width + left + right − field.width)/stride⌋ + 1');
  }
  const channels = c.ints(p.patchChannels, 'patchChannels') ? p.patchChannels : [];
  if (images) channels.forEach((ch, i) => ch < images!.channels || c.fail(`patchChannels[${i}]`, `< images.channels ${images!.channels}`, ch));
  const k = c.int(p.k, 'k', 1) ? p.k : 0;
  const mapImages = c.ints(p.mapImages, 'mapImages') ? p.mapImages : [];
  if (images) mapImages.forEach((m, i) => m < images!.count || c.fail(`mapImages[${i}]`, `< images.count ${images!.count}`, m));
  if (!c.arr(p.filters, 'filters')) return;
  if (p.filters.length === 0) c.fail('filters', 'at least one filter', p.filters);
  p.filters.forEach((f, i) => {
    const q = `filters[${i}]`;
    if (!c.obj(f, q)) return;
    if (c.int(f.filter, `${q}.filter`) && geo && f.filter >= geo.filters) c.fail(`${q}.filter`, `< layer.filters ${geo.filters}`, f.filter);
    c.num(f.max, `${q}.max`);
    c.num(f.mean, `${q}.mean`);
    if (c.arr(f.top, `${q}.top`)) {
      if (f.top.length < 1 || (k && f.top.length > k)) c.fail(`${q}.top.length`, `1 to k = ${k}`, f.top.length);
      let prev = Infinity;
      f.top.forEach((t, j) => {
        const r = `${q}.top[${j}]`;
        if (!c.obj(t, r)) return;
        if (c.int(t.image, `${r}.image`) && images && t.image >= images.count) c.fail(`${r}.image`, `< images.count ${images.count}`, t.image);
        const oyOk = c.int(t.oy, `${r}.oy`) && (!out || t.oy < out.height || c.fail(`${r}.oy`, `< output.height ${out.height}`, t.oy));
        const oxOk = c.int(t.ox, `${r}.ox`) && (!out || t.ox < out.width || c.fail(`${r}.ox`, `< output.width ${out.width}`, t.ox));
        if (c.num(t.value, `${r}.value`)) {
          if (t.value > prev) c.fail(`${r}.value`, `≤ the previous value ${prev} (largest first)`, t.value);
          prev = t.value;
        }
        if (c.num(t.y, `${r}.y`) && geo && oyOk) c.eq(t.y, (t.oy as number) * geo.s[0] - geo.pad[0][0], `${r}.y`, 'oy·stride − top padding');
        if (c.num(t.x, `${r}.x`) && geo && oxOk) c.eq(t.x, (t.ox as number) * geo.s[1] - geo.pad[1][0], `${r}.x`, 'ox·stride − left padding');
        c.nums(t.data, `${r}.data`, field ? field.height * field.width * channels.length : undefined);
      });
    }
    if (c.arr(f.maps, `${q}.maps`, mapImages.length)) {
      f.maps.forEach((m, j) => c.nums(m, `${q}.maps[${j}]`, out ? out.height * out.width : undefined));
    }
  });
}

const CHECKS: Record<string, (c: Checker, p: Obj) => void> = {
  [MIME_SPLINES]: checkSplines,
  [MIME_PATCHES]: checkPatches,
  [MIME_TIMING]: checkTiming,
  [MIME_TRAINING]: checkTraining,
  [MIME_ACTIVATIONS]: checkActivations,
};

/** The problems of a ConvKAN payload (empty when valid), each "path: expected …, got …". */
export function validatePayload(mime: string, data: unknown): string[] {
  const check = CHECKS[mime];
  if (!check) return [`mime: expected one of ${Object.keys(CHECKS).join(', ')}, got "${mime}"`];
  const c = new Checker();
  if (!c.obj(data, 'payload')) return c.errors;
  checkVersion(c, data);
  check(c, data);
  return c.errors;
}

export function assertValidPayload(mime: string, data: unknown): void {
  const errors = validatePayload(mime, data);
  if (errors.length) throw new Error(`Invalid ${mime} payload:\n  ${errors.slice(0, 20).join('\n  ')}${errors.length > 20 ? `\n  … ${errors.length - 20} more` : ''}`);
}
