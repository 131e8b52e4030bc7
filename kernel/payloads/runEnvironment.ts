// Where a result was measured: the record executed notebooks carry in their metadata (the type
// kernel/protocol/runRecord.ts uses) and timing payloads carry in `environment`, so two timings
// are never compared blindly. kernel/convkan/repro/runEnvironment.ts builds it; the library cannot
// import the kernel, so it declares the same fields, and test/unit/payloads.test.ts keeps the two
// in step.
import * as v from './check';

export interface RunEnvironment {
  /** tfjs backend name: 'tensorflow' | 'wasm' | 'cpu' (or whatever tf.getBackend() says). */
  backend: string;
  /** wasm threads; 1 for the other backends. */
  threads: number;
  tfjs: string;
  /** The ConvKAN Notebook package version. */
  convkan: string;
  node: string;
  /** convkan.seed's seed, null when unseeded. */
  seed: number | null;
}

export function parseRunEnvironment(value: unknown, path: string): RunEnvironment {
  const o = v.object(value, path);
  return {
    backend: v.string(o.backend, `${path}.backend`),
    threads: v.int(o.threads, `${path}.threads`, 1),
    tfjs: v.string(o.tfjs, `${path}.tfjs`),
    convkan: v.string(o.convkan, `${path}.convkan`),
    node: v.string(o.node, `${path}.node`),
    seed: o.seed === null ? null : v.finite(o.seed, `${path}.seed`),
  };
}
