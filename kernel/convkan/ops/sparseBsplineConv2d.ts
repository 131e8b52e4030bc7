// ConvKAN's expanded-basis convolution on wasm using the cubic B-spline's local support: a value
// meets only 4 of its nb = gridSize + 3 bases, so of the 1 + nb filter rows of each (tap, input
// channel) the kernel reads 5 (SiLU's and 4 spline rows), not all 9 (grid 5) that the dense
// convolution over [silu, B_0 … B_{nb−1}] multiplies, mostly by zero. Same function as
// groupedConv2d(bsplineBasis(x, withSilu), filter): only the order of the float32 sums differs.
// Why: tfjs-wasm's XNNPACK convolution was most of ConvKAN2D's time (README, Benchmarks).
// Gradients: those of the dense form, over the basis recomputed in the backward pass (cheap).
import * as tf from '@tensorflow/tfjs';
import { convOutSize, type Pair, type SidePadding } from '../conv/convGeometry';
import { basisBorderImage } from './basisBorder';
import { BSPLINE_BASIS_GRAD_KERNEL, registerBsplineKernels, type BsplineAttrs } from './bsplineKernels';
import { bsplineBasis } from './bsplineBasis';
import { evenlySpacedRows } from './bsplineMath';
import { conv2dFilterGrad, conv2dInputGrad } from './conv2dGrads';
import { basisWasm, heapPointer, type WasmBackendLike } from './wasm/basisWasm';
import { MIN_BASIS_VALUES_PER_THREAD, MIN_MACS_PER_THREAD, parallelFor } from './wasm/wasmThreadPool';
import { kernelSwitch } from './kernelSwitch';

export const SPARSE_BSPLINE_CONV_KERNEL = 'ConvKanSparseBSplineConv2D';
/** float32 lanes per value of bspline3Coefs' output (32 bytes). */
const COEF_LANES = 8;

/** Output channels per register block of the kernel. */
const OUT_BLOCK = 8;

export interface SparseBsplineConvOptions {
  strides: Pair;
  dilations: Pair;
  groups: number;
  /** Zeros around x, [[top, bottom], [left, right]] (default none); x = 0 there, so the basis is e0. */
  padding?: SidePadding;
}

interface SparseAttrs {
  strides: Pair;
  dilations: Pair;
  groups: number;
  padding: SidePadding;
  [key: string]: Pair | number | SidePadding;
}

const NO_PADDING: SidePadding = [
  [0, 0],
  [0, 0],
];

const kernel = kernelSwitch();

/** Runs fn with the sparse path switched on or off (benchmarks and tests compare both in one process). */
export function withSparseBsplineConv<T>(on: boolean, fn: () => T): T {
  return kernel.with(on, fn);
}

let kernelCalls = 0;

/** How many times the wasm kernel has run in this process (tests check that a path really used it). */
export function sparseBsplineConvCalls(): number {
  return kernelCalls;
}

/** Whether sparseBsplineConv2d covers this layer call: the wasm backend and cubic splines on evenly spaced knots. */
export function sparseBsplineConvApplies(knots: tf.Tensor2D, order: number): boolean {
  if (!kernel.on || tf.getBackend() !== 'wasm' || order !== 3) return false;
  const [features, perFeature] = knots.shape;
  return evenlySpacedRows(knots.dataSync() as Float32Array, features, perFeature).every(Boolean);
}

