// The named layer families (torch-conv-kan's names): each is the generic layer with its `basis`
// fixed, under its own className, so that saved models say which family they hold.
import * as tf from '@tensorflow/tfjs';
import { BasisConvKAN2D, type BasisConvKAN2DArgs } from './basisConvKan2d';
import { BasisConvKAN1D, type BasisConvKAN1DArgs } from './basisConvKan1d';
import { BasisKANLinear, type BasisKANLinearArgs } from './basisKanLinear';
import { FAMILY_PREFIX } from './classNames';
import type { BasisName } from './basisOptions';

type FamilyBasis = keyof typeof FAMILY_PREFIX;

/** A subclass of `Base` whose basis is always `basis`, registered as `className`. */
function family<A extends { basis: BasisName }, L extends tf.layers.Layer>(
  Base: new (args: A) => L, className: string, basis: FamilyBasis,
): { new (args: Omit<A, 'basis'> & { basis?: BasisName }): L; className: string } {
  const Family = class extends (Base as unknown as new (args: A) => tf.layers.Layer) {
    static className = className;
    constructor(args: Omit<A, 'basis'> & { basis?: BasisName }) {
      // a saved config carries `basis` too; the family's own basis wins
      super({ ...args, basis } as A);
    }
  };
  tf.serialization.registerClass(Family as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
  return Family as unknown as { new (args: Omit<A, 'basis'> & { basis?: BasisName }): L; className: string };
}

const conv2d = (b: FamilyBasis) => family<BasisConvKAN2DArgs, BasisConvKAN2D>(BasisConvKAN2D, `${FAMILY_PREFIX[b]}Conv2D`, b);
const conv1d = (b: FamilyBasis) => family<BasisConvKAN1DArgs, BasisConvKAN1D>(BasisConvKAN1D, `${FAMILY_PREFIX[b]}Conv1D`, b);
const linear = (b: FamilyBasis) => family<BasisKANLinearArgs, BasisKANLinear>(BasisKANLinear, `${FAMILY_PREFIX[b]}Linear`, b);

export const FastKANConv2D = conv2d('rbf');
export const KACNConv2D = conv2d('chebyshev');
export const KALNConv2D = conv2d('legendre');
export const KAGNConv2D = conv2d('gram');
export const KAJNConv2D = conv2d('jacobi');
export const KABNConv2D = conv2d('bernstein');
export const WavKANMexicanHatConv2D = conv2d('mexicanHat');
export const WavKANMorletConv2D = conv2d('morlet');
export const WavKANDoGConv2D = conv2d('dog');
export const ReLUKANConv2D = conv2d('reluKan');

export const FastKANConv1D = conv1d('rbf');
export const KACNConv1D = conv1d('chebyshev');
export const KALNConv1D = conv1d('legendre');
export const KAGNConv1D = conv1d('gram');
export const KAJNConv1D = conv1d('jacobi');
export const KABNConv1D = conv1d('bernstein');
export const WavKANMexicanHatConv1D = conv1d('mexicanHat');
export const WavKANMorletConv1D = conv1d('morlet');
export const WavKANDoGConv1D = conv1d('dog');
export const ReLUKANConv1D = conv1d('reluKan');

export const FastKANLinear = linear('rbf');
export const KACNLinear = linear('chebyshev');
export const KALNLinear = linear('legendre');
export const KAGNLinear = linear('gram');
export const KAJNLinear = linear('jacobi');
export const KABNLinear = linear('bernstein');
export const WavKANMexicanHatLinear = linear('mexicanHat');
export const WavKANMorletLinear = linear('morlet');
export const WavKANDoGLinear = linear('dog');
export const ReLUKANLinear = linear('reluKan');

/** Family layer classes by basis, for code that picks a family by name. */
export const CONV2D_FAMILIES = {
  rbf: FastKANConv2D, chebyshev: KACNConv2D, legendre: KALNConv2D, gram: KAGNConv2D, jacobi: KAJNConv2D, bernstein: KABNConv2D,
  mexicanHat: WavKANMexicanHatConv2D, morlet: WavKANMorletConv2D, dog: WavKANDoGConv2D, reluKan: ReLUKANConv2D,
} as const;
export const CONV1D_FAMILIES = {
  rbf: FastKANConv1D, chebyshev: KACNConv1D, legendre: KALNConv1D, gram: KAGNConv1D, jacobi: KAJNConv1D, bernstein: KABNConv1D,
  mexicanHat: WavKANMexicanHatConv1D, morlet: WavKANMorletConv1D, dog: WavKANDoGConv1D, reluKan: ReLUKANConv1D,
} as const;
export const LINEAR_FAMILIES = {
  rbf: FastKANLinear, chebyshev: KACNLinear, legendre: KALNLinear, gram: KAGNLinear, jacobi: KAJNLinear, bernstein: KABNLinear,
  mexicanHat: WavKANMexicanHatLinear, morlet: WavKANMorletLinear, dog: WavKANDoGLinear, reluKan: ReLUKANLinear,
} as const;
