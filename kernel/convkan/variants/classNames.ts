// The tfjs-layers className of every variant layer: the one place each is spelled.
export const BASIS_CONV_KAN_2D = 'BasisConvKAN2D';
export const BASIS_CONV_KAN_1D = 'BasisConvKAN1D';
export const BASIS_KAN_LINEAR = 'BasisKANLinear';
export const BOTTLENECK_CONV_KAN_2D = 'BottleneckConvKAN2D';

/** Named families (torch-conv-kan's names), each fixing the `basis` of the generic layers. */
export const FAMILY_PREFIX = {
  rbf: 'FastKAN',
  chebyshev: 'KACN',
  legendre: 'KALN',
  gram: 'KAGN',
  jacobi: 'KAJN',
  bernstein: 'KABN',
  mexicanHat: 'WavKANMexicanHat',
  morlet: 'WavKANMorlet',
  dog: 'WavKANDoG',
  reluKan: 'ReLUKAN',
} as const;
