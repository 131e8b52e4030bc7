// What a result depends on besides the code: backend and threads, versions, seed. Executed
// notebooks and timing payloads carry this record, so two results are never compared blindly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeBackend } from '../backend/initBackend';
import { currentSeed } from './globalSeed';

export interface RunEnvironment {
  /** tfjs backend name: 'tensorflow' | 'wasm' | 'cpu' (or whatever tf.getBackend() says). */
  backend: string;
  /** wasm threads; 1 for the other backends (tfjs-node's own pool is not reported). */
  threads: number;
  tfjs: string;
  /** The ConvKAN Notebook package version (library and kernel ship together). */
  convkan: string;
  node: string;
  /** convkan.seed's seed, null when unseeded. */
  seed: number | null;
}

let libraryVersion: string | undefined;

/** Version of the nearest package.json above this file (convkan-notebook's). */
function packageVersion(): string {
  if (libraryVersion !== undefined) return libraryVersion;
  libraryVersion = 'unknown';
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    libraryVersion = (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
    break;
  }
  return libraryVersion;
}

/** The environment now. Call after the backend is ready (initBackend or tf.ready()). */
export function runEnvironment(): RunEnvironment {
  let backend = 'unknown';
  let threads = 1;
  try {
    const info = describeBackend();
    backend = info.name ?? 'unknown';
    threads = info.threads ?? 1;
  } catch {
    // No backend yet: leave 'unknown'.
  }
  return { backend, threads, tfjs: tf.version.tfjs, convkan: packageVersion(), node: process.version, seed: currentSeed() };
}
