// What every cell finds ready: TensorFlow.js on the backend the ConvKAN library picks, the library
// itself, and the display API. Loading TF.js takes seconds, so the executor starts this in the
// background and awaits it before the first cell; modules are required here, lazily, for that reason.

import fs from 'node:fs';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import ts from 'typescript';
import type * as Convkan from '../convkan';
import type * as Display from '../display';
import type { BackendDescription } from './executorApi';

export interface Runtime {
  tf: typeof TF;
  /** The ConvKAN library's exports (kernel/convkan/index.ts), or undefined when it could not load. */
  convkan?: Record<string, unknown>;
  /** Why the library is missing, when it is. */
  convkanError?: string;
  display: typeof Display;
  backend: BackendDescription;
}

/** kernel/ (sources under tsx, out/kernel when compiled). */
export const KERNEL_DIR = path.resolve(__dirname, '..');

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Requires a module of the kernel, telling "not there (yet)" apart from "there but broken". */
function requireOptional(id: string): { module?: Record<string, unknown>; error?: string } {
  try {
    return { module: require(id) as Record<string, unknown> };
  } catch (err) {
    return { error: describe(err) };
  }
}

export async function loadRuntime(): Promise<Runtime> {
  const tf = require('@tensorflow/tfjs') as typeof TF;
  const display = require('../display') as typeof Display;
  const lib = requireOptional('../convkan');
  const convkan = lib.module as typeof Convkan | undefined;
  let backend: BackendDescription;
  if (convkan) {
    try {
      const { name, label, reason } = await convkan.initBackend();
      backend = { name, label, reason };
    } catch (err) {
      await tf.ready();
      backend = { name: tf.getBackend(), label: tf.getBackend(), reason: `initBackend failed (${describe(err)}); TensorFlow.js default` };
    }
    // CONVKAN_SEED (the runner's --seed) seeds every kernel start, restarts included.
    try {
      convkan.seedFromEnv();
    } catch (err) {
      backend.reason += `; ${describe(err)} (ignored, unseeded)`;
    }
  } else {
    await tf.ready();
    backend = {
      name: tf.getBackend(),
      label: tf.getBackend(),
      reason: 'ConvKAN library not loaded, so no backend selection; TensorFlow.js default',
    };
  }
  return { tf, convkan: lib.module, convkanError: lib.error, display, backend };
}

/** The library's classes (ConvKAN2D, KANLinear, …) are globals too; everything else is `convkan.x`. */
export function libraryGlobalNames(lib: Record<string, unknown>): string[] {
  return Object.keys(lib).filter((name) => /^[A-Z][\w$]*$/.test(name) && typeof lib[name] === 'function');
}

function packageVersion(): string {
  for (let dir = KERNEL_DIR; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version ?? '?';
  }
  return '?';
}

export function bannerText(rt: Runtime | undefined, loadError?: string): string {
  const lines = [`ConvKAN Notebook kernel ${packageVersion()} — TypeScript ${ts.version} on Node.js ${process.versions.node}`];
  if (rt) {
    lines.push(`TensorFlow.js ${rt.tf.version.tfjs}, backend: ${rt.backend.label} (${rt.backend.reason})`);
    lines.push(
      rt.convkan
        ? `Globals: tf, convkan, display, ${libraryGlobalNames(rt.convkan).join(', ')}`
        : `Globals: tf, display (ConvKAN library not loaded: ${rt.convkanError})`,
    );
  } else {
    lines.push(`TensorFlow.js failed to load: ${loadError}`);
  }
  return lines.join('\n');
}

/**
 * Absolute module paths whose types the language service gives the globals: the library's and
 * display's emitted declarations (index.d.ts) next to the compiled kernel, or their sources when
 * the kernel runs from kernel/ under tsx. Given without extension, so TypeScript resolves either.
 */
export function globalTypeModules(): { tfModule: string; convkanModule?: string; displayModule?: string } {
  const tfModule = path.dirname(require.resolve('@tensorflow/tfjs/package.json'));
  const at = (dir: string) => {
    const index = path.join(KERNEL_DIR, dir, 'index');
    return fs.existsSync(`${index}.d.ts`) || fs.existsSync(`${index}.ts`) ? index : undefined;
  };
  return { tfModule, convkanModule: at('convkan'), displayModule: at('display') };
}
