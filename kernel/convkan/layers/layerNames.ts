// Readable default layer names ('conv_kan2d_1', 'kan_linear_1', 'kacn_conv2d_1'): tfjs would
// derive 'conv_ka_n2d_ConvKAN2D1' from the class name.
const counters = new Map<string, number>();

export function defaultLayerName(prefix: string): string {
  const n = (counters.get(prefix) ?? 0) + 1;
  counters.set(prefix, n);
  return `${prefix}_${n}`;
}

/** 'KACNConv2D' → 'kacn_conv2d', 'ConvKAN2D' → 'conv_kan2d', 'KANLinear' → 'kan_linear'. */
export function layerNamePrefix(className: string): string {
  return className
    .replace(/KAN/g, 'Kan')
    .replace(/ReLU/g, 'Relu')
    .replace(/(\d)D$/, '$1d')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The className static of a layer class (new.target in a constructor: a family's own name). */
export function classNameOf(cls: unknown): string {
  return (cls as { className: string }).className;
}

/** The user's name, else a numbered default for the class. */
export function defaultName(cls: unknown, name: string | undefined): string {
  return name ?? defaultLayerName(layerNamePrefix(classNameOf(cls)));
}
