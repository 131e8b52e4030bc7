// The handle of one output, shared by every display call.

export interface DisplayHandle {
  readonly displayId: string;
  /** Replaces the output in place: a MIME bundle as is, anything else shown the way this output was made. */
  update(valueOrBundle: unknown): void;
}

/**
 * The handle a display call returns. A cell that ends with `display(…)` shows nothing more
 * (as in IPython), so the handle is recognised and has no result of its own.
 */
export class OutputHandle implements DisplayHandle {
  constructor(
    readonly displayId: string,
    private readonly send: (valueOrBundle: unknown) => void,
  ) {}

  update(valueOrBundle: unknown): void {
    this.send(valueOrBundle);
  }

  /** How util.inspect (and so a REPL) shows a handle. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `DisplayHandle(${this.displayId})`;
  }
}
