// Kernel process entry: `node out/kernel/main.js --connection-file <file>` (or `-f <file>`).
// Binds the sockets first and answers kernel_info at once; the executor (TypeScript service,
// then TensorFlow.js) is loaded after the first kernel_info reply or on the first request that
// needs it. SIGINT interrupts the running cell instead of killing the process.

import path from 'node:path';
import type { Executor } from './exec/executorApi';
import { JupyterHandler, type ExecutorSource } from './jupyterHandler';
import { packageVersion } from './cli/packageRoot';
import { readConnectionFile } from './protocol/connectionInfo';
import { History, defaultHistoryDir } from './protocol/history';
import { MSG, newSessionIdentity } from './protocol/messages';
import { KernelServer } from './protocol/server';
import { setVmGuard } from './exec/stepRunner';

const USAGE = `Usage: convkan-kernel-main --connection-file <file> [options]

  -f, --connection-file <file>  Jupyter connection file (required)
  --restart-in-process          shutdown_request with restart=true resets the executor and keeps
                                the process (default: exit, and the Jupyter client respawns it)
  --block-on-type-errors        TypeScript type errors stop a cell (default: reported, cell runs)
  --executor-module <file>      module exporting createExecutor (default: kernel/exec/executor;
                                also CONVKAN_EXECUTOR_MODULE)
  --no-history-file             keep input history in memory only
  -h, --help                    show this help
`;

export interface KernelArgs {
  connectionFile: string;
  inProcessRestart: boolean;
  blockOnTypeErrors: boolean;
  executorModule: string;
  historyFile: boolean;
}

export function parseKernelArgs(argv: string[]): KernelArgs | 'help' {
  const args: KernelArgs = {
    connectionFile: '',
    inProcessRestart: false,
    blockOnTypeErrors: false,
    executorModule: process.env.CONVKAN_EXECUTOR_MODULE || path.join(__dirname, 'exec', 'executor'),
    historyFile: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`Error in kernel arguments: ${a} needs a value, but got none`);
      return v;
    };
    if (a === '-f' || a === '--connection-file') args.connectionFile = value();
    else if (a.startsWith('--connection-file=')) args.connectionFile = a.slice('--connection-file='.length);
    else if (a === '--restart-in-process') args.inProcessRestart = true;
    else if (a === '--block-on-type-errors') args.blockOnTypeErrors = true;
    else if (a === '--executor-module') args.executorModule = path.resolve(value());
    else if (a === '--no-history-file') args.historyFile = false;
    else if (a === '-h' || a === '--help') return 'help';
    else throw new Error(`Error in kernel arguments: unknown argument "${a}"\n\n${USAGE}`);
  }
  if (!args.connectionFile) throw new Error(`Error in kernel arguments: --connection-file is required\n\n${USAGE}`);
  return args;
}

/** Taken before any executor loads: the executor turns process.exit into an error for cells. */
const exitProcess: (code?: number) => never = process.exit.bind(process);

type ExecutorFactory = (opts: { cwd: string; blockOnTypeErrors?: boolean }) => Executor;

/** Loads the executor module on first use; reset() closes the executor so the next get() makes a fresh one. */
export function lazyExecutors(load: () => ExecutorFactory, opts: { cwd: string; blockOnTypeErrors: boolean }): ExecutorSource {
  let executor: Executor | undefined;
  return {
    async get() {
      executor ??= load()(opts);
      return executor;
    },
    current: () => executor,
    async reset() {
      const old = executor;
      executor = undefined;
      await old?.close();
    },
  };
}

async function main(): Promise<void> {
  const parsed = parseKernelArgs(process.argv.slice(2));
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const log = (line: string) => process.stderr.write(`[convkan-kernel] ${line}\n`);
  const info = readConnectionFile(parsed.connectionFile);
  const identity = newSessionIdentity('convkan');
  const executors = lazyExecutors(
    () => {
      const mod = require(parsed.executorModule) as { createExecutor?: ExecutorFactory };
      if (typeof mod.createExecutor !== 'function') {
        throw new Error(
          `Error in executor module ${parsed.executorModule}: expected an exported createExecutor function, ` +
            `but got ${typeof mod.createExecutor}`,
        );
      }
      return mod.createExecutor;
    },
    { cwd: process.cwd(), blockOnTypeErrors: parsed.blockOnTypeErrors },
  );

  let server: KernelServer | undefined;
  let exiting = false;
  const exit = async (code = 0) => {
    if (exiting) return;
    exiting = true;
    await executors
      .current()
      ?.close()
      .catch((e: Error) => log(`executor close failed: ${e.message}`));
    await server?.close();
    exitProcess(code);
  };

  // Load the executor in the background once the client has its kernel_info (or after 2 s).
  let preloadTimer: NodeJS.Timeout | undefined;
  const preload = () => {
    clearTimeout(preloadTimer);
    setImmediate(() => executors.get().catch((e: Error) => log(`executor failed to load: ${e.stack ?? e.message}`)));
  };
  preloadTimer = setTimeout(preload, 2000);

  const handler = new JupyterHandler({
    executors,
    history: new History(parsed.historyFile ? defaultHistoryDir() : undefined, log),
    implementationVersion: packageVersion(),
    inProcessRestart: parsed.inProcessRestart,
    exit: () => exit(0),
    onFirstKernelInfo: preload,
  });
  server = new KernelServer(info, handler, identity, { log, onInterrupt: () => executors.current()?.interrupt() });
  // interrupt_request: the control thread raises SIGINT only while cell code runs inside vm
  // (breakOnSigint stops it there); a pending await is stopped through onInterrupt.
  setVmGuard(server.sigintGate);
  // A SIGINT from outside (Ctrl+C, kill -INT) that arrives outside vm code.
  process.on('SIGINT', () => executors.current()?.interrupt());
  process.on('SIGTERM', () => void exit(0));
  // Last line of defence: an error that escaped everything is logged, never fatal. The executor
  // installs its own guards that show such errors in the cell; only without them do we publish.
  const onlyGuard = (event: 'uncaughtException' | 'unhandledRejection') => process.listenerCount(event) === 1;
  process.on('uncaughtException', (e) => {
    log(`uncaught exception: ${e.stack ?? e}`);
    if (onlyGuard('uncaughtException')) server?.publish(MSG.stream, { name: 'stderr', text: `Uncaught ${e.stack ?? e}\n` });
  });
  process.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    log(`unhandled rejection: ${text}`);
    if (onlyGuard('unhandledRejection')) server?.publish(MSG.stream, { name: 'stderr', text: `Unhandled promise rejection: ${text}\n` });
  });

  await server.start();
  server.publish(MSG.status, { execution_state: 'starting' });
}

if (require.main === module) {
  main().catch((e: Error) => {
    process.stderr.write(`[convkan-kernel] failed to start: ${e.stack ?? e.message}\n`);
    exitProcess(1);
  });
}
