// What every benchmark's JSON says about the run itself, so results from two machines or two
// library versions are never compared by mistake.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';

export function runMeta(batch: number): Record<string, string | number> {
  return {
    date: new Date().toISOString(),
    node: process.version,
    tfjs: tf.version_core,
    'tfjs-backend-wasm': version_wasm,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    logicalCpus: os.cpus().length,
    batch,
  };
}

/** The 1/5/15-minute load averages, "2.10 1.80 1.20": other processes competing for the cores. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
}

/** A benchmark program: parse argv, run, print the table, write the JSON to args.out (none when run gives nothing). */
export async function runBenchProgram<A extends { out: string }, P>(
  parse: (argv: string[]) => A,
  run: (args: A) => Promise<P>,
  format: (payload: P) => string,
): Promise<void> {
  const args = parse(process.argv.slice(2));
  const payload = await run(args);
  console.log('\n' + format(payload));
  if (payload === undefined) return;
  fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(payload, null, 2) + '\n');
  console.log(`\nwrote ${args.out}`);
}
