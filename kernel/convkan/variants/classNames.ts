// The tfjs-layers className of every variant layer: the one place each is spelled. The family
// classes are named `${classStem}Conv2D` etc. from their descriptors (bases/<family>.ts).
import { BUILT_IN_FAMILIES, type NamedBasis } from '../bases/registry';

export const BASIS_CONV_KAN_2D = 'BasisConvKAN2D';
export const BASIS_CONV_KAN_1D = 'BasisConvKAN1D';
export const BASIS_KAN_LINEAR = 'BasisKANLinear';
export const BOTTLENECK_CONV_KAN_2D = 'BottleneckConvKAN2D';

/** The layer kinds every named family gets, and the suffix of their class names. */
export const FAMILY_LAYER_SUFFIX = { conv2d: 'Conv2D', conv1d: 'Conv1D', linear: 'Linear' } as const;
export type FamilyLayerKind = keyof typeof FAMILY_LAYER_SUFFIX;

/** Named families (torch-conv-kan's names), each fixing the `basis` of the generic layers. */
export const FAMILY_PREFIX = Object.fromEntries(
  BUILT_IN_FAMILIES.flatMap((f) => (f.classStem === undefined ? [] : [[f.name, f.classStem]])),
) as Readonly<Record<NamedBasis, string>>;
