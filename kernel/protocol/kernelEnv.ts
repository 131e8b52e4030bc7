// Environment every kernel process gets from us (kernelspec "env", startKernel's and the
// extension's spawn; the benchmarks start through kernel/cli/tunedNode.ts).
// glibc otherwise returns freed multi-MB blocks to the OS, and TF.js's cpu backend allocates a
// fresh typed array per op output; fresh pages cost ~15 µs each on these VMs. Transparent huge
// pages plus keeping freed memory cut a fresh 64 MB alloc+fill from 268 ms to 12 ms
// (shared/notes/machine-performance.md; README "Benchmarks" has the before/after of the layers).
// glibc reads GLIBC_TUNABLES only at process start, so it must be set by whoever starts Node.
export const GLIBC_TUNABLES_VALUE = 'glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=4294967296:glibc.malloc.mmap_threshold=33554432';

export const GLIBC_TUNABLES_ENV = 'GLIBC_TUNABLES';

/**
 * A user's GLIBC_TUNABLES with ours added: every tunable the user set keeps the user's value
 * (so `GLIBC_TUNABLES=glibc.malloc.hugetlb=0` turns huge pages off), ours fill in the rest.
 */
export function mergeGlibcTunables(user: string | undefined): string {
  const parts = (user ?? '').split(':').filter((p) => p.trim() !== '');
  const userKeys = new Set(parts.map((p) => p.split('=')[0]));
  const ours = GLIBC_TUNABLES_VALUE.split(':').filter((p) => !userKeys.has(p.split('=')[0]));
  return [...parts, ...ours].join(':');
}

/** The variables a kernel gets on top of `env` (the environment it would otherwise inherit). */
export function kernelEnv(env: Record<string, string | undefined> = process.env): Record<string, string> {
  return { [GLIBC_TUNABLES_ENV]: mergeGlibcTunables(env[GLIBC_TUNABLES_ENV]) };
}

/** Our variables alone, as a kernelspec stores them. */
export const KERNEL_ENV: Readonly<Record<string, string>> = { [GLIBC_TUNABLES_ENV]: GLIBC_TUNABLES_VALUE };

/** process.env, then `extra` (caller's variables), with GLIBC_TUNABLES merged from both: the env of a kernel we spawn. */
export function spawnKernelEnv(extra: Record<string, string> = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const merged = { ...base, ...extra };
  return { ...merged, ...kernelEnv(merged) };
}
