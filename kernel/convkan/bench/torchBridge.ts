// The PyTorch side of bench:torch: finds a python3 that can `import torch` and drives
// torch_layers.py over stdin/stdout, one JSON object per line, so torch and our layers can be
// timed interleaved in one run. PyTorch is optional: where none is found the caller says so.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { CHEBYSHEV_DEGREE, GRID_SIZE, SPLINE_ORDER, type LayerShape } from './layerShapes';

export const TORCH_SCRIPT = path.join(__dirname, 'torch_layers.py');
export const PYTHON_ENV = 'CONVKAN_PYTHON';
export const TORCH_INSTALL_HINT =
  "PyTorch not found: install Debian's python3-torch (apt-get install python3-torch), " +
  'or set CONVKAN_PYTHON to a python3 that can import torch.';

/**
 * CONVKAN_PYTHON if set, else the first of python3 (PATH) and /usr/bin/python3 (Debian's, where python3-torch installs) that imports torch.
 */
export function findTorchPython(env: Record<string, string | undefined> = process.env): string | undefined {
  const forced = env[PYTHON_ENV];
  const candidates = forced ? [forced] : ['python3', '/usr/bin/python3'];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    if (r.status === 0) return py;
  }
  return undefined;
}

export type TorchReply = Record<string, unknown>;

/** One torch_layers.py process; request() sends a command and resolves with its reply. */
export class TorchServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly replies: Array<(line: string) => void> = [];
  private stderr = '';
  private exited: string | undefined;

  constructor(python: string, threads: number) {
    // OMP/MKL threads pinned too: torch.set_num_threads sets intra-op threads only.
    const env = { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
    this.child = spawn(python, [TORCH_SCRIPT, String(threads)], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => this.replies.shift()?.(line));
    this.child.on('exit', (code, signal) => {
      this.exited = `torch_layers.py exited (${code ?? signal})${this.stderr ? `: ${this.stderr.trim()}` : ''}`;
      for (const r of this.replies.splice(0)) r('');
    });
  }

  request(msg: Record<string, unknown>): Promise<TorchReply> {
    if (this.exited) return Promise.reject(new Error(this.exited));
    return new Promise((resolve, reject) => {
      this.replies.push((line) => {
        if (!line) return reject(new Error(this.exited ?? 'torch_layers.py closed its output'));
        const r = JSON.parse(line) as TorchReply;
        if (typeof r['error'] === 'string') reject(new Error(`torch_layers.py ${String(msg['cmd'])}: ${r['error']}`));
        else resolve(r);
      });
      this.child.stdin.write(JSON.stringify(msg) + '\n');
    });
  }

  /** Runs one timed pass in torch; resolves with torch's own wall ms (no pipe overhead). */
  async time(label: string, phase: string, batch?: number): Promise<number> {
    const r = await this.request({ cmd: 'time', label, phase, ...(batch ? { batch } : {}) });
    return r['ms'] as number;
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}

/** torch_layers.py's setup request: build its layers for one shape, with the settings ours use. */
export function torchSetupMessage(s: LayerShape, batch: number): TorchReply {
  return {
    cmd: 'setup',
    batch,
    cin: s.inChannels,
    cout: s.outChannels,
    size: s.size,
    groups: s.groups,
    grid: GRID_SIZE,
    order: SPLINE_ORDER,
    degree: CHEBYSHEV_DEGREE,
  };
}
