// Rejects exact replays of signed messages: a captured request sent again carries the same HMAC,
// and must not run twice. Like ipykernel's digest_history: every signature seen is remembered;
// beyond MAX_SIGNATURES the oldest are forgotten (a replay that old only repeats an old request).
// Without a key (signatures empty) there is nothing to compare and nothing is rejected.

const MAX_SIGNATURES = 1 << 16;

export class ReplayGuard {
  private readonly seen = new Set<string>();

  /** True when this signature came before (the message is a replay); records it otherwise. */
  isReplay(signature: string): boolean {
    if (!signature) return false;
    if (this.seen.has(signature)) return true;
    this.seen.add(signature);
    if (this.seen.size > MAX_SIGNATURES) {
      // A Set iterates in insertion order: the first entries are the oldest.
      const drop = this.seen.size - MAX_SIGNATURES;
      let n = 0;
      for (const old of this.seen) {
        if (n++ >= drop) break;
        this.seen.delete(old);
      }
    }
    return false;
  }
}
