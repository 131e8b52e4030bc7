// A process-wide on/off switch for an optional fast kernel: benchmarks and tests run the form it
// replaces and the kernel in one process (before → after in the same run).
export interface KernelSwitch {
  /** Whether the kernel may be used now (on unless inside `with(false, …)`). */
  readonly on: boolean;
  /** Runs fn with the kernel switched on or off, then restores the previous setting. */
  with<T>(on: boolean, fn: () => T): T;
}

export function kernelSwitch(): KernelSwitch {
  let enabled = true;
  return {
    get on() {
      return enabled;
    },
    with<T>(on: boolean, fn: () => T): T {
      const was = enabled;
      enabled = on;
      try {
        return fn();
      } finally {
        enabled = was;
      }
    },
  };
}
