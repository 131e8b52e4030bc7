// The basis families, listed once. Everything that depends on the family (option defaults and
// checks, config entries, the family layer classes and their serialization names, inspection)
// reads this list. Adding a family: write bases/<family>.ts (a defineFamily descriptor) and add
// it below; families defined outside the library go through registerBasisFamily.
import { ConvKanArgumentError, show } from '../conv/argumentError';
import type { BasisFamily } from './basisFamily';
import { bspline } from './bspline';
import { rbf } from './rbf';
import { chebyshev } from './chebyshev';
import { legendre } from './legendre';
import { gram } from './gram';
import { jacobi } from './jacobi';
import { bernstein } from './bernstein';
import { mexicanHat, morlet, dog } from './wavelets';
import { reluKan } from './reluKan';

/** The library's families, in the order configs, benches and tests list them. */
export const BUILT_IN_FAMILIES = [bspline, rbf, chebyshev, legendre, gram, jacobi, bernstein, mexicanHat, morlet, dog, reluKan] as const;

type BuiltIn = (typeof BUILT_IN_FAMILIES)[number];
export type BasisName = BuiltIn['name'];
/** The families with torch-conv-kan names, which get their own layer classes (KACNConv2D, …). */
export type NamedBasis = Extract<BuiltIn, { classStem: string }>['name'];

export const BASIS_NAMES: readonly BasisName[] = BUILT_IN_FAMILIES.map((f) => f.name);
/** The polynomial families: those with a degree. */
export const POLYNOMIAL_BASES: readonly BasisName[] = BUILT_IN_FAMILIES.filter((f) => f.settings.includes('degree')).map((f) => f.name);

const families = new Map<string, BasisFamily>(BUILT_IN_FAMILIES.map((f) => [f.name, f]));

/** Every family known now: the built-in ones, then the registered ones. */
export function basisFamilies(): BasisFamily[] {
  return [...families.values()];
}

/** The family called `name`, or an error listing the known names. */
export function basisFamily(name: unknown, context: string): BasisFamily {
  const f = typeof name === 'string' ? families.get(name) : undefined;
  if (!f) throw new ConvKanArgumentError(context, 'basis', `one of ${[...families.keys()].map((b) => `'${b}'`).join(', ')}`, show(name));
  return f;
}

/**
 * Adds a family defined outside this folder (a user's, or a test's): the layers accept it as
 * `basis` and familyLayers(name) makes its layer classes. Names and class stems must be new, so a
 * saved model can never resolve to a different family.
 */
export function registerBasisFamily(family: BasisFamily): void {
  const context = 'registerBasisFamily';
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(family.name))
    throw new ConvKanArgumentError(context, 'name', 'an identifier (letters and digits)', show(family.name));
  if (families.has(family.name)) throw new ConvKanArgumentError(context, 'name', 'a name no family has yet', show(family.name));
  if (family.classStem !== undefined) {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(family.classStem))
      throw new ConvKanArgumentError(context, 'classStem', 'a class name stem (capitalized letters and digits)', show(family.classStem));
    if (basisFamilies().some((f) => f.classStem === family.classStem))
      throw new ConvKanArgumentError(context, 'classStem', 'a stem no family has yet', show(family.classStem));
  }
  families.set(family.name, family);
}
