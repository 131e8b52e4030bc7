// `convkan-notebook run <nb.ipynb> [--out file] [--timeout s] [--allow-errors] [--seed n] [--param k=v]`: the headless
// runner; `convkan-notebook export <nb.ipynb> --html out.html` is in exportCli.ts.

import path from 'node:path';
import { DEFAULT_CELL_TIMEOUT_S, INTERRUPT_GRACE_S } from './cellDeadline';
import { readNotebook, runNotebook, writeNotebook } from './runNotebook';
import { injectParameters, parseParameter } from './notebookParameters';
import { EXPORT_DESCRIPTION, runExportCli } from './exportCli';
import { randomUUID } from 'node:crypto';
import { abortOnSignals, SIGNAL_EXIT_CODE } from './stopSignals';

export const NOTEBOOK_CLI_USAGE = `Usage:
  convkan-notebook run <notebook.ipynb> [--out FILE] [--timeout SECONDS] [--allow-errors]
                       [--seed N] [--param NAME=VALUE]...
  convkan-notebook export <notebook.ipynb> [--html FILE]

run: runs every code cell in a fresh ConvKAN kernel and writes the executed notebook
(default: <notebook>.executed.ipynb next to it), after every cell, so a run that is
stopped keeps what it did. Exit status 1 when a cell failed, timed out or the kernel
died; 130/143 when stopped by SIGINT/SIGTERM (the kernel is shut down first).
  --out FILE         where to write the executed notebook (may be the input itself)
  --timeout SECONDS  per cell (default ${DEFAULT_CELL_TIMEOUT_S}; 0: no limit); a cell running longer is
                     interrupted and fails the run; a kernel that does not stop within
                     ${INTERRUPT_GRACE_S} s is shut down
  --allow-errors     keep running the cells after a failing one (default: stop there)
  --seed N           convkan.seed(N) before the first cell (and after each restart)
  --param NAME=VALUE a parameter (repeatable): injected as a cell tagged "injected-parameters"
                     after the cell tagged "parameters"; numbers, booleans, null and JSON typed
The executed notebook's metadata.convkan.run records backend, threads, versions, seed,
parameters and start time; each cell's metadata its duration.
Cells tagged "raises-exception" may fail without failing the run.

export: ${EXPORT_DESCRIPTION}
`;

export interface NotebookCliArgs {
  input: string;
  out: string;
  timeoutSeconds?: number;
  allowErrors: boolean;
  seed?: number;
  parameters: Record<string, unknown>;
}

export function parseNotebookCliArgs(argv: string[]): NotebookCliArgs | 'help' {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return 'help';
  if (command !== 'run')
    throw new Error(`Error in convkan-notebook: the command must be "run" or "export", but got "${command}"\n\n${NOTEBOOK_CLI_USAGE}`);
  let input: string | undefined;
  let out: string | undefined;
  let timeoutSeconds: number | undefined;
  let allowErrors = false;
  let seed: number | undefined;
  const parameters: Record<string, unknown> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new Error(`Error in convkan-notebook run: ${a} needs a value, but got none`);
      return v;
    };
    if (a === '--out' || a === '-o') out = value();
    else if (a === '--timeout') {
      const v = value();
      timeoutSeconds = Number(v);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0)
        throw new Error(`Error in convkan-notebook run: --timeout must be a number of seconds >= 0 (0: no limit), but got "${v}"`);
    } else if (a === '--allow-errors') allowErrors = true;
    else if (a === '--seed') {
      const v = value();
      seed = Number(v);
      if (!Number.isSafeInteger(seed)) throw new Error(`Error in convkan-notebook run: --seed must be an integer, but got "${v}"`);
    } else if (a === '--param' || a === '-p') {
      const [name, parsed] = parseParameter(value());
      parameters[name] = parsed;
    } else if (a === '--help' || a === '-h') return 'help';
    else if (a.startsWith('-')) throw new Error(`Error in convkan-notebook run: unknown option "${a}"\n\n${NOTEBOOK_CLI_USAGE}`);
    else if (input === undefined) input = a;
    else throw new Error(`Error in convkan-notebook run: expected one notebook, but got "${input}" and "${a}"`);
  }
  if (!input) throw new Error(`Error in convkan-notebook run: a notebook path is required\n\n${NOTEBOOK_CLI_USAGE}`);
  return { input, out: out ?? input.replace(/(\.ipynb)?$/, '.executed.ipynb'), timeoutSeconds, allowErrors, seed, parameters };
}

export async function runNotebookCli(argv: string[]): Promise<number> {
  if (argv[0] === 'export') return runExportCli(argv.slice(1));
  const args = parseNotebookCliArgs(argv);
  if (args === 'help') {
    console.log(NOTEBOOK_CLI_USAGE);
    return 0;
  }
  const nb = readNotebook(args.input);
  nb.cells = injectParameters(nb.cells, args.parameters, nb.nbformat_minor >= 5 ? () => randomUUID().slice(0, 8) : undefined);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const stop = abortOnSignals();
  let result;
  try {
    result = await runNotebook(nb, path.dirname(path.resolve(args.input)), {
      timeoutSeconds: args.timeoutSeconds,
      allowErrors: args.allowErrors,
      record: { seed: args.seed, parameters: args.parameters },
      log,
      signal: stop.signal,
      onCellDone: (partial) => writeNotebook(args.out, partial),
    });
  } finally {
    stop.uninstall();
  }
  writeNotebook(args.out, result.notebook);
  const counts = { ok: 0, error: 0, timeout: 0, skipped: 0 };
  for (const c of result.cells) counts[c.status]++;
  log(`wrote ${args.out}: ${counts.ok} ok, ${counts.error} failed, ${counts.timeout} timed out, ${counts.skipped} not run`);
  const signal = stop.received();
  if (signal) return SIGNAL_EXIT_CODE[signal];
  return result.failed ? 1 : 0;
}

if (require.main === module) {
  runNotebookCli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: Error) => {
      console.error(e.message);
      process.exitCode = 2;
    },
  );
}
