// The TypeScript executor: runs cells in this Node context (so tensors made in cells are the
// library's own classes) with state on the global object, streams console output and displays to
// the running cell's hooks, and answers completion/inspect from the language service.

import path from 'node:path';
import util from 'node:util';
import vm from 'node:vm';
import type { Console } from 'node:console';
import type { DisplaySink } from '../display';
import { createCellConsole, type OutputTarget } from './cellConsole';
import { CELL_RUNTIME } from './cellRewrite';
import { formatTypeDiagnostics } from './diagnostics';
import type {
  BackendDescription,
  CompleteResult,
  ExecuteHooks,
  ExecuteOptions,
  ExecuteOutcome,
  Executor,
  InspectResult,
  IsCompleteResult,
  MimeBundle,
} from './executorApi';
import { GlobalScope } from './globalScope';
import { InterruptScope, isScriptInterrupted, KeyboardInterrupt } from './interrupt';
import { isComplete } from './isComplete';
import { LanguageServiceClient } from './languageClient';
import type { TypeDiagnostic } from './languageService';
import { ModuleLoader, type PinnedModules } from './moduleLoader';
import { installProcessGuards, withoutAddedErrorListeners } from './processGuards';
import { bannerText, globalTypeModules, KERNEL_DIR, libraryGlobalNames, loadRuntime, type Runtime } from './runtime';
import { driveGenerator, runInterruptible } from './stepRunner';
import { cellSyntaxError, compileErrorPosition, formatTraceback, registerSourceMap } from './traceback';
import { stopAllTraining, trackTraining } from './trainingTracker';
import { transpileCellCached } from './transpile';

export interface ExecutorOptions {
  /** The notebook's directory: relative imports and the first node_modules searched. */
  cwd: string;
  /** Type errors fail the cell (ename TypeScriptError) instead of being reported on stderr. */
  blockOnTypeErrors?: boolean;
}

/** Time and tensor bookkeeping of the last cell that ran. */
export interface CellStats {
  executionCount: number;
  milliseconds: number;
  /** tf.memory() differences (after − before). */
  tensorsDelta: number;
  bytesDelta: number;
}

/** The executor, with what the Jupyter side may use beyond the contract. */
export interface TypeScriptExecutor extends Executor {
  readonly lastCellStats: CellStats | undefined;
}

/** Global slot that hands the cell function its arguments while its script starts it. */
const CELL_ARGS = '__convkanCellArgs';
const CELL_PARAMS = ['console', 'require', 'module', 'exports', '__filename', '__dirname', CELL_RUNTIME];

/** Output before any cell ran, or after close: the kernel's own streams. */
const PROCESS_OUTPUT: OutputTarget = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

function outcomeOf(err: unknown): ExecuteOutcome {
  if (err instanceof KeyboardInterrupt || isScriptInterrupted(err)) {
    const ki = err instanceof KeyboardInterrupt ? err : new KeyboardInterrupt();
    return { status: 'error', ename: ki.name, evalue: ki.message, traceback: [`\x1b[31m${ki.name}\x1b[0m: ${ki.message}`] };
  }
  const traceback = formatTraceback(err);
  const ename = err instanceof Error ? err.name || 'Error' : 'Error';
  const evalue = err instanceof Error ? err.message : typeof err === 'string' ? err : util.inspect(err);
  return { status: 'error', ename, evalue, traceback };
}

