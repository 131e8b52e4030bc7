// The one place where every MIME type the kernel emits, and the payload schema of each ConvKAN
// view, is defined. Imported by kernel/display (producer) and renderers/ (consumer); it must
// stay free of imports so that the browser bundles can include it as is.
// Schemas are documented for users in docs/mime-types.md; bump *_VERSION on breaking changes.

export const MIME_TEXT = 'text/plain';
export const MIME_HTML = 'text/html';
export const MIME_MARKDOWN = 'text/markdown';
export const MIME_SVG = 'image/svg+xml';
export const MIME_PNG = 'image/png';
export const MIME_JSON = 'application/json';
export const MIME_PLOTLY = 'application/vnd.plotly.v1+json';

export const MIME_SPLINES = 'application/vnd.convkan.splines+json';
export const MIME_PATCHES = 'application/vnd.convkan.patches+json';
export const MIME_TIMING = 'application/vnd.convkan.timing+json';
export const MIME_TRAINING = 'application/vnd.convkan.training+json';
export const MIME_ACTIVATIONS = 'application/vnd.convkan.activations+json';

/** Every ConvKAN view, in the order renderers are registered. */
export const CONVKAN_MIME_TYPES = [MIME_SPLINES, MIME_PATCHES, MIME_TIMING, MIME_TRAINING, MIME_ACTIVATIONS] as const;

/** Schema version written in every ConvKAN payload's `version` field. */
export const CONVKAN_SCHEMA_VERSION = 1;

/** A Jupyter MIME bundle: data keyed by MIME type, plus metadata. */
export interface MimeBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** One learned edge function φ of a layer: input channel `in` at kernel position (ky, kx) → output channel `out`. */
export interface SplineFunction {
  out: number;
  in: number;
  ky: number;
  kx: number;
  /** base branch w_b·silu(x), sampled at SplinesPayload.x */
  base: number[];
  /** spline branch s·Σ c_j B_j(x), sampled at SplinesPayload.x */
  spline: number[];
  /**
   * How much this edge matters; renderers shade by it, as pykan does. SplinesPayload.importanceFrom
   * says how: 'grid' (default) mean |φ| over the sample points; 'inputs' pykan's data-weighted
   * score std(φ(x)) / (std(x) + 0.1) over the inputs the edge saw.
   */
  importance: number;
}

export interface SplinesPayload {
  version: 1;
  layer: {
    name: string;
    className: string;
    basis: string;
    inChannels: number;
    outChannels: number;
    kernelSize: [number, number];
    groups: number;
    gridRange: [number, number];
    gridSize?: number;
    splineOrder?: number;
  };
  /** Output and input channels included in `functions` (a subset of a large layer). */
  outChannels: number[];
  inChannels: number[];
  /** Shared sample points of every curve. */
  x: number[];
  /** Grid knots of the B-spline basis (absent for bases without knots); per input channel when they differ. */
  knots?: number[];
  /**
   * Knots per input channel when they differ (after a grid update). ConvKAN2D's grid is per
   * (input channel, kernel position): then ky and kx say which position the knots belong to.
   */
  knotsPerInput?: Array<{ in: number; ky?: number; kx?: number; knots: number[] }>;
  functions: SplineFunction[];
  /** Histogram of the inputs the layer saw, per input channel, when the user passed data. */
  inputHistograms?: Array<{ in: number; edges: number[]; counts: number[] }>;
  /** What `importance` measures (see SplineFunction.importance); absent means 'grid'. */
  importanceFrom?: SplinesImportance;
}

export const SPLINES_IMPORTANCE = ['grid', 'inputs'] as const;
export type SplinesImportance = (typeof SPLINES_IMPORTANCE)[number];

export interface PatchesPayload {
  version: 1;
  layerName?: string;
  config: {
    kernelSize: [number, number];
    stride: [number, number];
    dilation: [number, number];
    /** [[top, bottom], [left, right]] */
    padding: [[number, number], [number, number]];
    paddingMode: PaddingMode;
    /** Channel groups of the layer when > 1: each filter sees only its group's C/groups channels (rows). */
    groups?: number;
  };
  /** The input image (one sample), HWC row-major. */
  image: { height: number; width: number; channels: number; data: number[] };
  /** The same image after padding with the layer's mode, HWC row-major. */
  padded: { height: number; width: number; channels: number; data: number[] };
  output: { height: number; width: number };
  /**
   * The unfolded patch matrix, as torch.nn.functional.unfold lays it out: rows = C·kH·kW
   * (channel, then kernel row, then kernel column), cols = output positions (oh·W_out + ow).
   * Row-major data of length rows·cols.
   */
  patches: { rows: number; cols: number; data: number[] };
}

export interface TimingEntry {
  /** What was timed, e.g. "ConvKAN2D", "conv2d", "conv2d floor". */
  label: string;
  /** Layer kind used for grouping, e.g. "bspline", "conv2d". */
  kind: string;
  /** Human-readable shape, e.g. "3→32 @32×32". */
  shape: string;
  backend: string;
  phase: 'forward' | 'forward+backward';
  /** Per-run samples, ms. */
  samples: number[];
  median: number;
  min: number;
  max: number;
  /** 10th / 90th percentile of the samples (benchmarks' spread; optional for older payloads). */
  p10?: number;
  p90?: number;
  /** median / median of the baseline entry with the same shape, backend and phase */
  ratio?: number;
}

export interface TimingPayload {
  version: 1;
  title?: string;
  unit: 'ms';
  /** Label of the baseline entry within each (shape, backend, phase) group. */
  baseline?: string;
  entries: TimingEntry[];
  meta?: Record<string, string | number>;
  /** Where the samples were taken: the same record an executed notebook's metadata holds. */
  environment?: TimingEnvironment;
}

/** Backend, threads, versions and seed of a run (kernel/convkan/repro/runEnvironment.ts). */
export interface TimingEnvironment {
  backend: string;
  threads: number;
  tfjs: string;
  convkan: string;
  node: string;
  seed: number | null;
}

export interface TrainingPoint {
  /** epoch number, or step number for per-batch points */
  step: number;
  logs: Record<string, number>;
}

export interface TrainingPayload {
  version: 1;
  title?: string;
  /** Names of the series, e.g. ["loss", "acc", "val_loss"]. */
  metrics: string[];
  /** 'epoch' or 'batch': what `step` counts. */
  stepUnit: 'epoch' | 'batch';
  points: TrainingPoint[];
  status: 'running' | 'done' | 'stopped' | 'error';
  totalSteps?: number;
}

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
  version: 1;
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
    padding: [[number, number], [number, number]];
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

export type ConvkanPayload = SplinesPayload | PatchesPayload | TimingPayload | TrainingPayload | ActivationsPayload;