const wasmSparseConv: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, knots, filter } = inputs as { x: tf.TensorInfo; knots: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, dilations, groups, padding } = attrs as unknown as SparseAttrs;
  const b = backend as unknown as WasmBackendLike & { disposeData(id: tf.DataId): boolean };
  const [N, H, W, Cin] = x.shape as number[];
  const [[top, bottom], [left, right]] = padding;
  const Hp = H! + top + bottom;
  const Wp = W! + left + right;
  const [kh, kw, , Cout] = filter.shape as number[];
  const K = knots.shape[1] as number;
  const OH = convOutSize(Hp, kh!, strides[0], dilations[0]);
  const OW = convOutSize(Wp, kw!, strides[1], dilations[1]);
  const values = N! * Hp * Wp * Cin!;
  const coef = b.makeOutput([values * COEF_LANES], 'float32');
  const packed = b.makeOutput([filter.shape.reduce((a, c) => a * c, 1)], 'float32');
  const out = b.makeOutput([N!, OH, OW, Cout!], 'float32');
  kernelCalls++;
  let ok = false;
  try {
    // pointers only after every makeOutput: allocating may grow the heap
    const k = basisWasm(b);
    const pc = heapPointer(b, coef);
    const pp = heapPointer(b, packed);
    const filterRows = filter.shape.slice(0, 3).reduce((a, c) => a * c, 1);
    const block = (Cout! / groups) % 16 === 0 ? 16 : 8;
    k.packSparseFilter(heapPointer(b, filter), pp, filterRows, Cout!, block);
    // both over all wasm threads: the coefficients by padded row, the convolution by (output block, output row)
    const coefArgs = [heapPointer(b, x), N!, H!, W!, Cin!, top, left, Hp, Wp, K, heapPointer(b, knots), pc];
    parallelFor(b, 'bspline3Coefs', coefArgs, N! * Hp, Math.ceil(MIN_BASIS_VALUES_PER_THREAD / (Wp * Cin!)));
    const geometry = [Hp, Wp, Cin!, OH, OW, Cout!, kh!, kw!, strides[0], strides[1], dilations[0], dilations[1]];
    const macsPerUnit = OW * kh! * kw! * (Cin! / groups) * 5 * block;
    const convArgs = [pc, pp, heapPointer(b, out), ...geometry, groups, K - 4, block, N! * OH];
    parallelFor(b, 'sparseKanConv2d', convArgs, N! * OH * (Cout! / block), Math.ceil(MIN_MACS_PER_THREAD / macsPerUnit));
    ok = true;
  } finally {
    b.disposeData(coef.dataId);
    b.disposeData(packed.dataId);
    if (!ok) b.disposeData(out.dataId);
  }
  return out;
};

let registered = false;

function register(): void {
  if (registered) return;
  if (!tf.getKernel(SPARSE_BSPLINE_CONV_KERNEL, 'wasm'))
    tf.registerKernel({ kernelName: SPARSE_BSPLINE_CONV_KERNEL, backendName: 'wasm', kernelFunc: wasmSparseConv });
  registered = true;
}

/** Per-group pieces of a channels-last tensor (the tensor itself when groups = 1). */
function byGroup(t: tf.Tensor4D, groups: number): tf.Tensor4D[] {
  return groups === 1 ? [t] : (tf.split(t, groups, 3) as tf.Tensor4D[]);
}

function joinGroups(parts: tf.Tensor4D[]): tf.Tensor4D {
  return parts.length === 1 ? (parts[0] as tf.Tensor4D) : (tf.concat(parts, 3) as tf.Tensor4D);
}

/**
 * y = groupedConv2d(bsplineBasis(zero-pad(x, padding), knots, 3, withSilu), filter, 'valid'):
 * x [N, H, W, Cin], knots [Cin, K] (evenly spaced, else refused: sparseBsplineConvApplies says so first),
 * filter [kH, kW, Cin/G · (1 + nb), Cout] with rows (SiLU, B_0 … B_{nb−1}) per input channel.
 * Differentiable with respect to x and the filter. Cout/G that is not a multiple of 8 runs with
 * zero columns added to each group's filter, cut from the output again.
 */
export function sparseBsplineConv2d(x: tf.Tensor4D, knots: tf.Tensor2D, filter: tf.Tensor4D, opts: SparseBsplineConvOptions): tf.Tensor4D {
  checkSparseArgs(x, knots, filter, opts);
  const { groups } = opts;
  const cout = filter.shape[3];
  const perGroup = cout / groups;
  const extra = (OUT_BLOCK - (perGroup % OUT_BLOCK)) % OUT_BLOCK;
  if (extra === 0) return sparseConvBlocked(x, knots, filter, opts);
  return tf.tidy(() => {
    const [kh, kw, rows] = filter.shape;
    const wide = perGroup + extra;
    const f5 = tf.reshape(filter, [kh, kw, rows, groups, perGroup]);
    const padded = tf.reshape(
      tf.pad(f5, [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
        [0, extra],
      ]),
      [kh, kw, rows, groups * wide],
    ) as tf.Tensor4D;
    const y = sparseConvBlocked(x, knots, padded, opts); // [N, OH, OW, G·wide]
    const [n, oh, ow] = y.shape;
    const y5 = tf.reshape(y, [n, oh, ow, groups, wide]);
    return tf.reshape(tf.slice(y5, [0, 0, 0, 0, 0], [n, oh, ow, groups, perGroup]), [n, oh, ow, cout]) as tf.Tensor4D;
  });
}

