// Validates a filter-activations payload (ActivationsPayload in kernel/display/mimeTypes.ts)
// before anything is drawn: sizes must agree with the convolution arithmetic, so a patch's place
// in its image and a map's markers can be trusted.
import type { ActivationPatch, ActivationsPayload, PaddingMode } from '../../kernel/display/mimeTypes';
import { malformed, tooLarge } from '../shared/payloadError';
import * as v from '../shared/validate';


export const ACTIVATION_LIMITS = {
  filters: 64,
  k: 32,
  /** Activation map values over all filters and images. */
  mapValues: 2_000_000,
  /** Values of one patch (field height · width · channels). */
  patchValues: 4096,
};

const PADDING_MODES: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

export function parseActivations(json: unknown): ActivationsPayload {
  const p = v.object(json, 'payload');
  v.version(p);
  const L = v.object(p.layer, 'layer');
  const padArr = v.array(L.padding, 'layer.padding', 2);
  const layer: ActivationsPayload['layer'] = {
    name: v.string(L.name, 'layer.name'),
    className: v.string(L.className, 'layer.className'),
    filters: v.int(L.filters, 'layer.filters', 1),
    inChannels: v.int(L.inChannels, 'layer.inChannels', 1),
    kernelSize: v.pair(L.kernelSize, 'layer.kernelSize', 1),
    stride: v.pair(L.stride, 'layer.stride', 1),
    dilation: v.pair(L.dilation, 'layer.dilation', 1),
    padding: [v.pair(padArr[0], 'layer.padding[0]'), v.pair(padArr[1], 'layer.padding[1]')],
    paddingMode: v.oneOf(L.paddingMode, 'layer.paddingMode', PADDING_MODES),
    groups: v.int(L.groups, 'layer.groups', 1),
  };
  const I = v.object(p.images, 'images');
  const images = { count: v.int(I.count, 'images.count', 1), height: v.int(I.height, 'images.height', 1), width: v.int(I.width, 'images.width', 1), channels: v.int(I.channels, 'images.channels', 1) };
  const O = v.object(p.output, 'output');
  const output = { height: v.int(O.height, 'output.height', 1), width: v.int(O.width, 'output.width', 1) };
  const F = v.object(p.field, 'field');
  const field = { height: v.int(F.height, 'field.height', 1), width: v.int(F.width, 'field.width', 1) };
  for (const [i, side] of [[0, 'height'], [1, 'width']] as const) {
    const want = layer.dilation[i] * (layer.kernelSize[i] - 1) + 1;
    if (field[side] !== want) throw malformed(`field.${side}: expected dilation·(k − 1) + 1 = ${want}, got ${field[side]}`);
    const size = images[side] + layer.padding[i][0] + layer.padding[i][1];
    const out = Math.floor((size - want) / layer.stride[i]) + 1;
    if (output[side] !== out) throw malformed(`output.${side}: expected ${out} from the image size, padding, field and stride, got ${output[side]}`);
  }
  const patchChannels = v.array(p.patchChannels, 'patchChannels').map((c, i) => v.int(c, `patchChannels[${i}]`, 0, images.channels - 1));
  if (patchChannels.length === 0) throw malformed('patchChannels: expected at least one channel, got an empty array');
  const patchValues = field.height * field.width * patchChannels.length;
  if (patchValues > ACTIVATION_LIMITS.patchValues) throw tooLarge('One patch', patchValues, ACTIVATION_LIMITS.patchValues, 'Send fewer channels per patch.');
  const k = v.int(p.k, 'k', 1, ACTIVATION_LIMITS.k);
  const mapImages = v.array(p.mapImages, 'mapImages').map((m, i) => v.int(m, `mapImages[${i}]`, 0, images.count - 1));
  const rawFilters = v.array(p.filters, 'filters');
  if (rawFilters.length === 0) throw malformed('filters: expected at least one filter, got an empty array');
  if (rawFilters.length > ACTIVATION_LIMITS.filters) throw tooLarge('The number of filters', rawFilters.length, ACTIVATION_LIMITS.filters, 'Pick fewer filters (opts.filters).');
  const mapValues = rawFilters.length * mapImages.length * output.height * output.width;
  if (mapValues > ACTIVATION_LIMITS.mapValues) throw tooLarge('The activation maps', mapValues, ACTIVATION_LIMITS.mapValues, 'Show maps of fewer images (opts.mapImages) or filters.');

  const seen = new Set<number>();
  const filters = rawFilters.map((raw, i) => {
    const path = `filters[${i}]`;
    const f = v.object(raw, path);
    const filter = v.int(f.filter, `${path}.filter`, 0, layer.filters - 1);
    if (seen.has(filter)) throw malformed(`${path}.filter: filter ${filter} is listed twice`);
    seen.add(filter);
    const top = v.array(f.top, `${path}.top`).map((rt, j): ActivationPatch => {
      const q = `${path}.top[${j}]`;
      const t = v.object(rt, q);
      const oy = v.int(t.oy, `${q}.oy`, 0, output.height - 1);
      const ox = v.int(t.ox, `${q}.ox`, 0, output.width - 1);
      const y = v.finite(t.y, `${q}.y`);
      const x = v.finite(t.x, `${q}.x`);
      if (y !== oy * layer.stride[0] - layer.padding[0][0] || x !== ox * layer.stride[1] - layer.padding[1][0]) {
        throw malformed(`${q}: the field's corner (${y}, ${x}) is not output (${oy}, ${ox}) · stride − padding`);
      }
      return { image: v.int(t.image, `${q}.image`, 0, images.count - 1), oy, ox, value: v.finite(t.value, `${q}.value`), y, x, data: v.numbers(t.data, `${q}.data`, patchValues) };
    });
    if (top.length === 0 || top.length > k) throw malformed(`${path}.top: expected 1 to k = ${k} patches, got ${top.length}`);
    top.forEach((t, j) => {
      if (j > 0 && t.value > top[j - 1].value) throw malformed(`${path}.top[${j}].value: expected largest first, but ${t.value} follows ${top[j - 1].value}`);
    });
    const maps = v.array(f.maps, `${path}.maps`, mapImages.length).map((m, j) => v.numbers(m, `${path}.maps[${j}]`, output.height * output.width));
    return { filter, max: v.finite(f.max, `${path}.max`), mean: v.finite(f.mean, `${path}.mean`), top, maps };
  });
  return { version: 1, layer, images, output, field, patchChannels, k, mapImages, filters };
}
