// Runs a Node script with the kernel's allocator settings: `node --import tsx
// kernel/cli/tunedNode.ts SCRIPT ARGS…` starts `node --import tsx SCRIPT ARGS…` with
// GLIBC_TUNABLES merged from the user's value and ours (kernel/protocol/kernelEnv.ts). The
// benchmark scripts start this way (package.json), so they measure what the kernel runs with.
// glibc reads the variable only at process start: it cannot be set from inside the script.
import { spawnSync } from 'node:child_process';
import { kernelEnv } from '../protocol/kernelEnv';

/** The child's argv and env: this process' execArgv (e.g. --import tsx) then script and args. */
export function tunedNodeCommand(
  argv: string[],
  execArgv: string[] = process.execArgv,
  env: NodeJS.ProcessEnv = process.env,
): { args: string[]; env: NodeJS.ProcessEnv } {
  if (argv.length === 0)
    throw new Error('tunedNode: expected a script to run, e.g. tunedNode.ts kernel/convkan/bench/benchLayers.ts --reps=5.');
  return { args: [...execArgv, ...argv], env: { ...env, ...kernelEnv(env) } };
}

if (require.main === module) {
  try {
    const { args, env } = tunedNodeCommand(process.argv.slice(2));
    const r = spawnSync(process.execPath, args, { stdio: 'inherit', env });
    process.exitCode = r.status ?? 1;
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
  }
}
