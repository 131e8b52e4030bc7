// The ConvKAN library's public API. Imports only @tensorflow/* (never the rest of the kernel,
// VS Code or ZeroMQ), so it can move to its own package unchanged.
export { ConvKAN2D, convKan2d, FORWARD_PATHS, type ConvKAN2DArgs, type DataFormat, type ForwardPath } from './layers/convKan2d';
export { KANLinear, kanLinear, type KANLinearArgs, type GridRefitMode, type UpdateGridOptions } from './layers/kanLinear';
export { KANLayer, type EdgeFunctionsOptions, type KanEdgeFunctions } from './layers/kanLayer';
export { KANConv, type KANConvArgs } from './layers/kanConvBase';
export { CONV_KAN_2D_CLASS_NAME, KAN_LINEAR_CLASS_NAME } from './layers/classNames';
export type { KanBasisArgs } from './layers/kanArgs';
export { ConvKanArgumentError } from './conv/argumentError';
export { UnknownArgumentError, ARG_ALIASES, type ConvAliasArgs } from './layers/argNames';
export { ACTIVATIONS, type ActivationName, type OutputArgs, type WeightArgs } from './layers/outputArgs';
export {
  PADDING_MODES,
  resolvePadding,
  samePadding,
  geometryFor,
  type ConvGeometry,
  type PaddingArg,
  type PaddingMode,
  type Pair,
  type SidePadding,
} from './conv/convGeometry';
export { padInput } from './conv/padInput';
export { extractPatches, extractPatchesHost, type PatchOrder } from './conv/extractPatches';
export { uniformKnots, adaptiveKnots } from './bases/knots';
export { bsplineValues, bsplineMatrix } from './bases/bsplineValues';
export { lstsq } from './linalg/lstsq';
export { matMulFastGrad } from './linalg/matMulFastGrad';
export { lstsqBatched, type LstsqOptions, type LstsqResult } from './linalg/householderLstsq';
export { sampleEdgeFunctions, type EdgeFunction, type EdgeFunctionSamples, type SampleEdgeFunctionsOptions } from './inspect/edgeFunctions';
export { unfoldPatches, type UnfoldConfig, type UnfoldedPatches } from './inspect/unfoldPatches';
export {
  isConvLayer,
  layerChannelsFirst,
  layerGeometry,
  layerKernelSize,
  tfSamePadding,
  type LayerGeometry,
} from './inspect/layerGeometry';
export { filterActivations, type FilterActivations, type FilterActivationsOptions, type TopPatch } from './inspect/filterActivations';
export { sampleVariantEdgeFunctions, type VariantEdgeFunctionSamples } from './inspect/variantEdgeFunctions';
export {
  loadTorchParameters,
  toTorchLayout,
  torchShapes,
  TORCH_PARAMETER_NAMES,
  type PlainTensor,
  type TorchKanParameters,
  type TorchParameterName,
} from './io/torchParameters';
export { edgeWeightsFromTorch, edgeWeightsToTorch, gridFromTorch, gridToTorch, type KanDims } from './layers/weightLayout';
export { fileSystemHandler } from './io/fileSystemHandler';
export { loadTorchStateDict, saveTorchStateDict, type TorchStateDictOptions } from './io/torchStateDict';
export { parseSafetensors, serializeSafetensors, type NamedTensor, type SafetensorsFile } from './io/safetensors';
export { groupedConv2d } from './ops/groupedConv2d';
export { bsplineBasis } from './ops/bsplineBasis';
export { initBackend, describeBackend, type BackendInfo } from './backend/initBackend';
export {
  BACKENDS,
  BACKEND_CHOICES,
  BACKEND_ENV,
  isBackendChoice,
  describeBackendChoice,
  type BackendChoice,
  type BackendId,
} from './backend/backendChoices';
export { seed, unseed, currentSeed, seedFromEnv, SEED_ENV } from './repro/globalSeed';
export { runEnvironment, type RunEnvironment } from './repro/runEnvironment';
// The other basis families, model builders and data loaders.
export * from './variants';
export * from './models';
export * from './data';
