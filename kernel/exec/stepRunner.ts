// Runs a cell body that was compiled to a generator (see cellRewrite): every stretch of synchronous
// code between two top-level awaits runs inside a vm script with breakOnSigint, so SIGINT stops a
// synchronous loop also after the cell's first await (V8 only watches for SIGINT inside such a run).
// A VmGuard (the kernel's SIGINT gate, kernel/protocol/sigintGate.ts) learns when code is inside
// such a run, so the kernel raises SIGINT only then (a SIGINT between two runs can kill the
// process), and stops a loop of awaits before its next run without any signal.

import vm from 'node:vm';
import { isScriptInterrupted, KeyboardInterrupt } from './interrupt';

const STEP_SLOT = '__convkanStep';
// Named after this file so that tracebacks leave the frame out with the executor's own.
const stepScript = new vm.Script(`globalThis.${STEP_SLOT}()`, { filename: __filename });

/** Told when the main thread enters and leaves a breakOnSigint run (called from inside the run). */
export interface VmGuard {
  /** An interrupt came for the running request: the run must not start. */
  interrupted(): boolean;
  enter(): void;
  /** May wait inside the run for a SIGINT already on its way. */
  leave(): void;
  /** The run was stopped by SIGINT: the main thread is outside again. */
  reset(): void;
}

// On globalThis, so that an executor module loaded from another path still finds the kernel's guard.
const GUARD_SLOT = Symbol.for('convkan.vmGuard');
const slots = globalThis as unknown as Record<string | symbol, unknown>;

export function setVmGuard(guard: VmGuard | undefined): void {
  slots[GUARD_SLOT] = guard;
}

let depth = 0;

/**
 * Calls fn so that a SIGINT during it throws KeyboardInterrupt instead of waiting for the event
 * loop. With watch false, fn runs without vm (no SIGINT watchdog), but an interrupt that already
 * came still stops it before it starts.
 */
export function runInterruptible<T>(fn: () => T, watch = true): T {
  const guard = depth === 0 ? (slots[GUARD_SLOT] as VmGuard | undefined) : undefined;
  if (guard?.interrupted()) throw new KeyboardInterrupt();
  if (!watch) return fn();
  const previous = slots[STEP_SLOT];
  slots[STEP_SLOT] = guard
    ? () => {
        guard.enter();
        try {
          return fn();
        } finally {
          guard.leave();
        }
      }
    : fn;
  depth++;
  try {
    return stepScript.runInThisContext({ breakOnSigint: true, displayErrors: false }) as T;
  } catch (err) {
    if (isScriptInterrupted(err)) {
      guard?.reset();
      throw new KeyboardInterrupt();
    }
    throw err;
  } finally {
    depth--;
    slots[STEP_SLOT] = previous;
  }
}

/**
 * Every watched step starts and joins Node's SIGINT watchdog thread; a tight loop of awaits does
 * that hundreds of thousands of times, and under such churn Node once in a while waits forever
 * for that thread (seen in about one of 300 interrupted `for (;;) { await null }` loops, with no
 * signal sent at all). So in a tight loop only every WATCH_EVERY-th step is watched; the others
 * still stop at once when an interrupt came (the guard's check before each step). The price: a
 * synchronous loop entered from an unwatched step of a tight loop cannot be interrupted.
 */
const QUICK_STEP_MS = 1;
const QUICK_STEPS_WATCHED = 64;
const WATCH_EVERY = 16;

/** Resolves with the generator's return value; each yielded promise is awaited and its outcome sent back in. */
export function driveGenerator(gen: Generator<unknown, unknown, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // Steps that finished quickly in a row: a tight loop of awaits.
    let quick = 0;
    const step = (resume: () => IteratorResult<unknown, unknown>) => {
      let result: IteratorResult<unknown, unknown>;
      const watch = quick < QUICK_STEPS_WATCHED || quick % WATCH_EVERY === 0;
      const started = performance.now();
      try {
        result = runInterruptible(resume, watch);
      } catch (err) {
        reject(err);
        return;
      }
      quick = performance.now() - started < QUICK_STEP_MS ? quick + 1 : 0;
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
