// SIGINT / SIGTERM to the runner: stop the run instead of dying on the spot, so the kernel is shut
// down, its temp folder (which holds the signing key) removed and the partial notebook written.
// A second signal ends the process at once.

export const SIGNAL_EXIT_CODE: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/** Aborts the returned controller on the first SIGINT/SIGTERM; call uninstall() when the run is over. */
export function abortOnSignals(): { signal: AbortSignal; received: () => 'SIGINT' | 'SIGTERM' | undefined; uninstall: () => void } {
  const controller = new AbortController();
  let received: 'SIGINT' | 'SIGTERM' | undefined;
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = () => {
      if (received) process.exit(SIGNAL_EXIT_CODE[name]);
      received = name;
      controller.abort(new Error(`the runner received ${name}`));
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => received,
    uninstall: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
