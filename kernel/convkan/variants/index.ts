// The basis families of ConvKAN: basis functions and their ConvKAN2D / ConvKAN1D / KANLinear /
// bottleneck layers.
export {
  BASIS_NAMES,
  POLYNOMIAL_BASES,
  WAVELET_BASES,
  BASIS_SETTINGS,
  resolveBasisOptions,
  type BasisName,
  type BasisOptions,
  type ResolvedBasisOptions,
  type BasisSetting,
  type WaveletName,
} from './basisOptions';
export { BUILT_IN_FAMILIES, basisFamilies, basisFamily, registerBasisFamily, type NamedBasis } from '../bases/registry';
export { defineFamily, type BasisFamily } from '../bases/basisFamily';
export { makeBasis, type Basis } from './basis';
export { chebyshevT } from '../bases/chebyshev';
export { legendreP } from '../bases/legendre';
export { gramP } from '../bases/gram';
export { jacobiP } from '../bases/jacobi';
export { bernsteinB } from '../bases/bernstein';
export { rbfBasis } from '../bases/rbf';
export { waveletBasis, motherWavelet } from '../bases/wavelets';
export { reluKanBasis } from '../bases/reluKan';
export { fixedBsplineBasis } from '../bases/bspline';
export { basisConv2d } from './basisConv';
export { silu } from '../layers/kanMath';
export { BasisConvKAN2D, type BasisConvKAN2DArgs } from './basisConvKan2d';
export { BasisConvKAN1D, type BasisConvKAN1DArgs } from './basisConvKan1d';
export { BasisKANLinear, type BasisKANLinearArgs } from './basisKanLinear';
export { BottleneckConvKAN2D, defaultBottleneckChannels, type BottleneckConvKAN2DArgs } from './bottleneckConvKan2d';
export type { BasisArgs } from './layerArgs';
export * from './families';
export {
  BASIS_CONV_KAN_2D,
  BASIS_CONV_KAN_1D,
  BASIS_KAN_LINEAR,
  BOTTLENECK_CONV_KAN_2D,
  FAMILY_PREFIX,
  FAMILY_LAYER_SUFFIX,
  type FamilyLayerKind,
} from './classNames';
export {
  sampleBasisEdgeFunctions,
  type BasisEdgeFunctionSamples,
  type BasisEdgeFunction,
  type SampleBasisEdgeFunctionsOptions,
  type VariantLayer,
} from './edgeFunctions';
