// Resolves a layer's basis settings once: the family (bases/registry.ts) supplies its defaults,
// the settings it reads and its own checks. Every family turns one input value into `size`
// numbers φ_0(x) … φ_{size−1}(x); a layer learns one weight per (input, basis function, output),
// so φ is a learned linear combination of these.
import { basisFamily } from '../bases/registry';
import { checkSharedSettings, sharedDefaults, type BasisOptions, type ResolvedBasisOptions } from '../bases/basisSettings';

export { BASIS_NAMES, POLYNOMIAL_BASES, type BasisName } from '../bases/registry';
export { WAVELET_BASES, type WaveletName } from '../bases/wavelets';
export { BASIS_SETTINGS, type BasisOptions, type ResolvedBasisOptions, type BasisSetting } from '../bases/basisSettings';

export function resolveBasisOptions(o: BasisOptions, context: string): ResolvedBasisOptions {
  const family = basisFamily(o.basis, context);
  const degree = o.degree ?? family.defaults?.degree ?? 3;
  const d = { ...sharedDefaults(degree), ...family.defaults };
  const range = o.gridRange ?? d.gridRange;
  const r: ResolvedBasisOptions = {
    basis: o.basis,
    degree,
    gridSize: o.gridSize ?? d.gridSize,
    gridRange: Array.isArray(range) ? [range[0], range[1]] : range,
    splineOrder: o.splineOrder ?? d.splineOrder,
    alpha: o.alpha ?? d.alpha,
    beta: o.beta ?? d.beta,
    gramPoints: o.gramPoints ?? d.gramPoints,
  };
  checkSharedSettings(r, o, context);
  family.check?.(r, o, context);
  return r;
}

/** The settings that matter for a family, for getConfig and display. */
export function basisConfigEntries(r: ResolvedBasisOptions): Partial<ResolvedBasisOptions> {
  const family = basisFamily(r.basis, 'basisConfigEntries');
  return Object.fromEntries(family.settings.map((s) => [s, r[s]])) as Partial<ResolvedBasisOptions>;
}
