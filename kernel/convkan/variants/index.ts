// The basis families of ConvKAN: basis functions and their ConvKAN2D / ConvKAN1D / KANLinear /
// bottleneck layers.
export { BASIS_NAMES, POLYNOMIAL_BASES, WAVELET_BASES, resolveBasisOptions, type BasisName, type BasisOptions, type ResolvedBasisOptions, type WaveletName } from './basisOptions';
export { makeBasis, type Basis } from './basis';
export { chebyshevT, legendreP, gramP, jacobiP, bernsteinB } from './polynomials';
export { rbfBasis, waveletBasis, reluKanBasis, fixedBsplineBasis, motherWavelet } from './gridFunctions';
export { basisConv2d, silu } from './basisConv';
export { BasisConvKAN2D, type BasisConvKAN2DArgs } from './basisConvKan2d';
export { BasisConvKAN1D, type BasisConvKAN1DArgs } from './basisConvKan1d';
export { BasisKANLinear, type BasisKANLinearArgs } from './basisKanLinear';
export { BottleneckConvKAN2D, defaultBottleneckChannels, type BottleneckConvKAN2DArgs } from './bottleneckConvKan2d';
export type { BasisArgs } from './layerArgs';
export * from './families';
export { BASIS_CONV_KAN_2D, BASIS_CONV_KAN_1D, BASIS_KAN_LINEAR, BOTTLENECK_CONV_KAN_2D, FAMILY_PREFIX } from './classNames';
export { sampleBasisEdgeFunctions, type BasisEdgeFunctionSamples, type BasisEdgeFunction, type SampleBasisEdgeFunctionsOptions, type VariantLayer } from './edgeFunctions';
