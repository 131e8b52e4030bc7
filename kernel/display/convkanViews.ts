// The ConvKAN views of the `display` global: splines, patches, activations, timing, training, and timeIt.
import * as tf from '@tensorflow/tfjs';
import type { KANLayer } from '../convkan';
import {
  convkanInspect,
  filterActivationsApi,
  layerGeometryApi,
  type EdgeFunctionsOptions,
  type FilterActivationsOptions,
  type PatchConfig,
} from './convkanInspect';
import type { DisplayEmitter, DisplayHandle, DisplayOptions } from './displayApi';
import { inspectText } from './toMimeBundle';
import { timeIt, TimeItOptions, TimingInput, TimingOptions } from './timing';
import { createTrainingCallback, TrainingCallback, TrainingDisplayOptions } from './trainingCallback';
import { patchCropSide, patchesBundle } from './bundles/patchesBundle';
import { splinesBundle } from './bundles/splinesBundle';
import { timingBundle } from './bundles/timingBundle';
import { activationsBundle } from './bundles/activationsBundle';
import { SPLINES_LIMITS, type TimingEntry } from '../payloads';

export type SplinesDisplayOptions = EdgeFunctionsOptions & DisplayOptions;
export type PatchesDisplayOptions = DisplayOptions;
export type ActivationsDisplayOptions = FilterActivationsOptions & DisplayOptions;

export interface ConvkanDisplayApi {
  /**
   * The learned φ of a KAN layer (ConvKAN2D, KANLinear, the basis families; or a model's first one); opts.x adds input histograms and
   * data-weighted importance; handle.update(layer) redraws it.
   */
  splines(layer: tf.layers.Layer, opts?: SplinesDisplayOptions): DisplayHandle;
  /**
   * How a 2-D convolution (ConvKAN2D, the other ConvKAN layers, GroupedConv2D, tf conv2d) or a
   * {kernelSize, strides, dilation, padding, paddingMode} config unfolds an image, with the
   * layer's own stride, padding, dilation, mode and groups: HWC, or NHWC (sample 0); CHW / NCHW
   * for a channels-first layer.
   */
  patches(
    layer: tf.layers.Layer | PatchConfig,
    image: tf.Tensor | number[][][] | number[][][][],
    opts?: PatchesDisplayOptions,
  ): DisplayHandle;
  /**
   * Which input patches most activate each filter of a 2-D convolution (any ConvKAN layer,
   * GroupedConv2D, tf conv2d) over a batch of images (NHWC, NCHW for a channels-first layer):
   * the top-k receptive fields per filter with image index and location, and the activation maps
   * of the first images. opts: k (9), filters (the first ≤ 8), mapImages (≤ 4).
   */
  activations(layer: tf.layers.Layer, images: tf.Tensor, opts?: ActivationsDisplayOptions): DisplayHandle;
  /** A timing comparison from a TimingPayload, a list of {label, samples, …} or {label: samples}. */
  timing(input: TimingInput, opts?: TimingOptions & DisplayOptions): DisplayHandle;
  /** A model.fit callback that draws live loss/metric curves in one output. */
  training(opts?: TrainingDisplayOptions): TrainingCallback;
  /** Times fn (warm-up runs, then reps runs) and returns a TimingEntry for display.timing. */
  timeIt(fn: () => unknown, opts?: TimeItOptions): Promise<TimingEntry>;
}

const MAX_POINTS = SPLINES_LIMITS.sentSamples;

function isLayerLike(v: unknown): v is tf.layers.Layer {
  return v instanceof tf.layers.Layer;
}

function describeValue(v: unknown): string {
  return isLayerLike(v) ? `${v.getClassName()} "${v.name}"` : inspectText(v);
}

/** Every KAN layer of the library (B-spline, the other basis families, the bottleneck) samples its own φ. */
function isKanLayer(v: unknown): v is KANLayer {
  return isLayerLike(v) && typeof (v as { edgeFunctions?: unknown }).edgeFunctions === 'function';
}

const PATCHES_EXPECTED =
  'a ConvKAN2D, a 2-D convolution layer (any ConvKAN layer, GroupedConv2D, tf conv2d) or a {kernelSize, strides, dilation, ' +
  'padding, paddingMode} config';

/** A plain {kernelSize, …} config (not a layer), checked enough to unfold with. */
function patchConfig(v: unknown): PatchConfig {
  if (typeof v !== 'object' || v === null || (v as { kernelSize?: unknown }).kernelSize === undefined) {
    throw new TypeError(`display.patches expects ${PATCHES_EXPECTED}, but got ${describeValue(v)}.`);
  }
  return v as PatchConfig;
}

/** The layer itself, or the first KAN layer (B-spline or another basis family) of a model. */
function kanLayerOf(v: unknown): KANLayer {
  if (isKanLayer(v)) return v;
  if (v instanceof tf.LayersModel) {
    const first = v.layers.find(isKanLayer);
    if (first) return first;
  }
  throw new TypeError(
    `display.splines expects a ConvKAN2D or KANLinear layer (or a model that has one), but got ${describeValue(v)}. ` +
      `The other basis families' layers (KACNConv2D, FastKANLinear, …) work too.`,
  );
}

