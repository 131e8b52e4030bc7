// Whole models in and out of PyTorch state dicts stored as safetensors. Each layer with weights
// maps onto the torch module that computes the same function, under a prefix (its attribute path
// in the torch model, e.g. "features.0"):
//   KANLinear        efficient-kan KANLinear        grid, base_weight, spline_weight, spline_scaler
//   ConvKAN2D        convkan ConvKAN                kan_layer.{grid, base_weight, spline_weight, spline_scaler}
//                    (groups > 1: a leading groups axis on each, as convkan's grouped version)
//   BasisConvKAN2D   torch-conv-kan (FastKANConv2DLayer's names)  base_conv.{g}.weight, spline_conv.{g}.weight
//   BasisConvKAN1D   (FastKANConv1DLayer's), the same with [O/g, I, k] weights
//                    and the buffers its family's torchBuffers names (FastKAN's rbf.grid: checked, the options fix it)
//   Dense / Conv2D / BatchNormalization   nn.Linear / nn.Conv2d / nn.BatchNorm2d
// Torch weights are OIHW and [out, in]; ours HWIO and [in, out]; the conversions are exact.
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { ConvKAN2D } from '../layers/convKan2d';
import { KANLinear } from '../layers/kanLinear';
import { BasisConvKAN1D } from '../variants/basisConvKan1d';
import { BasisConvKAN2D } from '../variants/basisConvKan2d';
import { convertKanParameter, torchShapes, TORCH_PARAMETER_NAMES } from './torchParameters';
import { parseSafetensors, serializeSafetensors, type NamedTensor } from './safetensors';

export interface TorchStateDictOptions {
  /** Our layer name → torch module prefix ("" for the top level). Default: the layer's own name (a lone layer: ""). */
  names?: Record<string, string>;
  /** Loading: refuse keys in the file that no layer takes (default true, as torch's load_state_dict). */
  strict?: boolean;
}

/** One torch tensor of one layer: its key, torch shape, and how to move values each way. */
interface Entry {
  key: string;
  shape: number[];
  /** Torch-layout values of our weight. */
  read(): Float32Array;
  /** Our weight and our-layout values for torch data (after the shape was checked); null: only checked. */
  target(data: Float32Array): [tf.LayerVariable, Float32Array] | null;
}

const BATCH_COUNTER = 'num_batches_tracked'; // torch's BatchNorm counter; no counterpart here

const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);
const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((n, i) => n === b[i]);

function weightOf(layer: tf.layers.Layer, name: string): tf.LayerVariable {
  const w = layer.weights.find((v) => v.originalName.split('/').pop() === name);
  if (!w) throw new Error(`Error in torch state dict: ${layer.getClassName()} '${layer.name}' has no weight "${name}"`);
  return w;
}

/** [kH, kW, I, O] ⇄ [O, I, kH, kW], restricted to output channels [o0, o0 + On). */
function hwioToOihw(v: ArrayLike<number>, [kh, kw, ci, co]: number[], o0 = 0, on = co): Float32Array {
  const out = new Float32Array(on * ci * kh * kw);
  let t = 0;
  for (let o = 0; o < on; o++)
    for (let c = 0; c < ci; c++)
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) out[t++] = v[((y * kw + x) * ci + c) * co + o0 + o];
  return out;
}
function oihwIntoHwio(dst: Float32Array, torch: ArrayLike<number>, [kh, kw, ci, co]: number[], o0 = 0, on = co): void {
  let t = 0;
  for (let o = 0; o < on; o++)
    for (let c = 0; c < ci; c++)
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) dst[((y * kw + x) * ci + c) * co + o0 + o] = torch[t++];
}

const direct = (key: string, v: tf.LayerVariable): Entry => ({
  key,
  shape: [...(v.shape as number[])],
  read: () => Float32Array.from(v.read().dataSync()),
  target: (d) => [v, d],
});

/**
 * A whole HWIO kernel as G torch convolutions of Og outputs each (one per group). A 1-D kernel
 * [k, I, O] is the 2-D case with kH = 1 (torch: [O, I, k]).
 */
function groupedConvEntries(prefix: string, v: tf.LayerVariable, groups: number, pending: Map<tf.LayerVariable, Float32Array>): Entry[] {
  const oneD = v.shape.length === 3;
  const shape = (oneD ? [1, ...v.shape] : v.shape) as number[];
  const [kh, kw, ci, co] = shape;
  const og = co / groups;
  return Array.from({ length: groups }, (_, g) => ({
    key: `${prefix}.${g}.weight`,
    shape: oneD ? [og, ci, kw] : [og, ci, kh, kw],
    read: () => hwioToOihw(v.read().dataSync(), shape, g * og, og),
    target: (d: Float32Array) => {
      // The groups fill one buffer; the last one writes it.
      const buf = pending.get(v) ?? new Float32Array(prod(shape));
      pending.set(v, buf);
      oihwIntoHwio(buf, d, shape, g * og, og);
      return g === groups - 1 ? [v, buf] : null;
    },
  }));
}

