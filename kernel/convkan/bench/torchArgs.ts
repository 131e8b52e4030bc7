// Command-line flags of bench:torch: --shapes=a,b --reps=N --warmup=N --batch=N --threads=N
// --backend=wasm|cpu --out=FILE --tiny --no-latency.
import { DEFAULT_WARMUP } from './measure';

export interface TorchBenchArgs {
  shapes: string[] | 'all';
  reps: number;
  warmup: number;
  batch: number;
  /** Threads on both sides: torch.set_num_threads and CONVKAN_WASM_THREADS. */
  threads: number;
  backend: 'wasm' | 'cpu';
  out: string;
  tiny: boolean;
  /** Also time batch-1 forward latency on shape (b). */
  latency: boolean;
}

const KNOWN = ['shapes', 'reps', 'warmup', 'batch', 'threads', 'backend', 'out', 'tiny', 'no-latency'];

export function parseTorchBenchArgs(argv: string[]): TorchBenchArgs {
  const args: TorchBenchArgs = {
    shapes: 'all',
    reps: 10,
    warmup: DEFAULT_WARMUP,
    batch: 32,
    threads: 2,
    backend: 'wasm',
    out: 'bench-results/torch.json',
    tiny: false,
    latency: true,
  };
  for (const a of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !KNOWN.includes(m[1] as string))
      throw new Error(`benchTorch: unknown argument ${JSON.stringify(a)}; expected one of ${KNOWN.map((k) => `--${k}`).join(', ')}.`);
    const key = m[1] as string;
    const value = m[2];
    const need = (): string => {
      if (value === undefined || value === '') throw new Error(`benchTorch: --${key} needs a value, e.g. --${key}=...`);
      return value;
    };
    const int = (min: number): number => {
      const n = Number(need());
      if (!Number.isInteger(n) || n < min)
        throw new Error(`benchTorch: --${key} must be an integer >= ${min}, but got ${JSON.stringify(value)}.`);
      return n;
    };
    switch (key) {
      case 'shapes':
        args.shapes = need()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case 'reps':
        args.reps = int(1);
        break;
      case 'warmup':
        args.warmup = int(0);
        break;
      case 'batch':
        args.batch = int(1);
        break;
      case 'threads':
        args.threads = int(1);
        break;
      case 'backend': {
        const b = need();
        if (b !== 'wasm' && b !== 'cpu') throw new Error(`benchTorch: --backend must be wasm or cpu, but got ${JSON.stringify(b)}.`);
        args.backend = b;
        break;
      }
      case 'out':
        args.out = need();
        break;
      case 'tiny':
        args.tiny = true;
        break;
      case 'no-latency':
        args.latency = false;
        break;
    }
  }
  return args;
}
