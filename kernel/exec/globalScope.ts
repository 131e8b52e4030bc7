// Cell variables live on the global object (cells run in this context, so tensors made in cells are the
// library's classes). Every name a cell declares is created here first, as a writable property, so the
// rewritten `name = value` assignments work in strict mode; close() removes them again.

/** Names the executor relies on inside cells; declaring them would break the kernel, so it is refused. */
const RESERVED = new Set([
  'console',
  'require',
  'module',
  'exports',
  '__filename',
  '__dirname',
  '__cell',
  'globalThis',
  'process',
  'undefined',
  'NaN',
  'Infinity',
  'eval',
  'arguments',
]);

const globals = globalThis as unknown as Record<string, unknown>;

export class GlobalScope {
  private readonly owned = new Set<string>();

  /** Makes each name assignable; throws for reserved or read-only globals, naming them. */
  declare(names: Iterable<string>): void {
    for (const name of names) {
      if (RESERVED.has(name)) {
        throw new SyntaxError(`cannot declare '${name}' at the top level of a cell: the kernel provides it (rename the variable)`);
      }
      const desc = Object.getOwnPropertyDescriptor(globalThis, name);
      if (desc && !desc.writable && !desc.set) {
        throw new SyntaxError(`cannot declare '${name}' at the top level of a cell: it is a read-only global`);
      }
      if (!desc) {
        Object.defineProperty(globalThis, name, { value: undefined, writable: true, configurable: true, enumerable: true });
        this.owned.add(name);
      }
    }
  }

  /** Defines a global the kernel provides (tf, convkan, display, …) unless the user already has one. */
  provide(name: string, value: unknown, overwrite = false): void {
    if (!overwrite && name in globalThis && !this.owned.has(name)) return;
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
    this.owned.add(name);
  }

  set(name: string, value: unknown): void {
    this.declare([name]);
    globals[name] = value;
  }

  get(name: string): unknown {
    return globals[name];
  }

  has(name: string): boolean {
    return this.owned.has(name);
  }

  /** Removes everything this scope defined (a restarted kernel starts empty). */
  clear(): void {
    for (const name of this.owned) delete globals[name];
    this.owned.clear();
  }
}
