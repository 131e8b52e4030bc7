// Which input patches make each filter of a convolution fire: the layer's output over a batch of
// images, the k largest activations of each chosen filter (image, output position, value), the
// receptive field of each — the padded input window the layer read, in its own padding mode —
// and the activation maps of the first images. Plain numbers, for the activations view.
// The batch runs through the layer in chunks, so memory stays bounded for large batches.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, show } from '../conv/argumentError';
import type { PaddingMode, Pair, SidePadding } from '../conv/convGeometry';
import { padInput } from '../conv/padInput';
import { layerGeometry } from './layerGeometry';

export interface FilterActivationsOptions {
  /** Patches per filter (default 9). */
  k?: number;
  /** Filters to rank (default: the first ≤ 8). */
  filters?: number[];
  /** Activation maps are kept for the first `mapImages` images (default ≤ 4). */
  mapImages?: number;
}

export interface TopPatch {
  image: number;
  oy: number;
  ox: number;
  value: number;
  /** Top-left of the receptive field in image coordinates (negative: it starts in the padding). */
  y: number;
  x: number;
  /** The padded input window the layer read: field.height × field.width × patchChannels.length, HWC row-major. */
  data: number[];
}

export interface FilterActivations {
  layer: {
    name: string;
    className: string;
    filters: number;
    inChannels: number;
    kernelSize: Pair;
    stride: Pair;
    dilation: Pair;
    padding: SidePadding;
    paddingMode: PaddingMode;
    groups: number;
  };
  images: { count: number; height: number; width: number; channels: number };
  output: { height: number; width: number };
  /** The window one output position reads: dilation·(k − 1) + 1 per axis. */
  field: { height: number; width: number };
  /** Input channels included in each patch's data (all, unless the window would be too large). */
  patchChannels: number[];
  k: number;
  /** Images whose maps are included, in order. */
  mapImages: number[];
  filters: Array<{
    filter: number;
    /** Over every image and position. */
    max: number;
    mean: number;
    /** The k largest activations, largest first. */
    top: TopPatch[];
    /** Per image of mapImages: output.height·output.width activations, row-major. */
    maps: number[][];
  }>;
}

/** Equal to (patches: within) the activations payload's limits, which the library cannot import; a test keeps them so. */
export const FILTER_ACTIVATION_LIMITS = { maxFilters: 64, maxK: 32, maxMapImages: 8, maxPatchValues: 1024 } as const;
const CHUNK = 64;

function intIn(v: unknown, lo: number, hi: number, context: string, argument: string): number {
  if (!Number.isInteger(v) || (v as number) < lo || (v as number) > hi)
    throw new ConvKanArgumentError(context, argument, `an integer in [${lo}, ${hi}]`, show(v));
  return v as number;
}

/**
 * images: [N, H, W, C] (or [N, C, H, W] for a channels-first layer), what the layer takes.
 * Ranks by the largest activation value (signed): what excites a filter, not what inhibits it.
 */
