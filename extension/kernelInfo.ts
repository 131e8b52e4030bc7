// Reads which TensorFlow.js backend a kernel runs on from its kernel_info_reply. A kernel may
// report it in a dedicated `convkan: { backend, label, reason }` field; otherwise the banner is
// parsed ("backend: wasm (…)", "TensorFlow.js backend wasm", …). The kernel answers kernel_info
// before TensorFlow.js has loaded, so "not known yet" is a normal answer (undefined).

export interface KernelBackend {
  /** Backend name as TensorFlow.js reports it: tensorflow, wasm, cpu, webgl … */
  name: string;
  /** Human label, e.g. "tensorflow (GPU)"; defaults to the name. */
  label: string;
  /** Why this backend was chosen, when the kernel says. */
  reason?: string;
}

const KNOWN_BACKENDS = ['tensorflow', 'wasm', 'cpu', 'webgl', 'webgpu'];

function fromField(value: unknown): KernelBackend | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.backend !== 'string' || !v.backend) return undefined;
  return {
    name: v.backend,
    label: typeof v.label === 'string' && v.label ? v.label : v.backend,
    reason: typeof v.reason === 'string' && v.reason ? v.reason : undefined,
  };
}

/** The backend named in a banner line such as "TensorFlow.js 4.22.0, backend: wasm (tfjs-node not installed)". */
export function backendFromBanner(banner: string): KernelBackend | undefined {
  const names = KNOWN_BACKENDS.join('|');
  const re = new RegExp(`backend\\s*[:=]?\\s*['"]?(${names})\\b['"]?(?:\\s*\\(([^)\\n]*)\\))?([^\\n]*)`, 'i');
  const m = re.exec(banner);
  if (!m) return undefined;
  const name = m[1].toLowerCase();
  const detail = (m[2] ?? '').trim();
  const isGpu = /\bgpu\b/i.test(detail) || /\bgpu\b/i.test(m[3] ?? '');
  return {
    name,
    label: name === 'tensorflow' && isGpu ? 'tensorflow (GPU)' : name,
    reason: detail || undefined,
  };
}

export function backendFromKernelInfo(content: Record<string, unknown>): KernelBackend | undefined {
  const direct = fromField(content.convkan);
  if (direct) return direct;
  return typeof content.banner === 'string' ? backendFromBanner(content.banner) : undefined;
}
