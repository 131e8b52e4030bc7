// How the control thread interrupts the running shell request without a stray SIGINT. Node stops
// a synchronous cell on SIGINT only while the cell runs inside a vm script with breakOnSigint;
// between two such runs (each top-level await of a cell starts a new one) Node swaps the
// process's SIGINT handlers, and a SIGINT that lands there kills the process, or is queued for an
// event-loop turn that then interrupts whichever cell runs next. And each run starts and joins a
// watchdog thread: signals during a stream of short runs (a loop over awaits) once in a few
// hundred interrupts left Node waiting forever for that thread. So, in shared memory:
//   - the shell request running (a sequence number) and the one an interrupt was sent for: the
//     main thread checks them before each vm run and stops a loop of awaits without any signal;
//   - whether the main thread is inside a vm run, and which run: the control thread raises SIGINT
//     only into one run that has lasted LONG_RUN_MS (a synchronous loop), claiming it first
//     (INSIDE → SIGNALLING). A main thread that wants to leave a claimed run waits there until
//     the signal stops it.

const VM = 0;
const RUNNING = 1;
const INTERRUPTED = 2;
const RUN = 3;
const SLOTS = 4;

const OUTSIDE = 0;
const INSIDE = 1;
const SIGNALLING = 2;
/** A claimed signal arrives within microseconds; past this, something is wrong. */
const LEAVE_WAIT_MS = 2000;

export class SigintGate {
  readonly state: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)) {
    this.state = new Int32Array(buffer);
  }

  get buffer(): SharedArrayBuffer {
    return this.state.buffer as SharedArrayBuffer;
  }

  // Main thread, shell side.
  setRunning(seq: number): void {
    Atomics.store(this.state, RUNNING, seq);
  }

  running(): number {
    return Atomics.load(this.state, RUNNING);
  }

  // Main thread, around vm runs (the VmGuard of kernel/exec/stepRunner.ts).
  /** True when an interrupt was sent for the request running now: the next vm run must not start. */
  interrupted(): boolean {
    const running = Atomics.load(this.state, RUNNING);
    return running !== 0 && Atomics.load(this.state, INTERRUPTED) === running;
  }

  /** Called inside the run. */
  enter(): void {
    Atomics.add(this.state, RUN, 1);
    Atomics.store(this.state, VM, INSIDE);
  }

  /** Still inside the run: if a signal is on its way, wait here; it ends the run (V8 termination). */
  leave(): void {
    const deadline = Date.now() + LEAVE_WAIT_MS;
    while (Atomics.compareExchange(this.state, VM, INSIDE, OUTSIDE) === SIGNALLING) {
      if (Date.now() > deadline) {
        Atomics.store(this.state, VM, OUTSIDE);
        return;
      }
    }
  }

  /** Outside the run again after a signal stopped it. */
  reset(): void {
    Atomics.store(this.state, VM, OUTSIDE);
  }

  // Control thread.
  markInterrupted(seq: number): void {
    Atomics.store(this.state, INTERRUPTED, seq);
  }

  /** The vm run the main thread is in (or was last in). */
  run(): number {
    return Atomics.load(this.state, RUN);
  }

  /** Calls kill() if the main thread is still inside vm run `run` of request `seq`; true when it did. */
  trySignal(seq: number, run: number, kill: () => void): boolean {
    if (seq === 0 || Atomics.compareExchange(this.state, VM, INSIDE, SIGNALLING) !== INSIDE) return false;
    if (Atomics.load(this.state, RUNNING) !== seq || Atomics.load(this.state, RUN) !== run) {
      Atomics.store(this.state, VM, INSIDE);
      return false;
    }
    kill();
    return true;
  }
}
