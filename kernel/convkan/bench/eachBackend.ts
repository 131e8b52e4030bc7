// The backend loop benchLayers and benchBases share: start each wanted backend in turn, note its
// label and threads in the run's meta, and skip (with a note) one that cannot start when the user
// asked for whatever is available rather than naming backends.
import { BACKEND_ENV, BACKENDS, type BackendId } from '../backend/backendChoices';
import { initBackend, type BackendInfo } from '../backend/initBackend';
import type { BenchArgs } from './benchArgs';

/** Runs `body` on each backend of args.backends ('available': every one of BACKENDS), with its repetition count. */
export async function eachBackend(
  args: BenchArgs,
  /** Typed by backend id, so a new backend in backendChoices.ts needs its count here. */
  defaultReps: Record<BackendId, number>,
  meta: Record<string, string | number>,
  log: (line: string) => void,
  body: (info: BackendInfo, reps: number) => void,
): Promise<void> {
  const wanted = args.backends === 'available' ? BACKENDS.map((b) => b.id) : args.backends;
  for (const backend of wanted) {
    let info: BackendInfo;
    try {
      info = await initBackend({ prefer: backend, env: { ...process.env, [BACKEND_ENV]: backend } });
    } catch (e) {
      if (args.backends !== 'available') throw e;
      meta[`skipped ${backend}`] = (e as Error).message;
      log(`skipping ${backend}: ${(e as Error).message}`);
      continue;
    }
    meta[`backend ${backend}`] = info.label;
    meta[`threads ${backend}`] = info.threads ?? 1;
    const reps = args.reps ?? (defaultReps as Partial<Record<string, number>>)[backend] ?? 5;
    log(`${info.label}: ${reps} timed runs each (round-robin) after ${args.warmup} warm-ups, batch ${args.batch}, ${args.clock} clock`);
    body(info, reps);
  }
}