/** `display(x)` as a cell's last line already showed x; its handle is not a result (Python's display returns None). */
function isDisplayHandle(value: unknown): boolean {
  const v = value as { displayId?: unknown; update?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.displayId === 'string' && typeof v.update === 'function';
}

class CellExecutor implements TypeScriptExecutor {
  lastCellStats: CellStats | undefined;
  private executionCount = 0;
  private readonly usedNames = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  /** Interrupt scopes of cells that were submitted but have not started yet, oldest first. */
  private readonly waiting: InterruptScope[] = [];
  private readonly scope = new GlobalScope();
  private readonly loader: ModuleLoader;
  private readonly runtimeReady: Promise<Runtime | undefined>;
  private runtime: Runtime | undefined;
  private runtimeError: string | undefined;
  private language: LanguageServiceClient | undefined;
  private running: { hooks: ExecuteHooks; interrupt: InterruptScope } | undefined;
  private lastHooks: ExecuteHooks | undefined;
  private readonly cellConsole: Console;
  private readonly uninstallGuards: () => void;
  private closed = false;

  constructor(private readonly opts: ExecutorOptions) {
    // V8 keeps 10 frames by default: a cell calling into tfjs would lose its own frames.
    Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 50);
    const pinned: PinnedModules = new Map([
      ['@tensorflow/tfjs', () => this.runtime?.tf ?? require('@tensorflow/tfjs')],
      ['convkan', () => this.runtime?.convkan ?? require('../convkan')],
    ]);
    this.loader = new ModuleLoader(opts.cwd, pinned);
    this.cellConsole = createCellConsole(() => this.output());
    this.uninstallGuards = installProcessGuards((text) => this.output().stderr(text));
    // TF.js takes seconds to load: start now, in the background; cells and banner() await it.
    this.runtimeReady = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => withoutAddedErrorListeners(loadRuntime))
      .then(
        (rt) => {
          this.runtime = rt;
          this.provideGlobals(rt);
          // The first type check loads lib, @types/node and tfjs declarations (seconds): do it while idle.
          setTimeout(() => this.warmUpLanguageService(rt), 0);
          return rt;
        },
        (err: unknown) => {
          this.runtimeError = err instanceof Error ? err.message : String(err);
          return undefined;
        },
      );
  }

  /** Where console output and background errors go: the running cell, else the last one. */
  private output(): OutputTarget {
    return this.running?.hooks ?? this.lastHooks ?? PROCESS_OUTPUT;
  }

  private displaySink(): DisplaySink {
    const hooks = this.running?.hooks ?? this.lastHooks;
    return hooks ?? { display: () => undefined, clearOutput: () => undefined };
  }

  private provideGlobals(rt: Runtime): void {
    trackTraining(rt.tf.LayersModel);
    this.scope.provide('tf', rt.tf, true);
    this.scope.provide(
      'display',
      rt.display.createDisplayApi(() => this.displaySink()),
      true,
    );
    this.scope.provide(
      'input',
      (prompt = '', options: { password?: boolean } = {}) => this.readInput(String(prompt), !!options.password),
      true,
    );
    if (rt.convkan) {
      this.scope.provide('convkan', rt.convkan, true);
      for (const name of libraryGlobalNames(rt.convkan)) this.scope.provide(name, rt.convkan[name]);
    }
  }

  private warmUpLanguageService(rt: Runtime): void {
    if (this.closed || this.language) return;
    try {
      // In the worker: loads lib, @types/node and TF.js declarations without blocking this thread.
      this.languageService(rt)
        .check('')
        .catch(() => undefined);
    } catch {
      // Reported by the first cell that needs the checker.
    }
  }

  private languageService(rt: Runtime | undefined): LanguageServiceClient {
    if (this.closed) throw new Error('the executor is closed');
    // A worker that died (e.g. out of memory) is replaced; its prelude of earlier cells is lost.
    if (this.language?.failed) this.language = undefined;
    if (!this.language) {
      const names = rt?.convkan ? libraryGlobalNames(rt.convkan) : [];
      this.language = new LanguageServiceClient(this.opts.cwd, { ...globalTypeModules(), convkanNames: names }, KERNEL_DIR);
    }
    return this.language;
  }

  /** Cells run one at a time even if a caller does not wait: each starts after the previous one ended. */
  execute(code: string, hooks: ExecuteHooks, options: ExecuteOptions = {}): Promise<ExecuteOutcome> {
    // The scope exists from the call on, so an interrupt right after it already reaches this cell.
    const interrupt = new InterruptScope();
    this.waiting.push(interrupt);
    const next = this.queue.then(() => this.executeNow(code, hooks, options, interrupt));
    this.queue = next.then(() => undefined);
    return next;
  }

  private async executeNow(code: string, hooks: ExecuteHooks, options: ExecuteOptions, interrupt: InterruptScope): Promise<ExecuteOutcome> {
    this.waiting.splice(this.waiting.indexOf(interrupt), 1);
    if (this.closed) return outcomeOf(new Error('the executor is closed'));
    this.running = { hooks, interrupt };
    this.lastHooks = hooks;
    try {
      return await this.run(code, hooks, interrupt, options);
    } catch (err) {
      return outcomeOf(err);
    } finally {
      this.running = undefined;
    }
  }

  /** `In[n]` after the client's execution count when given, unique either way (tracebacks map by it). */
  private cellName(executionCount: number | undefined): string {
    const base = `In[${executionCount ?? this.executionCount}]`;
    let name = base;
    for (let i = 2; this.usedNames.has(name); i++) name = `${base}#${i}`;
    this.usedNames.add(name);
    return name;
  }

  private async run(code: string, hooks: ExecuteHooks, interrupt: InterruptScope, options: ExecuteOptions): Promise<ExecuteOutcome> {
    const rt = await Promise.race([this.runtimeReady, interrupt.whenInterrupted]);
    if (!rt && this.executionCount === 0) hooks.stderr(`TensorFlow.js is not available: ${this.runtimeError}\n`);
    const count = ++this.executionCount;
    const fileName = this.cellName(options.executionCount);
    const cell = transpileCellCached(code, `${fileName}.ts`);
    registerSourceMap(fileName, cell.lineMap, code, cell.js.split('\n').length);
    if (cell.syntaxErrors.length > 0) {
      const first = cell.syntaxErrors[0];
      return outcomeOf(cellSyntaxError(fileName, first.message, first.line, first.column));
    }

    const typeErrors = options.silent ? [] : await Promise.race([this.typeCheck(code, rt, hooks), interrupt.whenInterrupted]);
    if (typeErrors.length > 0) {
      const report = formatTypeDiagnostics(fileName, code, typeErrors);
      if (this.opts.blockOnTypeErrors) {
        const evalue = `${typeErrors.length} type error${typeErrors.length > 1 ? 's' : ''} (the cell did not run)`;
        return {
          status: 'error',
          ename: 'TypeScriptError',
          evalue,
          traceback: [`\x1b[31mTypeScriptError\x1b[0m: ${evalue}`, ...report.trimEnd().split('\n')],
        };
      }
      hooks.stderr(report);
    }

    this.scope.declare(cell.declared);
    const memoryBefore = rt?.tf.memory();
    const started = performance.now();
    try {
      const value = await this.runScript(cell.js, cell.generator, fileName, interrupt);
      if (!cell.hasResult || value === undefined || isDisplayHandle(value)) return { status: 'ok' };
      return { status: 'ok', result: this.toBundle(value, rt) };
    } finally {
      const memoryAfter = rt?.tf.memory();
      this.lastCellStats = {
        executionCount: count,
        milliseconds: performance.now() - started,
        tensorsDelta: (memoryAfter?.numTensors ?? 0) - (memoryBefore?.numTensors ?? 0),
        bytesDelta: (memoryAfter?.numBytes ?? 0) - (memoryBefore?.numBytes ?? 0),
      };
      if (!options.silent) this.commitDeclarations(code, rt);
    }
  }

  private async typeCheck(code: string, rt: Runtime | undefined, hooks: ExecuteHooks): Promise<TypeDiagnostic[]> {
    try {
      return await this.languageService(rt).check(code);
    } catch (err) {
      // A failing checker must not stop code from running.
      hooks.stderr(`(type check skipped: ${err instanceof Error ? err.message : String(err)})\n`);
      return [];
    }
  }

  /** Sent without waiting: the worker answers in order, so the next check already sees it. */
  private commitDeclarations(code: string, rt: Runtime | undefined): void {
    try {
      this.languageService(rt)
        .commit(code)
        .catch(() => undefined);
    } catch {
      // Completion then just lacks this cell's names; execution is unaffected.
    }
  }

  private async runScript(js: string, generator: boolean, fileName: string, interrupt: InterruptScope): Promise<unknown> {
    // Parameters shadow the globals of the same name for this cell only; the body starts on line 1.
    const kind = generator ? 'function*' : 'async function';
    const source = `(${kind} (${CELL_PARAMS.join(', ')}) {"use strict";\n${js}\n}).apply(undefined, globalThis.${CELL_ARGS})`;
    let script: vm.Script;
    try {
      script = new vm.Script(source, { filename: fileName, lineOffset: -1 });
    } catch (err) {
      // What TypeScript's parser accepts but V8 does not (e.g. `await` in a non-async arrow).
      const at = compileErrorPosition(err, fileName);
      if (err instanceof SyntaxError && at) throw cellSyntaxError(fileName, err.message, at.line, at.column);
      throw err;
    }
    // A SIGINT that arrived during the type check was handled as interrupt() already: do not start.
    if (interrupt.interrupted) throw new KeyboardInterrupt();
    const cellModule = { exports: {} as Record<string, unknown> };
    const runtime = {
      import: (spec: string) => this.loader.import(String(spec)),
      require: (spec: string) => this.loader.require(spec),
      awaited: <T>(value: T) => interrupt.awaited(value),
      def: (name: string, value: unknown) => this.scope.set(name, value),
    };
    const args = [
      this.cellConsole,
      this.loader.makeRequire(),
      cellModule,
      cellModule.exports,
      path.join(this.opts.cwd, `${fileName}.ts`),
      this.opts.cwd,
      runtime,
    ];
    (globalThis as Record<string, unknown>)[CELL_ARGS] = args;
    let promise: Promise<unknown>;
    try {
      // Inside runInterruptible's breakOnSigint run, where the kernel's SIGINT gate sees it.
      const started = runInterruptible(() => script.runInThisContext({ displayErrors: false }) as unknown);
      promise = generator ? driveGenerator(started as Generator<unknown, unknown, unknown>) : (started as Promise<unknown>);
    } finally {
      delete (globalThis as Record<string, unknown>)[CELL_ARGS];
    }
    // After an interrupt nobody awaits the cell any more; its late rejection is expected.
    promise.catch(() => undefined);
    return Promise.race([promise, interrupt.whenInterrupted]);
  }

  private toBundle(value: unknown, rt: Runtime | undefined): MimeBundle {
    const bundle = rt?.display.toMimeBundle(value);
    return bundle ?? { data: { 'text/plain': util.inspect(value) }, metadata: {} };
  }

  /** The `input(prompt)` global: stdin input_request through the running cell's hooks. */
  private readInput(prompt: string, password: boolean): Promise<string> {
    const running = this.running;
    if (!running)
      return Promise.reject(new Error('input() can only be awaited while its cell runs (it asks the client through that cell)'));
    return running.interrupt.awaited(running.hooks.input(prompt, password));
  }

  /** Stops the running cell, or else the next one about to start; no-op when idle. */
  interrupt(): void {
    const target = this.running?.interrupt ?? this.waiting[0];
    if (!target) return;
    stopAllTraining();
    target.interrupt();
  }

  async complete(code: string, cursorPos: number): Promise<CompleteResult> {
    const rt = await this.runtimeReady;
    try {
      return await this.languageService(rt).complete(code, cursorPos);
    } catch {
      // Without a working checker there is nothing to offer; the request itself still succeeds.
      return { matches: [], cursorStart: cursorPos, cursorEnd: cursorPos };
    }
  }

  async inspect(code: string, cursorPos: number, detailLevel: number): Promise<InspectResult> {
    const rt = await this.runtimeReady;
    try {
      return await this.languageService(rt).inspect(code, cursorPos, detailLevel);
    } catch {
      return { found: false, data: {} };
    }
  }

  isComplete(code: string): IsCompleteResult {
    return isComplete(code);
  }

  async banner(): Promise<string> {
    const rt = await this.runtimeReady;
    return bannerText(rt, this.runtimeError);
  }

  async backend(): Promise<BackendDescription | undefined> {
    const rt = await this.runtimeReady;
    return rt && { name: rt.backend.name, label: rt.backend.label, reason: rt.backend.reason };
  }

  async environment(): Promise<Record<string, unknown> | undefined> {
    const rt = await this.runtimeReady;
    const describe = rt?.convkan?.runEnvironment;
    return typeof describe === 'function' ? (describe() as Record<string, unknown>) : undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.interrupt();
    await this.runtimeReady;
    this.scope.clear();
    this.uninstallGuards();
    await this.language?.close();
  }
}

export function createExecutor(opts: ExecutorOptions): TypeScriptExecutor {
  return new CellExecutor(opts);
}
