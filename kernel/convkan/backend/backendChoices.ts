// The TensorFlow.js backends ConvKAN can run on, in the order 'auto' tries them: the one list that
// initBackend, the kernel and the VS Code extension (setting, quick pick) all read. It has no
// imports, so the extension can bundle it without TensorFlow.js; package.json's `convkan.backend`
// enum cannot import it and is checked against it by test/extension/backendChoices.test.ts.

/** Environment variable that forces a backend in the kernel (the extension sets it from its setting). */
export const BACKEND_ENV = 'CONVKAN_BACKEND';

export interface BackendPackage {
  /** npm package that provides the backend. */
  pkg: string;
  /** Short name in "auto tries …" texts. */
  short: string;
  /** Label of the running backend when this package provides it (wasm adds SIMD and threads). */
  label: string;
}

export interface BackendDefinition {
  /** tfjs backend name, as tf.getBackend() reports it. */
  id: string;
  /** One line for the settings UI and the backend quick pick. */
  description: string;
  /** Packages that provide it, in order of preference. */
  packages: readonly BackendPackage[];
}

export const BACKENDS = [
  {
    id: 'tensorflow',
    description: 'native TensorFlow (@tensorflow/tfjs-node or -gpu)',
    packages: [
      { pkg: '@tensorflow/tfjs-node-gpu', short: 'tfjs-node-gpu', label: 'GPU (tfjs-node-gpu)' },
      { pkg: '@tensorflow/tfjs-node', short: 'tfjs-node', label: 'tensorflow (tfjs-node)' },
    ],
  },
  {
    id: 'wasm',
    description: 'WebAssembly with SIMD and threads',
    packages: [{ pkg: '@tensorflow/tfjs-backend-wasm', short: 'wasm', label: 'wasm' }],
  },
  {
    id: 'cpu',
    description: 'plain JavaScript (slowest, always available)',
    packages: [{ pkg: '@tensorflow/tfjs-backend-cpu', short: 'cpu', label: 'cpu' }],
  },
] as const satisfies readonly BackendDefinition[];

export type BackendId = (typeof BACKENDS)[number]['id'];
/** What a user may ask for: a backend, or 'auto' (the first of BACKENDS that starts). */
export type BackendChoice = 'auto' | BackendId;
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', ...BACKENDS.map((b) => b.id)];

export function isBackendChoice(value: unknown): value is BackendChoice {
  return typeof value === 'string' && (BACKEND_CHOICES as readonly string[]).includes(value);
}

/** The definition of one backend (never 'auto'). */
export function backendDefinition(id: BackendId): (typeof BACKENDS)[number] {
  const found = BACKENDS.find((b) => b.id === id);
  if (!found) throw new Error(`Unknown backend: expected one of ${BACKENDS.map((b) => b.id).join(', ')}, but got ${JSON.stringify(id)}.`);
  return found;
}

/** One line per choice, e.g. auto → "tfjs-node-gpu, then tfjs-node, then wasm, then cpu". */
export function describeBackendChoice(choice: BackendChoice): string {
  if (choice === 'auto') return BACKENDS.flatMap((b) => b.packages.map((p) => p.short)).join(', then ');
  return backendDefinition(choice).description;
}
