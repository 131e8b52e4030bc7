// Environment every kernel process gets from us (kernelspec "env" and startKernel's spawn).
// glibc otherwise returns freed multi-MB blocks to the OS, and TF.js's cpu backend allocates a
// fresh typed array per op output; fresh pages cost ~15 µs each on these VMs. Transparent huge
// pages plus keeping freed memory cut a fresh 64 MB alloc+fill from 268 ms to 12 ms
// (shared/notes/machine-performance.md; the kernel benchmark measures start-up with and without).
export const GLIBC_TUNABLES_VALUE =
  'glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=4294967296:glibc.malloc.mmap_threshold=33554432';

export const KERNEL_ENV: Readonly<Record<string, string>> = { GLIBC_TUNABLES: GLIBC_TUNABLES_VALUE };