function splinesMaker(opts: SplinesDisplayOptions) {
  return (layerOrModel: unknown) => {
    const layer = kanLayerOf(layerOrModel);
    if (opts.points !== undefined && !(Number.isInteger(opts.points) && opts.points >= 2 && opts.points <= MAX_POINTS)) {
      throw new RangeError(`display.splines: points must be an integer in [2, ${MAX_POINTS}], but got ${opts.points}.`);
    }
    const { outChannels, inChannels, points, x } = opts;
    // tidy: whatever the sampler creates on the way is freed; it returns plain arrays.
    let samples!: ReturnType<KANLayer['edgeFunctions']>;
    tf.tidy(() => {
      samples = layer.edgeFunctions({ outChannels, inChannels, points, x });
    });
    return splinesBundle(samples);
  };
}

/** The image as one HWC sample, cropped so the patch matrix stays within the size limit. */
function imageSample(image: unknown, channelsFirst: boolean, channelsHint: (c: number) => number): { img: tf.Tensor3D; notes: string[] } {
  const t = image instanceof tf.Tensor ? image : tf.tensor(image as number[][][]);
  const layout = channelsFirst ? ['CHW', 'NCHW'] : ['HWC', 'NHWC'];
  try {
    if (t.rank !== 3 && t.rank !== 4) {
      throw new RangeError(
        `display.patches: image must be ${layout[0]} (rank 3) or ${layout[1]} (rank 4), but got shape [${t.shape.join(', ')}].`,
      );
    }
    const notes: string[] = [];
    let img = tf.tidy(() => {
      const one = t.rank === 4 ? t.slice([0, 0, 0, 0], [1, -1, -1, -1]).reshape(t.shape.slice(1)) : t.clone();
      // The library unfolds HWC images; a channels-first layer's images are CHW.
      return channelsFirst ? one.transpose([1, 2, 0]) : one;
    }) as tf.Tensor3D;
    if (t.rank === 4 && t.shape[0] > 1) notes.push(`sample 0 of a batch of ${t.shape[0]}`);
    const [h, w, c] = img.shape;
    const side = channelsHint(c);
    if (h > side || w > side) {
      const cropped = img.slice([0, 0, 0], [Math.min(h, side), Math.min(w, side), c]);
      img.dispose();
      img = cropped;
      notes.push(`image cropped from ${h}×${w} to its top-left ${img.shape[0]}×${img.shape[1]} to keep the patch matrix small`);
    }
    return { img, notes };
  } finally {
    if (t !== image) t.dispose();
  }
}

function kernelSizeOf(config: PatchConfig): [number, number] {
  const k = config.kernelSize;
  return typeof k === 'number' ? [k, k] : [Number(k[0]), Number(k[1])];
}

/**
 * A layer is unfolded with the geometry it really uses (inspect/layerGeometry asks the layer:
 * stride, per-side padding for this image size, dilation, padding mode, groups, data format).
 */
function patchesMaker(image: unknown) {
  return (layerOrConfig: unknown) => {
    const geo = layerGeometryApi();
    const layer = isLayerLike(layerOrConfig) ? layerOrConfig : undefined;
    if (layer && !geo.isConvLayer(layer))
      throw new TypeError(`display.patches expects ${PATCHES_EXPECTED}, but got ${describeValue(layer)}.`);
    const config = layer ? undefined : patchConfig(layerOrConfig);
    const k = layer ? geo.layerKernelSize(layer) : kernelSizeOf(config!);
    const channelsFirst = layer ? geo.layerChannelsFirst(layer) : false;
    const { img, notes } = imageSample(image, channelsFirst, (c) => patchCropSide(c, k));
    try {
      const [h, w, c] = img.shape;
      const target = layer ? geo.layerGeometry(layer, h, w, c) : config!;
      let unfolded!: ReturnType<ReturnType<typeof convkanInspect>['unfoldPatches']>;
      tf.tidy(() => {
        unfolded = convkanInspect().unfoldPatches(img, target);
      });
      const groups = 'groups' in target && target.groups > 1 ? target.groups : undefined;
      return patchesBundle(groups ? { ...unfolded, config: { ...unfolded.config, groups } } : unfolded, layer?.name, notes);
    } finally {
      img.dispose();
    }
  };
}

function activationsMaker(images: unknown, opts: FilterActivationsOptions) {
  return (layer: unknown) => {
    if (!isLayerLike(layer) || !layerGeometryApi().isConvLayer(layer)) {
      throw new TypeError(
        `display.activations expects a 2-D convolution layer (any ConvKAN layer, GroupedConv2D, tf conv2d), ` +
          `but got ${describeValue(layer)}.`,
      );
    }
    if (!(images instanceof tf.Tensor))
      throw new TypeError(`display.activations expects images as a rank-4 tensor, but got ${describeValue(images)}.`);
    const { k, filters, mapImages } = opts;
    let samples!: ReturnType<ReturnType<typeof filterActivationsApi>>;
    tf.tidy(() => {
      samples = filterActivationsApi()(layer, images, { k, filters, mapImages });
    });
    return activationsBundle(samples);
  };
}

export function createConvkanViews(emitter: DisplayEmitter): ConvkanDisplayApi {
  return {
    splines: (layer, opts = {}) => emitter.show(splinesMaker(opts), layer, opts),
    patches: (layer, image, opts = {}) => emitter.show(patchesMaker(image), layer, opts),
    activations: (layer, images, opts = {}) => emitter.show(activationsMaker(images, opts), layer, opts),
    timing: (input, opts = {}) => emitter.show((v) => timingBundle(v as TimingInput, opts), input, opts),
    training: (opts = {}) => createTrainingCallback(emitter, opts),
    timeIt: (fn, opts) => timeIt(fn as () => tf.TensorContainer, opts),
  };
}
