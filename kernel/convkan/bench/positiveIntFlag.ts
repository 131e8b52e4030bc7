// `--name=N` from the command line of a one-off benchmark script (benchFilterGrad, benchSparseConv,
// benchConstantFirst, benchElementwiseBases), N a positive integer; the npm bench:* commands parse theirs in benchArgs.ts.
export function positiveIntFlag(tool: string, name: string, fallback: number, argv: string[] = process.argv): number {
  const arg = argv.find((a) => a.startsWith(`--${name}=`));
  const n = arg ? Number(arg.slice(name.length + 3)) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${tool}: --${name} must be a positive integer, but got ${JSON.stringify(arg)}.`);
  return n;
}
