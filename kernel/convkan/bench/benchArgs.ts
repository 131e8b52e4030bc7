// Command-line flags of benchLayers: --backends=wasm,cpu --reps=N --warmup=N --batch=N --shapes=a,b --out=FILE --tiny --clock=wall|cpu.
import { DEFAULT_WARMUP, type Clock } from './measure';

export interface BenchArgs {
  backends: string[] | 'available';
  reps: number | undefined;
  /** Untimed runs of each candidate before the timed ones. */
  warmup: number;
  batch: number;
  shapes: string[] | 'all';
  out: string;
  tiny: boolean;
  clock: Clock;
}

const KNOWN = ['backends', 'reps', 'warmup', 'batch', 'shapes', 'out', 'tiny', 'clock'];

export function parseBenchArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = {
    backends: 'available',
    reps: undefined,
    warmup: DEFAULT_WARMUP,
    batch: 32,
    shapes: 'all',
    out: 'bench-results/layers.json',
    tiny: false,
    clock: 'wall',
  };
  for (const a of argv) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(a);
    if (!m || !KNOWN.includes(m[1] as string))
      throw new Error(`benchLayers: unknown argument ${JSON.stringify(a)}; expected one of ${KNOWN.map((k) => `--${k}`).join(', ')}.`);
    const [, key, value] = m as unknown as [string, string, string | undefined];
    const need = () => {
      if (value === undefined || value === '') throw new Error(`benchLayers: --${key} needs a value, e.g. --${key}=...`);
      return value;
    };
    const positive = () => {
      const n = Number(need());
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`benchLayers: --${key} must be a positive integer, but got ${JSON.stringify(value)}.`);
      return n;
    };
    switch (key) {
      case 'backends':
        args.backends = need()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case 'reps':
        args.reps = positive();
        break;
      case 'warmup': {
        const n = Number(need());
        if (!Number.isInteger(n) || n < 0)
          throw new Error(`benchLayers: --warmup must be a non-negative integer, but got ${JSON.stringify(value)}.`);
        args.warmup = n;
        break;
      }
      case 'batch':
        args.batch = positive();
        break;
      case 'shapes':
        args.shapes = need()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case 'out':
        args.out = need();
        break;
      case 'tiny':
        args.tiny = true;
        break;
      case 'clock': {
        const c = need();
        if (c !== 'wall' && c !== 'cpu') throw new Error(`benchLayers: --clock must be wall or cpu, but got ${JSON.stringify(c)}.`);
        args.clock = c;
        break;
      }
    }
  }
  return args;
}