export function filterActivations(layer: tf.layers.Layer, images: tf.Tensor, opts: FilterActivationsOptions = {}): FilterActivations {
  const context = `${layer.getClassName()} '${layer.name}'`;
  if (images.rank !== 4)
    throw new ConvKanArgumentError(
      context,
      'images',
      'a rank-4 batch (NHWC, or NCHW for a channels-first layer)',
      `shape ${show(images.shape)}`,
    );
  const channelsFirst =
    (layer as { dataFormat?: unknown }).dataFormat === 'channelsFirst' ||
    (layer.getConfig() as { dataFormat?: unknown }).dataFormat === 'channelsFirst';
  const s = images.shape as [number, number, number, number];
  const [n, h, w, c] = channelsFirst ? [s[0], s[2], s[3], s[1]] : s;
  if (n < 1) throw new ConvKanArgumentError(context, 'images', 'at least one image', `shape ${show(images.shape)}`);
  const { geometry: g, groups } = layerGeometry(layer, h, w, c);
  const [kh, kw] = g.kernelSize;
  const field = { height: g.dilation[0] * (kh - 1) + 1, width: g.dilation[1] * (kw - 1) + 1 };

  // The output of the first image tells the filter count and output size (and builds the layer).
  const outShape = tf.tidy(() => (layer.apply(tf.slice(images, 0, 1)) as tf.Tensor).shape);
  if (outShape.length !== 4) throw new ConvKanArgumentError(context, 'output', 'rank 4', `shape ${show(outShape)}`);
  const [ho, wo, filtersTotal] = channelsFirst ? [outShape[2], outShape[3], outShape[1]] : [outShape[1], outShape[2], outShape[3]];
  const expectH = Math.floor((h + g.padding[0][0] + g.padding[0][1] - field.height) / g.strides[0]) + 1;
  const expectW = Math.floor((w + g.padding[1][0] + g.padding[1][1] - field.width) / g.strides[1]) + 1;
  if (ho !== expectH || wo !== expectW) {
    throw new ConvKanArgumentError(context, 'output size', `[${expectH}, ${expectW}] from its geometry ${show(g)}`, `[${ho}, ${wo}]`);
  }

  const filters = opts.filters ?? Array.from({ length: Math.min(8, filtersTotal) }, (_, i) => i);
  if (
    !Array.isArray(filters) ||
    filters.length < 1 ||
    filters.length > FILTER_ACTIVATION_LIMITS.maxFilters ||
    new Set(filters).size !== filters.length
  ) {
    throw new ConvKanArgumentError(
      context,
      'filters',
      `1 to ${FILTER_ACTIVATION_LIMITS.maxFilters} distinct filter indices`,
      show(opts.filters),
    );
  }
  filters.forEach((f) => intIn(f, 0, filtersTotal - 1, context, 'filters'));
  const positions = n * ho * wo;
  const k = intIn(opts.k ?? Math.min(9, positions), 1, Math.min(FILTER_ACTIVATION_LIMITS.maxK, positions), context, 'k');
  const m = intIn(opts.mapImages ?? Math.min(4, n), 0, Math.min(FILTER_ACTIVATION_LIMITS.maxMapImages, n), context, 'mapImages');

  // Per chunk: each filter's k best (value, flat index over n·ho·wo), the running sum and max, and the maps.
  const candidates = filters.map(() => [] as Array<{ value: number; index: number }>);
  const sums = filters.map(() => 0);
  const maxes = filters.map(() => -Infinity);
  const maps = filters.map(() => [] as number[][]);
  for (let start = 0; start < n; start += CHUNK) {
    const size = Math.min(CHUNK, n - start);
    const { values, indices, chosen, total, best } = tf.tidy(() => {
      let y = layer.apply(tf.slice(images, start, size)) as tf.Tensor4D;
      if (channelsFirst) y = tf.transpose(y, [0, 2, 3, 1]);
      const sel = tf.transpose(tf.reshape(tf.gather(y, filters, 3), [size * ho * wo, filters.length])); // [F, size·Ho·Wo]
      const top = tf.topk(sel, Math.min(k, size * ho * wo));
      return {
        values: top.values.dataSync(),
        indices: top.indices.dataSync(),
        chosen: start < m ? tf.slice(sel, [0, 0], [-1, Math.min(m - start, size) * ho * wo]).dataSync() : undefined,
        total: tf.sum(sel, 1).dataSync(),
        best: tf.max(sel, 1).dataSync(),
      };
    });
    const kk = values.length / filters.length;
    const perFilter = chosen ? chosen.length / filters.length : 0; // map values of this chunk per filter
    filters.forEach((_, f) => {
      for (let j = 0; j < kk; j++) candidates[f].push({ value: values[f * kk + j], index: start * ho * wo + indices[f * kk + j] });
      sums[f] += total[f];
      maxes[f] = Math.max(maxes[f], best[f]);
      for (let at = 0; at < perFilter; at += ho * wo)
        maps[f].push(Array.from(chosen!.subarray(f * perFilter + at, f * perFilter + at + ho * wo)));
    });
  }
  const tops = candidates.map((list) => list.sort((a, b) => b.value - a.value || a.index - b.index).slice(0, k));

  // The receptive fields, read from the padded images that appear in some top list.
  const patchChannels = Array.from(
    { length: Math.max(1, Math.min(c, Math.floor(FILTER_ACTIVATION_LIMITS.maxPatchValues / (field.height * field.width)))) },
    (_, i) => i,
  );
  const used = [...new Set(tops.flat().map((t) => Math.floor(t.index / (ho * wo))))].sort((a, b) => a - b);
  const { padded, hp, wp } = tf.tidy(() => {
    let x = tf.gather(images, used) as tf.Tensor4D;
    if (channelsFirst) x = tf.transpose(x, [0, 2, 3, 1]);
    x = tf.gather(x, patchChannels, 3);
    const p = padInput(x, g.padding, g.paddingMode); // [used, Hp, Wp, C']
    return { padded: p.dataSync(), hp: p.shape[1], wp: p.shape[2] };
  });
  const cp = patchChannels.length;
  const window = (slot: number, oy: number, ox: number): number[] => {
    const out: number[] = [];
    for (let r = 0; r < field.height; r++) {
      const row = ((slot * hp + oy * g.strides[0] + r) * wp + ox * g.strides[1]) * cp;
      for (let q = 0; q < field.width * cp; q++) out.push(padded[row + q]);
    }
    return out;
  };

  return {
    layer: {
      name: layer.name,
      className: layer.getClassName(),
      filters: filtersTotal,
      inChannels: c,
      kernelSize: [kh, kw],
      stride: [...g.strides] as Pair,
      dilation: [...g.dilation] as Pair,
      padding: [[...g.padding[0]], [...g.padding[1]]] as SidePadding,
      paddingMode: g.paddingMode,
      groups,
    },
    images: { count: n, height: h, width: w, channels: c },
    output: { height: ho, width: wo },
    field,
    patchChannels,
    k,
    mapImages: Array.from({ length: m }, (_, i) => i),
    filters: filters.map((filter, f) => ({
      filter,
      max: maxes[f],
      mean: sums[f] / positions,
      top: tops[f].map(({ value, index }) => {
        const image = Math.floor(index / (ho * wo));
        const oy = Math.floor((index % (ho * wo)) / wo);
        const ox = index % wo;
        return {
          image,
          oy,
          ox,
          value,
          y: oy * g.strides[0] - g.padding[0][0],
          x: ox * g.strides[1] - g.padding[1][0],
          data: window(used.indexOf(image), oy, ox),
        };
      }),
      maps: maps[f],
    })),
  };
}
