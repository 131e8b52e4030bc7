// A kernel whose launcher died ends itself instead of running on as an orphan (a cell stuck in
// a loop would otherwise burn a core forever), as ipykernel's parent poller does. jupyter_client
// names the launcher in JPY_PARENT_PID; our own launchers set it too. Watched from the control
// thread, so it works while the main thread runs a synchronous cell.

export const PARENT_PID_ENV = 'JPY_PARENT_PID';

/** The launcher's pid from the environment, when it names a real process other than init. */
export function launcherPid(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const pid = Number(env[PARENT_PID_ENV]);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, but not ours to signal
  }
}

/** Calls `onGone` once when `pid` no longer exists; returns a function that stops watching. */
export function watchLauncher(pid: number, onGone: () => void, intervalMs = 1000): () => void {
  const timer = setInterval(() => {
    if (processAlive(pid)) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