function entriesOf(layer: tf.layers.Layer): Entry[] {
  const entries = parameterEntries(layer);
  // A KAN layer built with useBias: true holds a bias its torch counterpart keeps as `bias`.
  const kan =
    layer instanceof KANLinear || layer instanceof ConvKAN2D || layer instanceof BasisConvKAN2D || layer instanceof BasisConvKAN1D;
  if (kan && layer.weights.some((v) => v.originalName.split('/').pop() === 'bias')) entries.push(direct('bias', weightOf(layer, 'bias')));
  return entries;
}

function parameterEntries(layer: tf.layers.Layer): Entry[] {
  if (layer instanceof KANLinear || layer instanceof ConvKAN2D) {
    const shapes = torchShapes(layer);
    const nb = layer.basis.gridSize + layer.basis.splineOrder;
    const vars = { grid: layer.grid, base_weight: layer.baseWeight, spline_weight: layer.splineWeight, spline_scaler: layer.splineScaler };
    const conv = layer instanceof ConvKAN2D;
    return TORCH_PARAMETER_NAMES.filter((n) => vars[n] != null).map((n) => {
      const v = vars[n]!;
      // convkan's ungrouped ConvKAN holds a plain KANLinear: no leading groups axis.
      const shape = conv && layer.groups === 1 ? shapes[n].slice(1) : shapes[n];
      return {
        key: conv ? `kan_layer.${n}` : n,
        shape,
        read: () => convertKanParameter(layer.dims, nb, n, v.read().dataSync(), 'toTorch'),
        target: (d: Float32Array) => [v, convertKanParameter(layer.dims, nb, n, d, 'fromTorch')],
      };
    });
  }
  if (layer instanceof BasisConvKAN2D || layer instanceof BasisConvKAN1D) {
    const pending = new Map<tf.LayerVariable, Float32Array>();
    const entries: Entry[] = [];
    if (layer.useBase) entries.push(...groupedConvEntries('base_conv', weightOf(layer, 'baseKernel'), layer.groups, pending));
    entries.push(...groupedConvEntries('spline_conv', weightOf(layer, 'basisKernel'), layer.groups, pending));
    const { family, options } = layer.basis;
    const list = (v: ArrayLike<number>) => `[${Array.from(v).join(', ')}]`;
    // The settings that fix a buffer, as "gridSize 5, gridRange [-2, 2]".
    const settings = family.settings.map((n) => `${n} ${typeof options[n] === 'number' ? options[n] : list(options[n])}`).join(', ');
    for (const { key, holds, values } of family.torchBuffers?.(options) ?? [])
      entries.push({
        key,
        shape: [values.length],
        read: () => values,
        target: (d) => {
          const off = d.findIndex((x, j) => Math.abs(x - values[j]) > 1e-5 * (1 + Math.abs(values[j])));
          if (off >= 0)
            throw new Error(
              `Error in loadTorchStateDict: ${layer.getClassName()} '${layer.name}' ${key} must equal the layer's ` +
                `${holds} ${list(values)} (${settings}), but got ${list(d)}`,
            );
          return null;
        },
      });
    return entries;
  }
  switch (layer.getClassName()) {
    case 'Dense': {
      const kernel = weightOf(layer, 'kernel');
      const [i, o] = kernel.shape as number[];
      const entries: Entry[] = [
        {
          key: 'weight',
          shape: [o, i],
          read: () => tf.tidy(() => Float32Array.from(kernel.read().transpose().dataSync())),
          target: (d) => [kernel, tf.tidy(() => Float32Array.from(tf.tensor2d(d, [o, i]).transpose().dataSync()))],
        },
      ];
      if (layer.weights.length > 1) entries.push(direct('bias', weightOf(layer, 'bias')));
      return entries;
    }
    case 'Conv2D': {
      const kernel = weightOf(layer, 'kernel');
      const entries = groupedConvEntries('conv', kernel, 1, new Map()).map((e) => ({ ...e, key: 'weight' }));
      if (layer.weights.length > 1) entries.push(direct('bias', weightOf(layer, 'bias')));
      return entries;
    }
    case 'BatchNormalization': {
      const named: Array<[string, string]> = [
        ['weight', 'gamma'],
        ['bias', 'beta'],
        ['running_mean', 'moving_mean'],
        ['running_var', 'moving_variance'],
      ];
      return named
        .filter(([, ours]) => layer.weights.some((v) => v.originalName.endsWith(`/${ours}`)))
        .map(([key, ours]) => direct(key, weightOf(layer, ours)));
    }
    default:
      if (layer.weights.length === 0) return [];
      throw new Error(
        `Error in torch state dict: ${layer.getClassName()} '${layer.name}' has weights but no PyTorch counterpart; ` +
          `supported are ConvKAN2D, KANLinear, BasisConvKAN2D, BasisConvKAN1D, Dense, Conv2D and BatchNormalization`,
      );
  }
}

