// Interrupting a cell. A synchronous loop is stopped by V8 itself (the cell runs with vm's
// breakOnSigint); everything asynchronous is stopped here: the cell's promise is raced with an
// interrupt promise, and every `await` in cell code goes through `awaited`, which throws
// KeyboardInterrupt once the cell was interrupted, so a loop of awaits ends at its next await.

/** The error an interrupted cell ends with (the name Jupyter clients know from Python). */
export class KeyboardInterrupt extends Error {
  constructor(message = 'interrupted by the user') {
    super(message);
    this.name = 'KeyboardInterrupt';
  }
}

/** Node's error when breakOnSigint stopped a script. */
export function isScriptInterrupted(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
}

export class InterruptScope {
  interrupted = false;
  /** Rejects with KeyboardInterrupt when the cell is interrupted; never resolves otherwise. */
  readonly whenInterrupted: Promise<never>;
  private reject!: (err: KeyboardInterrupt) => void;

  constructor() {
    this.whenInterrupted = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    // Nobody may be racing it at the moment it fires; that is not an unhandled rejection.
    this.whenInterrupted.catch(() => undefined);
  }

  interrupt(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    this.reject(new KeyboardInterrupt());
  }

  /** What `await x` in cell code becomes: x, unless the cell is interrupted first. */
  awaited<T>(value: T): Promise<Awaited<T>> {
    if (this.interrupted) return Promise.reject(new KeyboardInterrupt());
    return Promise.race([Promise.resolve(value), this.whenInterrupted]).then((v) => {
      if (this.interrupted) throw new KeyboardInterrupt();
      return v;
    });
  }
}
