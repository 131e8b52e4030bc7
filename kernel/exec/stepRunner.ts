// Runs a cell body that was compiled to a generator (see cellRewrite): every stretch of synchronous
// code between two top-level awaits runs inside a vm script with breakOnSigint, so SIGINT stops a
// synchronous loop also after the cell's first await (V8 only watches for SIGINT inside such a run).

import vm from 'node:vm';
import { isScriptInterrupted, KeyboardInterrupt } from './interrupt';

const STEP_SLOT = '__convkanStep';
// Named after this file so that tracebacks leave the frame out with the executor's own.
const stepScript = new vm.Script(`globalThis.${STEP_SLOT}()`, { filename: __filename });

/** Calls fn so that a SIGINT during it throws KeyboardInterrupt instead of waiting for the event loop. */
export function runInterruptible<T>(fn: () => T): T {
  const slots = globalThis as unknown as Record<string, unknown>;
  const previous = slots[STEP_SLOT];
  slots[STEP_SLOT] = fn;
  try {
    return stepScript.runInThisContext({ breakOnSigint: true, displayErrors: false }) as T;
  } catch (err) {
    if (isScriptInterrupted(err)) throw new KeyboardInterrupt();
    throw err;
  } finally {
    slots[STEP_SLOT] = previous;
  }
}

/** Resolves with the generator's return value; each yielded promise is awaited and its outcome sent back in. */
export function driveGenerator(gen: Generator<unknown, unknown, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const step = (resume: () => IteratorResult<unknown, unknown>) => {
      let result: IteratorResult<unknown, unknown>;
      try {
        result = runInterruptible(resume);
      } catch (err) {
        reject(err);
        return;
      }
      if (result.done) resolve(result.value);
      else
        Promise.resolve(result.value).then(
          (value) => step(() => gen.next(value)),
          (err: unknown) => step(() => gen.throw(err)),
        );
    };
    step(() => gen.next());
  });
}
