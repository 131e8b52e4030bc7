// application/vnd.convkan.activations+json: which input patches make each filter fire (top-k
// receptive fields per filter, and activation maps). Sizes must agree with the convolution
// arithmetic, so a patch's place in its image and a map's markers can be trusted.
import * as v from './check';
import { convOutputSize, dilatedSpan, padding2D, PADDING_MODES, type Padding2D, type PaddingMode } from './convGeometry';

export const MIME_ACTIVATIONS = 'application/vnd.convkan.activations+json';
export const ACTIVATIONS_VERSION = 1;

/** Sizes the kernel sends and the renderer draws (the library's filterActivations allows the same filters and k). */
export const ACTIVATIONS_LIMITS = {
  filters: 64,
  k: 32,
  /** Activation map values over all filters and images a payload may hold. */
  mapValues: 2_000_000,
  /** The kernel keeps maps of the first images within this many values. */
  sentMapValues: 1_000_000,
  /** Values of one patch (field height · width · channels). */
  patchValues: 4096,
  /** Filters the kernel's SVG fallback draws. */
  svgFilters: 4,
} as const;

/** One of the k input patches that most activate a filter. */
export interface ActivationPatch {
  /** Index of the image in the batch. */
  image: number;
  /** Output position. */
  oy: number;
  ox: number;
  /** The activation there. */
  value: number;
  /** Top-left of the receptive field in image coordinates: oy·stride − top padding (negative inside the padding). */
  y: number;
  x: number;
  /** The padded input window the layer read: field.height × field.width × patchChannels.length, HWC row-major. */
  data: number[];
}

export interface ActivationsPayload {
  version: typeof ACTIVATIONS_VERSION;
  layer: {
    name: string;
    className: string;
    /** All filters of the layer (`filters` below lists those ranked). */
    filters: number;
    inChannels: number;
    kernelSize: [number, number];
    stride: [number, number];
    dilation: [number, number];
    /** [[top, bottom], [left, right]], resolved for this image size */
    padding: Padding2D;
    paddingMode: PaddingMode;
    groups: number;
  };
  images: { count: number; height: number; width: number; channels: number };
  output: { height: number; width: number };
  /** The window one output position reads: dilation·(k − 1) + 1 per axis. */
  field: { height: number; width: number };
  /** Input channels present in each patch's data. */
  patchChannels: number[];
  /** Patches asked for per filter (a filter has fewer only when the batch has fewer positions). */
  k: number;
  /** Images whose activation maps are included, in order (the first ones of the batch). */
  mapImages: number[];
  filters: Array<{
    filter: number;
    /** Largest and mean activation over every image and position. */
    max: number;
    mean: number;
    /** Largest activation first. */
    top: ActivationPatch[];
    /** One map per entry of mapImages: output.height·output.width activations, row-major. */
    maps: number[][];
  }>;
}

export function parseActivations(value: unknown): ActivationsPayload {
  return v.parseAs(MIME_ACTIVATIONS, value, activationsFields);
}

