// One error shape for every bad argument: who (layer class + name), which argument, what was
// expected and what was given — so a user can fix the call without reading our source.

export class ConvKanArgumentError extends Error {
  constructor(
    readonly context: string,
    readonly argument: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${context}: ${argument} must be ${expected}, but got ${actual}.`);
    this.name = 'ConvKanArgumentError';
  }
}

/** "ConvKAN2D 'conv1'": how messages name a layer. */
export function layerContext(className: string, name: string | undefined): string {
  return name ? `${className} '${name}'` : className;
}

/** JSON for arrays/strings, String() for the rest; undefined stays readable. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