function checkSparseArgs(x: tf.Tensor4D, knots: tf.Tensor2D, filter: tf.Tensor4D, opts: SparseBsplineConvOptions): void {
  const { groups, strides, dilations } = opts;
  const [[top, bottom], [left, right]] = opts.padding ?? NO_PADDING;
  const [features, perFeature] = knots.shape;
  const nb = perFeature - 4;
  const [, h, w, cin] = x.shape;
  const [kh, kw, rows, cout] = filter.shape;
  const fail = (expected: string) => {
    throw new Error(
      `Error in ${SPARSE_BSPLINE_CONV_KERNEL}: x [${x.shape}], knots [${knots.shape}], filter [${filter.shape}], groups ${groups}, ` +
        `padding [[${top}, ${bottom}], [${left}, ${right}]]: expected ${expected}, but it is not.`,
    );
  };
  if (!Number.isInteger(groups) || groups < 1 || cin % groups !== 0 || cout % groups !== 0)
    fail('groups a positive integer dividing Cin and Cout');
  if (features !== cin || nb < 4) fail('knots [Cin, nb + 4] with nb ≥ 4 (cubic splines on a grid of at least 1 interval)');
  if (rows !== (cin / groups) * (1 + nb)) fail('filter [kH, kW, Cin/groups·(1 + nb), Cout]');
  if (convOutSize(h + top + bottom, kh, strides[0], dilations[0]) < 1 || convOutSize(w + left + right, kw, strides[1], dilations[1]) < 1)
    fail('the dilated kernel to fit in the padded input');
  if (!evenlySpacedRows(knots.dataSync() as Float32Array, features, perFeature).every(Boolean))
    fail('evenly spaced knots (the wasm kernel finds the interval from the spacing)');
}

/** sparseBsplineConv2d for Cout/G a multiple of 8 (the kernel's block). */
function sparseConvBlocked(x: tf.Tensor4D, knots: tf.Tensor2D, filter: tf.Tensor4D, opts: SparseBsplineConvOptions): tf.Tensor4D {
  const { strides, dilations, groups } = opts;
  const padding = opts.padding ?? NO_PADDING;
  register();
  registerBsplineKernels();
  const attrs: SparseAttrs = { strides, dilations, groups, padding };
  const run = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, fIn, kIn, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor2D, tf.GradSaveFunc];
    save([xIn, fIn, kIn]);
    const value = tf
      .engine()
      .runKernel(SPARSE_BSPLINE_CONV_KERNEL, { x: xIn, knots: kIn, filter: fIn }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
    // The gradients of the dense form (ConvKAN2D's dense path): the basis of x (recomputed, cheap),
    // its convolution's two gradients with the zero padding inside, and the border image's share
    // of the filter gradient (its input gradient is not x's).
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, fs, ks] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor2D];
      const expanded = bsplineBasis(xs, ks, 3, { withSilu: true }) as tf.Tensor4D;
      const es = byGroup(expanded, groups);
      const dys = byGroup(dy as tf.Tensor4D, groups);
      const fss = byGroup(fs, groups);
      const dE = joinGroups(es.map((e, g) => conv2dInputGrad(dys[g]!, fss[g]!, e.shape, strides, dilations, padding)));
      let dF = joinGroups(es.map((e, g) => conv2dFilterGrad(e, dys[g]!, fss[g]!.shape, strides, dilations, padding)));
      const [[t, b], [l, r]] = padding;
      if (t + b + l + r > 0) {
        const border = byGroup(basisBorderImage(ks, 3, [xs.shape[1], xs.shape[2]], padding), groups);
        const dySum = byGroup(tf.sum(dy, 0, true) as tf.Tensor4D, groups);
        dF = tf.add(dF, joinGroups(border.map((e, g) => conv2dFilterGrad(e, dySum[g]!, fss[g]!.shape, strides, dilations))));
      }
      const basisAttrs: BsplineAttrs = { order: 3, withSilu: true };
      const dx = tf.engine().runKernel(BSPLINE_BASIS_GRAD_KERNEL, { dy: dE, x: xs, knots: ks }, basisAttrs as unknown as tf.NamedAttrMap);
      return [dx as tf.Tensor, dF, tf.zerosLike(ks)]; // the knots are not trained
    };
    return { value, gradFunc };
  });
  return run(x, filter, knots) as tf.Tensor4D;
}
