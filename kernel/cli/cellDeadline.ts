// The runner's per-cell time limit. A cell past its limit is interrupted; if the kernel does not
// answer the interrupt within the grace period (a native call that ignores SIGINT, a hung
// kernel), the cell is given up and the run must stop: the kernel cannot be trusted with the next
// cell. A kernel that dies fails the cell at once (the client rejects what was pending).

import type { ExecuteReply, Message } from '../protocol/messages';

/** Default limit per cell, in seconds (nbclient has none, which leaves CI jobs hanging). */
export const DEFAULT_CELL_TIMEOUT_S = 600;
/** How long an interrupted cell has to end before the runner gives up on the kernel. */
export const INTERRUPT_GRACE_S = 10;

export type CellEnd =
  | { kind: 'reply'; reply: Message<ExecuteReply>; timedOut: boolean }
  /** Timed out, and the interrupt did not end it within the grace period. */
  | { kind: 'unresponsive' }
  /** The kernel died or the client was closed. */
  | { kind: 'failed'; error: Error };

/**
 * Waits for a cell's reply (and its outputs, `done`), interrupting it after timeoutSeconds (0: no
 * limit) and giving up INTERRUPT_GRACE_S later.
 */
export async function awaitCell(
  done: Promise<Message<ExecuteReply>>,
  interrupt: () => Promise<unknown>,
  timeoutSeconds: number,
  graceSeconds = INTERRUPT_GRACE_S,
): Promise<CellEnd> {
  let timedOut = false;
  const timers: NodeJS.Timeout[] = [];
  const giveUp = new Promise<'unresponsive'>((resolve) => {
    if (timeoutSeconds <= 0) return;
    timers.push(
      setTimeout(() => {
        timedOut = true;
        void interrupt().catch(() => undefined);
        timers.push(setTimeout(() => resolve('unresponsive'), graceSeconds * 1000));
      }, timeoutSeconds * 1000),
    );
  });
  try {
    const outcome = await Promise.race([done, giveUp]);
    if (outcome === 'unresponsive') return { kind: 'unresponsive' };
    return { kind: 'reply', reply: outcome, timedOut };
  } catch (e) {
    return { kind: 'failed', error: e as Error };
  } finally {
    for (const t of timers) clearTimeout(t);
  }
}
