// Errors that escape every cell — a throw inside a timer callback, a rejected promise nobody awaited —
// would end the Node process. While an executor is open they are reported as stderr of the running cell
// (or the last one) instead, and the kernel keeps running.

import { formatForStderr } from './traceback';

type Report = (text: string) => void;

const reporters: Report[] = [];

function report(heading: string, err: unknown): void {
  const text = formatForStderr(err, heading);
  const target = reporters[reporters.length - 1];
  if (target) target(text);
  else process.stderr.write(text);
}

const onUncaught = (err: unknown) => report('Uncaught exception (thrown outside the cell, e.g. in a timer callback):', err);
const onRejection = (reason: unknown) => report('Unhandled promise rejection (a promise rejected and nothing awaited it):', reason);

/** What `process.exit()` in a cell throws: the kernel process is shared by every cell and must not end. */
export class ProcessExitError extends Error {
  constructor(readonly code: unknown) {
    super(
      `process.exit(${code === undefined ? '' : JSON.stringify(code)}) was called in a cell; ` +
        `the kernel keeps running (restart the kernel for a fresh state)`,
    );
    this.name = 'ProcessExitError';
  }
}

const realExit = process.exit;
const blockedExit = ((code?: unknown) => {
  throw new ProcessExitError(code);
}) as typeof process.exit;

/**
 * Routes uncaught errors to `target` until the returned function is called (the newest target
 * wins), and turns process.exit() into a ProcessExitError: ending the process from a cell tore
 * down ZeroMQ mid-send (SIGABRT) with no message for the user.
 */
export function installProcessGuards(target: Report): () => void {
  if (reporters.length === 0) {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onRejection);
    process.exit = blockedExit;
  }
  reporters.push(target);
  return () => {
    const i = reporters.lastIndexOf(target);
    if (i >= 0) reporters.splice(i, 1);
    if (reporters.length === 0) {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onRejection);
      if (process.exit === blockedExit) process.exit = realExit;
    }
  };
}

const GUARDED_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Runs `load` and then removes the uncaughtException/unhandledRejection listeners it added. The
 * threaded wasm backend's emscripten glue adds listeners that rethrow, which would make every stray
 * error fatal again; in a kernel, our guards decide.
 */
export async function withoutAddedErrorListeners<T>(load: () => Promise<T>): Promise<T> {
  const listeners = (event: (typeof GUARDED_EVENTS)[number]) =>
    process.listeners(event as 'uncaughtException') as Array<(...args: unknown[]) => void>;
  const before = new Map(GUARDED_EVENTS.map((e) => [e, new Set(listeners(e))]));
  try {
    return await load();
  } finally {
    for (const event of GUARDED_EVENTS) {
      for (const listener of listeners(event)) {
        if (!before.get(event)!.has(listener) && listener !== onUncaught && listener !== onRejection) {
          process.off(event as 'uncaughtException', listener);
        }
      }
    }
  }
}
