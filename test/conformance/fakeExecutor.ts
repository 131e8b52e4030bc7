// A small JavaScript executor with the real Executor contract, so protocol tests run without the
// TypeScript service or TensorFlow.js. Like the real one it runs code through the kernel's step
// runner: each stretch between two awaits inside vm with breakOnSigint (a sync loop is stopped by
// SIGINT; `await` becomes a generator's `yield`), and races awaits against interrupt(). Cell globals:
// print/printErr, show(data, id?) / update(data, id) / clear(wait), ask(prompt, password?), sleep(ms), exitProcess(code),
// envVar(name) (the kernel process' environment).

import vm from 'node:vm';
import { driveGenerator, runInterruptible } from '../../kernel/exec/stepRunner';
import type { ExecuteHooks, ExecuteOutcome, Executor } from '../../kernel/exec/executorApi';

/** Like the real executor's awaited(): after an interrupt the cell's next await throws, so its loop ends. */
function stopsWhenInterrupted(gen: Generator<unknown, unknown, unknown>, interrupted: () => boolean): Generator<unknown, unknown, unknown> {
  const check = () => {
    if (interrupted()) throw Object.assign(new Error('Interrupted'), { name: 'KeyboardInterrupt' });
  };
  return Object.assign(Object.create(gen), {
    next: (v: unknown) => (check(), gen.next(v)),
    throw: (e: unknown) => (check(), gen.throw(e)),
  });
}

export function createExecutor(_opts: { cwd: string; blockOnTypeErrors?: boolean }): Executor {
  let hooks: ExecuteHooks | undefined;
  let cancel: ((e: Error) => void) | undefined;
  const out =
    (h: keyof Pick<ExecuteHooks, 'stdout' | 'stderr'>) =>
    (...args: unknown[]) =>
      hooks?.[h](args.map(String).join(' ') + '\n');
  const sandbox: Record<string, unknown> = {
    print: out('stdout'),
    printErr: out('stderr'),
    console: { log: out('stdout'), error: out('stderr') },
    show: (data: Record<string, unknown>, id?: string) => hooks?.display({ data, metadata: {} }, { displayId: id }),
    update: (data: Record<string, unknown>, id: string) => hooks?.display({ data, metadata: {} }, { displayId: id, update: true }),
    clear: (wait = false) => hooks?.clearOutput(wait),
    ask: (prompt: string, password = false) => hooks!.input(prompt, password),
    sleep: (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
    envVar: (name: string) => process.env[name],
    setTimeout,
    Promise,
    // Ends the kernel process for real, as a crash would (the real executor refuses process.exit).
    exitProcess: (code: number) => process.exit(code),
  };
  const context = vm.createContext(sandbox);

  const interrupted = (): ExecuteOutcome => ({
    status: 'error',
    ename: 'KeyboardInterrupt',
    evalue: 'Interrupted',
    traceback: ['KeyboardInterrupt: Interrupted'],
  });
  const failure = (e: unknown): ExecuteOutcome => {
    // Errors thrown inside the vm context come from another realm: not `instanceof Error` here.
    const err = e !== null && typeof e === 'object' && 'message' in e ? (e as Error) : new Error(String(e));
    if (/Script execution (was )?interrupted/.test(err.message) || err.name === 'KeyboardInterrupt') return interrupted();
    return { status: 'error', ename: err.name, evalue: err.message, traceback: [`${err.name}: ${err.message}`] };
  };

  return {
    async execute(code, h) {
      hooks = h;
      // An interrupt between the start of execute and the start of vm code still stops the cell.
      let interruptedEarly = false;
      cancel = () => (interruptedEarly = true);
      try {
        await Promise.resolve();
        if (interruptedEarly) return interrupted();
        const stepped = /\bawait\b/.test(code);
        const source = stepped ? `(function* () { ${code.replace(/\bawait\b/g, 'yield')}\n })()` : code;
        const script = new vm.Script(source);
        let value = runInterruptible(() => script.runInContext(context));
        if (stepped) value = driveGenerator(stopsWhenInterrupted(value, () => interruptedEarly));
        if (value instanceof Promise || (value && typeof value.then === 'function')) {
          value = await Promise.race([
            value,
            new Promise(
              (_, reject) =>
                (cancel = (e) => {
                  interruptedEarly = true;
                  reject(e);
                }),
            ),
          ]);
          if (/\bawait\b/.test(code)) value = undefined;
        }
        return value === undefined ? { status: 'ok' } : { status: 'ok', result: { data: { 'text/plain': String(value) }, metadata: {} } };
      } catch (e) {
        return failure(e);
      } finally {
        cancel = undefined;
      }
    },
    interrupt() {
      const k = Object.assign(new Error('Interrupted'), { name: 'KeyboardInterrupt' });
      cancel?.(k);
    },
    async complete(code, cursor) {
      const prefix = /[A-Za-z_$][\w$]*$/.exec(code.slice(0, cursor))?.[0] ?? '';
      const matches = Object.keys(sandbox)
        .filter((k) => k.startsWith(prefix))
        .sort();
      return { matches, cursorStart: cursor - prefix.length, cursorEnd: cursor };
    },
    async inspect(code, cursor) {
      const name = /[A-Za-z_$][\w$]*$/.exec(code.slice(0, cursor))?.[0] ?? '';
      if (!(name in sandbox)) return { found: false, data: {} as Record<string, string> };
      return { found: true, data: { 'text/plain': `${name}: ${typeof sandbox[name]}` } };
    },
    isComplete(code) {
      try {
        new vm.Script(code);
        return { status: 'complete' };
      } catch (e) {
        return /Unexpected end of input|missing \) after/.test((e as Error).message)
          ? { status: 'incomplete', indent: '  ' }
          : { status: 'invalid' };
      }
    },
    async banner() {
      return 'fake executor for protocol tests';
    },
    async backend() {
      return { name: 'fake', label: 'fake backend', reason: 'protocol tests run no TensorFlow.js' };
    },
    /** A fixed run environment; cells set its seed with `seed = n`. */
    async environment() {
      return {
        backend: 'fake',
        threads: 1,
        tfjs: '0.0.0',
        convkan: '0.0.0',
        node: process.version,
        seed: (sandbox.seed as number | undefined) ?? null,
      };
    },
    async close() {
      hooks = undefined;
    },
  };
}
