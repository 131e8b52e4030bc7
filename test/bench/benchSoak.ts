// `npm run bench:soak`: a long session over one kernel (loopback only, a fresh kernel with its
// own random key), as a user who runs cell after cell: every cell prints a line and returns a
// value. Reports cells/s and the kernel's resident memory (VmRSS, which includes its worker
// threads) per window of cells, so a slowdown or a leak over the session shows. Bounded: at most
// MAX_CELLS cells. Prints a table and writes bench-results/soak.json. A benchmark, not a test:
// nothing asserts speed.
//   SOAK_CELLS (default 2000), SOAK_WINDOW (default 250), CONVKAN_EXECUTOR_MODULE (default: the real
//   TypeScript executor), BENCH_OUT.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../kernel/cli/packageRoot';
import { startKernel } from '../../kernel/protocol/connection';

const MAX_CELLS = 100_000;
const CELLS = Math.min(Number(process.env.SOAK_CELLS ?? 2000), MAX_CELLS);
const WINDOW = Math.max(1, Number(process.env.SOAK_WINDOW ?? 250));

/** Resident set size of a process in MiB (Linux /proc; ps elsewhere). */
function rssMiB(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

interface Window {
  cellsDone: number;
  cellsPerSecond: number;
  rssMiB: number;
}

async function main(): Promise<void> {
  const historyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-soak-history-'));
  const kernel = await startKernel({ env: { CONVKAN_HISTORY_DIR: historyDir } });
  const windows: Window[] = [];
  try {
    // The first cell loads the TypeScript service and TensorFlow.js: not part of the soak.
    await kernel.client.execute('0').done();
    const pid = kernel.process.pid!;
    const rssStart = rssMiB(pid);
    console.log(
      `soak: ${CELLS} cells over one kernel, window ${WINDOW}; ${os.cpus().length} logical CPUs, ${os.cpus()[0]?.model}, ` +
        `load average ${os.loadavg()[0].toFixed(1)}\n`,
    );
    console.log('| cells done | cells/s (window) | kernel RSS MiB |');
    console.log('|-----------:|-----------------:|---------------:|');
    console.log(`| 0 (after first cell) | | ${rssStart.toFixed(0)} |`);
    let windowStart = process.hrtime.bigint();
    for (let i = 1; i <= CELLS; i++) {
      const { reply, outputs } = await kernel.client.execute(`console.log("cell ${i}");\n${i} * 2`).done();
      if (reply.content.status !== 'ok' || outputs.length < 2) throw new Error(`cell ${i} failed: ${JSON.stringify(reply.content)}`);
      if (i % WINDOW === 0 || i === CELLS) {
        const now = process.hrtime.bigint();
        const n = i % WINDOW === 0 ? WINDOW : i % WINDOW;
        const w = { cellsDone: i, cellsPerSecond: n / (Number(now - windowStart) / 1e9), rssMiB: rssMiB(pid) };
        windows.push(w);
        // Row by row: a long soak shows its trend while it runs.
        console.log(`| ${w.cellsDone} | ${w.cellsPerSecond.toFixed(1)} | ${w.rssMiB.toFixed(0)} |`);
        windowStart = now;
      }
    }
    const result = {
      benchmark: 'soak',
      cells: CELLS,
      window: WINDOW,
      executor: process.env.CONVKAN_EXECUTOR_MODULE ?? 'kernel/exec/executor (TypeScript)',
      clock: 'process.hrtime (monotonic), wall time per window',
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        node: process.version,
        loadavg: os.loadavg(),
        date: new Date().toISOString(),
      },
      transport: `${kernel.connectionInfo.transport}://${kernel.connectionInfo.ip} (loopback)`,
      rssStartMiB: rssStart,
      windows,
    };
    const out = process.env.BENCH_OUT ?? path.join(packageRoot(), 'bench-results', 'soak.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
    console.log(`\nwrote ${out}`);
  } finally {
    await kernel.dispose();
    fs.rmSync(historyDir, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exitCode = 1;
});
