// `npm run bench:kernel`: how fast the kernel starts and answers, measured with real clients.
//  - start: process spawn → first kernel_info_reply (our KernelClient), with and without the
//    GLIBC_TUNABLES the kernelspec sets;
//  - first cell: the first execute (loads the TypeScript service and TensorFlow.js);
//  - `1 + 1`: execute_request → execute_reply and iopub idle, median of many;
//  - the same through jupyter_client for our kernel and for Debian's ipykernel, when
//    /usr/bin/python3 has them (the numbers Jupyter frontends see).
// Prints a table and writes bench-results/kernel.json. A benchmark, not a test: nothing asserts speed.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../kernel/cli/packageRoot';
import { installKernelSpec, kernelMainPath } from '../../kernel/cli/kernelspec';
import { KernelClient } from '../../kernel/protocol/client';
import { createConnectionInfo, writeConnectionFile } from '../../kernel/protocol/connectionInfo';
import { KERNEL_ENV } from '../../kernel/protocol/kernelEnv';

const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);
const PYTHON = '/usr/bin/python3';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = () => Number(process.hrtime.bigint()) / 1e6;

interface OwnRun {
  startMs: number;
  firstCellMs?: number;
  roundTripsMs?: number[];
}

/** One kernel process: spawn → kernel_info_reply; optionally the first cell and ROUNDS × `1 + 1`. */
async function ownKernelRun(env: NodeJS.ProcessEnv, measureExecute: boolean): Promise<OwnRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-bench-'));
  const info = await createConnectionInfo();
  const file = path.join(dir, 'connection.json');
  writeConnectionFile(file, info);
  const client = await KernelClient.connect(info);
  const t0 = ms();
  const child = spawn(process.execPath, [kernelMainPath(), '--connection-file', file], { env, stdio: 'ignore' });
  try {
    await client.kernelInfo(60_000);
    const run: OwnRun = { startMs: ms() - t0 };
    if (measureExecute) {
      await client.ready();
      const t1 = ms();
      await client.execute('1 + 1').done();
      run.firstCellMs = ms() - t1;
      run.roundTripsMs = [];
      for (let i = 0; i < ROUNDS; i++) {
        const t = ms();
        const { reply } = await client.execute('1 + 1').done();
        run.roundTripsMs.push(ms() - t);
        if (reply.content.status !== 'ok') throw new Error(`1 + 1 failed: ${JSON.stringify(reply.content)}`);
      }
    }
    await client.shutdown(false, 10_000).catch(() => undefined);
    return run;
  } finally {
    await client.close();
    await waitForExit(child, 10_000);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Waits for the kernel process to end; a process that died by a signal has exitCode null (and its
 * 'exit' event is gone), and one that hangs at exit is killed after `graceMs`.
 */
async function waitForExit(child: ReturnType<typeof spawn>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

interface JupyterClientResult {
  kernel: string;
  start_median_ms: number;
  roundtrip_median_ms: number;
  roundtrip_min_ms: number;
  roundtrip_max_ms: number;
  rounds: number;
}

function jupyterClientRun(kernelName: string, env: NodeJS.ProcessEnv): JupyterClientResult | { kernel: string; error: string } {
  const script = path.join(__dirname, 'jupyterClientBench.py');
  const r = spawnSync(PYTHON, [script, kernelName, String(STARTS), String(ROUNDS)], { env, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0)
    return { kernel: kernelName, error: (r.stderr || r.error?.message || 'failed').trim().split('\n').slice(-3).join(' | ') };
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (!line) return { kernel: kernelName, error: `no result line in: ${r.stdout.slice(-300)}` };
  return JSON.parse(line.slice('BENCH_JSON '.length)) as JupyterClientResult;
}

async function main(): Promise<void> {
  if (!fs.existsSync(kernelMainPath())) throw new Error(`${kernelMainPath()} is missing: run \`npm run build\` first`);
  const base = { ...process.env, CONVKAN_HISTORY_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-bench-history-')) };
  const tuned = { ...base, ...KERNEL_ENV };
  const plain = { ...base, GLIBC_TUNABLES: '' };

  // Alternate the two variants so drifting machine load hits both alike.
  const starts: Record<'tuned' | 'plain', number[]> = { tuned: [], plain: [] };
  for (let i = 0; i < STARTS; i++) {
    starts.tuned.push((await ownKernelRun(tuned, false)).startMs);
    starts.plain.push((await ownKernelRun(plain, false)).startMs);
  }
  const execTuned = await ownKernelRun(tuned, true);
  const execPlain = await ownKernelRun(plain, true);

  // jupyter_client: our kernel (installed into a temporary prefix) and ipykernel.
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-bench-jupyter-'));
  installKernelSpec({ location: { kind: 'prefix', dir: prefix }, name: 'convkan-bench' });
  const jupyterEnv = { ...base, JUPYTER_PATH: path.join(prefix, 'share', 'jupyter'), JUPYTER_RUNTIME_DIR: path.join(prefix, 'runtime') };
  // BENCH_JUPYTER=0 leaves out the jupyter_client comparison (the benchmark's own smoke test does).
  const viaJupyter =
    process.env.BENCH_JUPYTER === '0' ? [] : [jupyterClientRun('convkan-bench', jupyterEnv), jupyterClientRun('python3', jupyterEnv)];
  fs.rmSync(prefix, { recursive: true, force: true });

  const rows: Array<[string, string, string, string]> = [
    [
      'ConvKAN kernel, KernelClient, GLIBC_TUNABLES',
      fmt(median(starts.tuned)),
      fmt(execTuned.firstCellMs),
      fmt(median(execTuned.roundTripsMs!)),
    ],
    [
      'ConvKAN kernel, KernelClient, default malloc',
      fmt(median(starts.plain)),
      fmt(execPlain.firstCellMs),
      fmt(median(execPlain.roundTripsMs!)),
    ],
    ...viaJupyter.map((r): [string, string, string, string] =>
      'error' in r
        ? [`${r.kernel} via jupyter_client`, `error: ${r.error}`, '', '']
        : [
            `${r.kernel === 'python3' ? 'ipykernel' : 'ConvKAN kernel'} via jupyter_client`,
            fmt(r.start_median_ms),
            '',
            fmt(r.roundtrip_median_ms),
          ],
    ),
  ];
  const header: [string, string, string, string] = [
    'kernel / client',
    'start → kernel_info (median ms)',
    'first cell (ms)',
    '`1 + 1` round trip (median ms)',
  ];
  printTable([header, ...rows]);

  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
    starts: STARTS,
    rounds: ROUNDS,
    own: {
      tuned: {
        startMs: starts.tuned,
        startMedianMs: median(starts.tuned),
        firstCellMs: execTuned.firstCellMs,
        roundTripMedianMs: median(execTuned.roundTripsMs!),
        roundTripMinMs: Math.min(...execTuned.roundTripsMs!),
        roundTripMaxMs: Math.max(...execTuned.roundTripsMs!),
      },
      plain: {
        startMs: starts.plain,
        startMedianMs: median(starts.plain),
        firstCellMs: execPlain.firstCellMs,
        roundTripMedianMs: median(execPlain.roundTripsMs!),
        roundTripMinMs: Math.min(...execPlain.roundTripsMs!),
        roundTripMaxMs: Math.max(...execPlain.roundTripsMs!),
      },
    },
    jupyterClient: viaJupyter,
    notes: 'start = spawn → first kernel_info_reply; round trip = execute_request → execute_reply + iopub idle',
  };
  const out = process.env.BENCH_OUT ?? path.join(packageRoot(), 'bench-results', 'kernel.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`\n${JSON.stringify(result)}\n\nwrote ${out}`);
  fs.rmSync(base.CONVKAN_HISTORY_DIR, { recursive: true, force: true });
}

function fmt(v: number | undefined): string {
  return v === undefined ? '' : v.toFixed(v < 100 ? 2 : 0);
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  rows.forEach((r, k) => {
    console.log(`| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`);
    if (k === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  });
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exitCode = 1;
});
