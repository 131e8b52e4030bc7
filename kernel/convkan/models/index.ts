// Model builders: the CKAN family, torch-conv-kan-style stacks and hybrids.
export { kancMlp, kkan, convAndKan, cnnBaseline, MODEL_SIZES, type CkanOptions, type ModelSize } from './ckan';
export { convStack, simpleConvKan4, simpleConvKan8, hybridConvKan, type ConvStackOptions, type SimpleStackOptions } from './stacks';
export { convLayer, kanDenseLayer, type ConvKind, type KanConvSpec, type KanDenseSpec } from './kanLayers';
export { ChannelsToBatch, BatchToChannels, type BatchToChannelsArgs } from './channelwise';
export { describeModel, compileClassifier, type ModelReport } from './describe';
export { GroupedConv2D, type GroupedConv2DArgs } from './groupedConv2dLayer';
export { CHANNELS_TO_BATCH, BATCH_TO_CHANNELS, GROUPED_CONV_2D } from './classNames';
export { classificationReport, confusionMatrix, evaluateClassifier, type ClassificationReport } from './metrics';