function activationsFields(p: v.Json): ActivationsPayload {
  v.version(p, ACTIVATIONS_VERSION);
  const L = v.object(p.layer, 'layer');
  const layer: ActivationsPayload['layer'] = {
    name: v.string(L.name, 'layer.name'),
    className: v.string(L.className, 'layer.className'),
    filters: v.int(L.filters, 'layer.filters', 1),
    inChannels: v.int(L.inChannels, 'layer.inChannels', 1),
    kernelSize: v.pair(L.kernelSize, 'layer.kernelSize', 1),
    stride: v.pair(L.stride, 'layer.stride', 1),
    dilation: v.pair(L.dilation, 'layer.dilation', 1),
    padding: padding2D(L.padding, 'layer.padding'),
    paddingMode: v.oneOf(L.paddingMode, 'layer.paddingMode', PADDING_MODES),
    groups: v.int(L.groups, 'layer.groups', 1),
  };
  const I = v.object(p.images, 'images');
  const images = {
    count: v.int(I.count, 'images.count', 1),
    height: v.int(I.height, 'images.height', 1),
    width: v.int(I.width, 'images.width', 1),
    channels: v.int(I.channels, 'images.channels', 1),
  };
  const O = v.object(p.output, 'output');
  const output = { height: v.int(O.height, 'output.height', 1), width: v.int(O.width, 'output.width', 1) };
  const F = v.object(p.field, 'field');
  const field = { height: v.int(F.height, 'field.height', 1), width: v.int(F.width, 'field.width', 1) };
  for (const [i, side] of [
    [0, 'height'],
    [1, 'width'],
  ] as const) {
    const want = dilatedSpan(layer.kernelSize[i], layer.dilation[i]);
    if (field[side] !== want) throw v.malformed(`field.${side}: expected dilation·(k − 1) + 1 = ${want}, got ${field[side]}`);
    const out = convOutputSize(images[side] + layer.padding[i][0] + layer.padding[i][1], want, layer.stride[i]);
    if (output[side] !== out)
      throw v.malformed(`output.${side}: expected ${out} from the image size, padding, field and stride, got ${output[side]}`);
  }
  const patchChannels = v.array(p.patchChannels, 'patchChannels').map((c, i) => v.int(c, `patchChannels[${i}]`, 0, images.channels - 1));
  if (patchChannels.length === 0) throw v.malformed('patchChannels: expected at least one channel, got an empty array');
  const patchValues = field.height * field.width * patchChannels.length;
  if (patchValues > ACTIVATIONS_LIMITS.patchValues)
    throw v.tooLarge('One patch', patchValues, ACTIVATIONS_LIMITS.patchValues, 'Send fewer channels per patch.');
  const k = v.int(p.k, 'k', 1, ACTIVATIONS_LIMITS.k);
  const mapImages = v.array(p.mapImages, 'mapImages').map((m, i) => v.int(m, `mapImages[${i}]`, 0, images.count - 1));
  const rawFilters = v.array(p.filters, 'filters');
  if (rawFilters.length === 0) throw v.malformed('filters: expected at least one filter, got an empty array');
  if (rawFilters.length > ACTIVATIONS_LIMITS.filters)
    throw v.tooLarge('The number of filters', rawFilters.length, ACTIVATIONS_LIMITS.filters, 'Pick fewer filters (opts.filters).');
  const mapValues = rawFilters.length * mapImages.length * output.height * output.width;
  if (mapValues > ACTIVATIONS_LIMITS.mapValues) {
    throw v.tooLarge(
      'The activation maps',
      mapValues,
      ACTIVATIONS_LIMITS.mapValues,
      'Show maps of fewer images (opts.mapImages) or filters.',
    );
  }

  const seen = new Set<number>();
  const filters = rawFilters.map((raw, i) => {
    const path = `filters[${i}]`;
    const f = v.object(raw, path);
    const filter = v.int(f.filter, `${path}.filter`, 0, layer.filters - 1);
    if (seen.has(filter)) throw v.malformed(`${path}.filter: filter ${filter} is listed twice`);
    seen.add(filter);
    const top = v.array(f.top, `${path}.top`).map((rt, j): ActivationPatch => {
      const q = `${path}.top[${j}]`;
      const t = v.object(rt, q);
      const oy = v.int(t.oy, `${q}.oy`, 0, output.height - 1);
      const ox = v.int(t.ox, `${q}.ox`, 0, output.width - 1);
      const y = v.finite(t.y, `${q}.y`);
      const x = v.finite(t.x, `${q}.x`);
      if (y !== oy * layer.stride[0] - layer.padding[0][0] || x !== ox * layer.stride[1] - layer.padding[1][0]) {
        throw v.malformed(`${q}: the field's corner (${y}, ${x}) is not output (${oy}, ${ox}) · stride − padding`);
      }
      return {
        image: v.int(t.image, `${q}.image`, 0, images.count - 1),
        oy,
        ox,
        value: v.finite(t.value, `${q}.value`),
        y,
        x,
        data: v.numbers(t.data, `${q}.data`, patchValues),
      };
    });
    if (top.length === 0 || top.length > k) throw v.malformed(`${path}.top: expected 1 to k = ${k} patches, got ${top.length}`);
    top.forEach((t, j) => {
      if (j > 0 && t.value > top[j - 1].value)
        throw v.malformed(`${path}.top[${j}].value: expected largest first, but ${t.value} follows ${top[j - 1].value}`);
    });
    const maps = v
      .array(f.maps, `${path}.maps`, mapImages.length)
      .map((m, j) => v.numbers(m, `${path}.maps[${j}]`, output.height * output.width));
    return { filter, max: v.finite(f.max, `${path}.max`), mean: v.finite(f.mean, `${path}.mean`), top, maps };
  });
  return { version: ACTIVATIONS_VERSION, layer, images, output, field, patchChannels, k, mapImages, filters };
}
