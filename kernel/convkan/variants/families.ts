// The named layer families (torch-conv-kan's names): each is the generic layer with its `basis`
// fixed, under its own className, so that saved models say which family they hold. The classes
// are made from the registry (bases/registry.ts): a family with a classStem gets all three.
import * as tf from '@tensorflow/tfjs';
import { BasisConvKAN2D, type BasisConvKAN2DArgs } from './basisConvKan2d';
import { BasisConvKAN1D, type BasisConvKAN1DArgs } from './basisConvKan1d';
import { BasisKANLinear, type BasisKANLinearArgs } from './basisKanLinear';
import { FAMILY_LAYER_SUFFIX } from './classNames';
import { BUILT_IN_FAMILIES, basisFamily, type BasisName, type NamedBasis } from '../bases/registry';
import { ConvKanArgumentError } from '../conv/argumentError';

/** A family layer class: the generic layer's arguments without `basis` (a saved config's `basis` is ignored). */
export type FamilyClass<A, L> = { new (args: Omit<A, 'basis'> & { basis?: BasisName }): L; className: string };

export interface FamilyLayers {
  conv2d: FamilyClass<BasisConvKAN2DArgs, BasisConvKAN2D>;
  conv1d: FamilyClass<BasisConvKAN1DArgs, BasisConvKAN1D>;
  linear: FamilyClass<BasisKANLinearArgs, BasisKANLinear>;
}

/** A subclass of `Base` whose basis is always `basis`, registered as `className`. */
function family<A extends { basis: BasisName }, L extends tf.layers.Layer>(
  Base: new (args: A) => L,
  className: string,
  basis: string,
): FamilyClass<A, L> {
  const Family = class extends (Base as unknown as new (args: A) => tf.layers.Layer) {
    static className = className;
    constructor(args: Omit<A, 'basis'> & { basis?: BasisName }) {
      // a saved config carries `basis` too; the family's own basis wins
      super({ ...args, basis } as A);
    }
  };
  tf.serialization.registerClass(Family as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
  return Family as unknown as FamilyClass<A, L>;
}

const made = new Map<string, FamilyLayers>();

/** The layer classes of a family with a classStem, made and registered for serialization on first use. */
export function familyLayers(name: string): FamilyLayers {
  const context = 'familyLayers';
  const f = basisFamily(name, context);
  if (f.classStem === undefined)
    throw new ConvKanArgumentError(
      context,
      'basis',
      'a family with a classStem (its own layer classes)',
      `'${name}', which only has the generic Basis* layers`,
    );
  let layers = made.get(f.name);
  if (!layers) {
    const stem = f.classStem;
    layers = {
      conv2d: family<BasisConvKAN2DArgs, BasisConvKAN2D>(BasisConvKAN2D, `${stem}${FAMILY_LAYER_SUFFIX.conv2d}`, f.name),
      conv1d: family<BasisConvKAN1DArgs, BasisConvKAN1D>(BasisConvKAN1D, `${stem}${FAMILY_LAYER_SUFFIX.conv1d}`, f.name),
      linear: family<BasisKANLinearArgs, BasisKANLinear>(BasisKANLinear, `${stem}${FAMILY_LAYER_SUFFIX.linear}`, f.name),
    };
    made.set(f.name, layers);
  }
  return layers;
}

// Built-in families are registered at load, so saved models load without touching a class first.
const NAMED = BUILT_IN_FAMILIES.flatMap((f) => (f.classStem === undefined ? [] : [f.name])) as NamedBasis[];
const byKind = <K extends keyof FamilyLayers>(kind: K) =>
  Object.fromEntries(NAMED.map((b) => [b, familyLayers(b)[kind]])) as Readonly<Record<NamedBasis, FamilyLayers[K]>>;

/** Family layer classes by basis, for code that picks a family by name. */
export const CONV2D_FAMILIES = byKind('conv2d');
export const CONV1D_FAMILIES = byKind('conv1d');
export const LINEAR_FAMILIES = byKind('linear');

// The public names of the built-in family classes (torch-conv-kan's spelling).
export const FastKANConv2D = CONV2D_FAMILIES.rbf;
export const KACNConv2D = CONV2D_FAMILIES.chebyshev;
export const KALNConv2D = CONV2D_FAMILIES.legendre;
export const KAGNConv2D = CONV2D_FAMILIES.gram;
export const KAJNConv2D = CONV2D_FAMILIES.jacobi;
export const KABNConv2D = CONV2D_FAMILIES.bernstein;
export const WavKANMexicanHatConv2D = CONV2D_FAMILIES.mexicanHat;
export const WavKANMorletConv2D = CONV2D_FAMILIES.morlet;
export const WavKANDoGConv2D = CONV2D_FAMILIES.dog;
export const ReLUKANConv2D = CONV2D_FAMILIES.reluKan;

export const FastKANConv1D = CONV1D_FAMILIES.rbf;
export const KACNConv1D = CONV1D_FAMILIES.chebyshev;
export const KALNConv1D = CONV1D_FAMILIES.legendre;
export const KAGNConv1D = CONV1D_FAMILIES.gram;
export const KAJNConv1D = CONV1D_FAMILIES.jacobi;
export const KABNConv1D = CONV1D_FAMILIES.bernstein;
export const WavKANMexicanHatConv1D = CONV1D_FAMILIES.mexicanHat;
export const WavKANMorletConv1D = CONV1D_FAMILIES.morlet;
export const WavKANDoGConv1D = CONV1D_FAMILIES.dog;
export const ReLUKANConv1D = CONV1D_FAMILIES.reluKan;

export const FastKANLinear = LINEAR_FAMILIES.rbf;
export const KACNLinear = LINEAR_FAMILIES.chebyshev;
export const KALNLinear = LINEAR_FAMILIES.legendre;
export const KAGNLinear = LINEAR_FAMILIES.gram;
export const KAJNLinear = LINEAR_FAMILIES.jacobi;
export const KABNLinear = LINEAR_FAMILIES.bernstein;
export const WavKANMexicanHatLinear = LINEAR_FAMILIES.mexicanHat;
export const WavKANMorletLinear = LINEAR_FAMILIES.morlet;
export const WavKANDoGLinear = LINEAR_FAMILIES.dog;
export const ReLUKANLinear = LINEAR_FAMILIES.reluKan;