/** Every layer with weights, nested models flattened, each with its torch prefix. */
function layersWithPrefixes(
  model: tf.LayersModel | tf.layers.Layer,
  names: Record<string, string> | undefined,
  fn: string,
): Array<[tf.layers.Layer, string]> {
  const lone = !(model instanceof tf.LayersModel);
  const flat: tf.layers.Layer[] = [];
  const walk = (l: tf.layers.Layer) => (l instanceof tf.LayersModel ? l.layers.forEach(walk) : flat.push(l));
  walk(model as tf.layers.Layer);
  const withWeights = flat.filter((l) => l.weights.length > 0);
  for (const l of withWeights)
    if (!l.built)
      throw new Error(`Error in ${fn}: layer '${l.name}' must be built (call the model once or give an inputShape), but it is not`);
  const known = new Set(flat.map((l) => l.name));
  const unknown = Object.keys(names ?? {}).filter((n) => !known.has(n));
  if (unknown.length)
    throw new Error(
      `Error in ${fn}: names must name layers of the model (${[...known].join(', ')}), but got ${unknown.map((n) => `'${n}'`).join(', ')}`,
    );
  return withWeights.map((l) => [l, names?.[l.name] ?? (lone ? '' : l.name)]);
}

const joinKey = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/**
 * Writes the model's weights as a PyTorch state dict in safetensors format (float32), to `file`
 * when a path is given; returns the bytes. `torch.load_state_dict` of the matching torch model
 * accepts it (see docs/torch.md).
 */
export function saveTorchStateDict(
  model: tf.LayersModel | tf.layers.Layer,
  file?: string,
  options: TorchStateDictOptions = {},
): Uint8Array {
  const tensors: Record<string, NamedTensor> = {};
  for (const [layer, prefix] of layersWithPrefixes(model, options.names, 'saveTorchStateDict')) {
    for (const e of entriesOf(layer)) {
      const key = joinKey(prefix, e.key);
      if (tensors[key])
        throw new Error(
          `Error in saveTorchStateDict: key "${key}" must be unique, but layer '${layer.name}' writes it again (give distinct names)`,
        );
      tensors[key] = { shape: e.shape, data: e.read() };
    }
  }
  const bytes = serializeSafetensors(tensors, { format: 'pt' });
  if (file !== undefined) fs.writeFileSync(file, bytes);
  return bytes;
}

/**
 * Loads a PyTorch state dict (safetensors file path or bytes) into the model. Every key and shape
 * is checked before any weight changes, so a refused load leaves the model as it was.
 */
export function loadTorchStateDict(
  model: tf.LayersModel | tf.layers.Layer,
  file: string | Uint8Array,
  options: TorchStateDictOptions = {},
): void {
  const { tensors } = parseSafetensors(typeof file === 'string' ? fs.readFileSync(file) : file);
  const used = new Set<string>();
  const writes: Array<[tf.LayerVariable, Float32Array]> = [];
  for (const [layer, prefix] of layersWithPrefixes(model, options.names, 'loadTorchStateDict')) {
    for (const e of entriesOf(layer)) {
      const key = joinKey(prefix, e.key);
      const t = tensors.get(key);
      const where = `Error in loadTorchStateDict: ${layer.getClassName()} '${layer.name}'`;
      if (!t)
        throw new Error(
          `${where} needs "${key}" of shape [${e.shape.join(', ')}], ` +
            `but the state dict has no such key (keys: ${[...tensors.keys()].slice(0, 12).join(', ')}${tensors.size > 12 ? ', …' : ''})`,
        );
      if (!sameShape(t.shape, e.shape))
        throw new Error(`${where}: "${key}" must have shape [${e.shape.join(', ')}], but got [${t.shape.join(', ')}]`);
      used.add(key);
      const w = e.target(t.data);
      if (w) writes.push(w);
    }
  }
  if (options.strict ?? true) {
    const extra = [...tensors.keys()].filter((k) => !used.has(k) && !k.endsWith(`.${BATCH_COUNTER}`) && k !== BATCH_COUNTER);
    if (extra.length)
      throw new Error(
        `Error in loadTorchStateDict: every key must belong to a layer (strict), ` +
          `but got unexpected ${extra.map((k) => `"${k}"`).join(', ')}; pass names to map layers or strict: false`,
      );
  }
  tf.tidy(() => {
    for (const [v, data] of writes) v.write(tf.tensor(data, v.shape as number[]));
  });
}
