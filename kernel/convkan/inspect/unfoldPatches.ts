// What a convolution sees: an image, its padded version and the unfolded patches (torch unfold
// layout) as plain numbers, for the patches view. Uses the layer's own padding and unfold code.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, show } from '../conv/argumentError';
import {
  checkSpatialFits,
  geometryFor,
  resolveConvGeometry,
  type ConvGeometry,
  type ConvGeometryArgs,
  type PaddingMode,
  type Pair,
  type SidePadding,
} from '../conv/convGeometry';
import { extractPatches } from '../conv/extractPatches';
import { padInput } from '../conv/padInput';

/** The geometry arguments of a convolution (kernelSize, strides, dilation, padding, paddingMode). */
export type UnfoldConfig = ConvGeometryArgs<2>;

export interface PlainImage {
  height: number;
  width: number;
  channels: number;
  /** HWC row-major */
  data: number[];
}

export interface UnfoldedPatches {
  config: { kernelSize: Pair; stride: Pair; dilation: Pair; padding: SidePadding; paddingMode: PaddingMode };
  image: PlainImage;
  padded: PlainImage;
  output: { height: number; width: number };
  /** [C·kH·kW, H_out·W_out] row-major: row c·kH·kW + ky·kW + kx, column oy·W_out + ox (torch.nn.functional.unfold). */
  patches: { rows: number; cols: number; data: number[] };
}

const CONTEXT = 'unfoldPatches';

/**
 * config: a {kernelSize, …} config, or anything carrying a resolved geometry (a ConvKAN2D,
 * inspect/layerGeometry's result); 'same' with a stride > 1 is resolved for this image's size.
 */
export function unfoldPatches(image: tf.Tensor3D, config: UnfoldConfig | { geometry: ConvGeometry }): UnfoldedPatches {
  if (image.rank !== 3)
    throw new ConvKanArgumentError(CONTEXT, 'image', 'rank 3 [height, width, channels]', `rank ${image.rank} (shape ${show(image.shape)})`);
  const [h, w, c] = image.shape;
  const geometry = geometryFor('geometry' in config ? config.geometry : resolveGeometry(config), h, w);
  checkSpatialFits(h, w, geometry, CONTEXT);
  return tf.tidy(() => {
    const padded = padInput(tf.expandDims(image, 0) as tf.Tensor4D, geometry.padding, geometry.paddingMode); // [1, Hp, Wp, C]
    const patches = extractPatches(padded, geometry.kernelSize, geometry.strides, geometry.dilation); // [1, Ho, Wo, C·kH·kW]
    const [, ho, wo, f] = patches.shape;
    const rowsByCols = tf.transpose(tf.reshape(patches, [ho * wo, f])); // [C·kH·kW, Ho·Wo]
    return {
      config: {
        kernelSize: [...geometry.kernelSize] as Pair,
        stride: [...geometry.strides] as Pair,
        dilation: [...geometry.dilation] as Pair,
        padding: [[...geometry.padding[0]], [...geometry.padding[1]]] as SidePadding,
        paddingMode: geometry.paddingMode,
      },
      image: { height: h, width: w, channels: c, data: Array.from(image.dataSync()) },
      padded: { height: padded.shape[1], width: padded.shape[2], channels: c, data: Array.from(padded.dataSync()) },
      output: { height: ho, width: wo },
      patches: { rows: f, cols: ho * wo, data: Array.from(rowsByCols.dataSync()) },
    };
  });
}

function resolveGeometry(config: UnfoldConfig): ConvGeometry {
  return resolveConvGeometry(config, CONTEXT);
}
