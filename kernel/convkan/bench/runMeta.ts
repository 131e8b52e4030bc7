// What every benchmark's JSON says about the run itself, so results from two machines or two
// library versions are never compared by mistake.
import * as os from 'node:os';
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
