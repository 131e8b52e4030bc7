// Data loaders: the only convkan code that reads files.
export { parseIdx, readIdxFile, encodeIdx, type IdxArray, type IdxDtype } from './idx';
export { toDataset, toTensors, subset, concatSets, type ImageSet, type DatasetOptions, type Batch, type Augmentation } from './imageSet';
export {
  loadMnistFormat,
  loadFashionMnist,
  loadMnist,
  FASHION_MNIST_CLASSES,
  MNIST_CLASSES,
  FASHION_MNIST_DEFAULT_DIR,
  FASHION_MNIST_DIR_ENV,
  MNIST_DIR_ENV,
  type Split,
} from './mnist';
export {
  loadCifar10,
  parseCifar10Batch,
  encodeCifar10Batch,
  hasCifar10,
  cifar10Dir,
  CIFAR10_CLASSES,
  CIFAR10_DIR_ENV,
  CIFAR10_TRAIN_FILES,
  CIFAR10_TEST_FILES,
  CIFAR10_MEAN,
  CIFAR10_STD,
} from './cifar10';
export { randomCrop, randomHorizontalFlip, augmentBatch } from './augment';
export { seededRng, permutation, type Rng } from './random';
export { syntheticCifar10Set, writeSyntheticCifar10, type SyntheticCifar10Options } from './syntheticCifar10';
