// Input history for history_request (tail / range / search), as IPython keeps it: one numbered
// session per kernel start, lines numbered by execution_count. Kept in memory and appended to one
// JSON-lines file per session (dir from CONVKAN_HISTORY_DIR, else
// $XDG_DATA_HOME/convkan-notebook/history), so tail and search also see earlier sessions.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HistoryRequest } from './messages';

export interface HistoryEntry {
  session: number;
  line: number;
  input: string;
  output: string | null;
}

/** [session, line, input] or, when output was asked for, [session, line, [input, output]]. */
export type HistoryTuple = [number, number, string | [string, string | null]];

const FILE_PATTERN = /^session-(\d+)\.jsonl$/;
/** History holds code, and code holds secrets: readable by its owner only (as IPython's history.sqlite). */
const HISTORY_FILE_MODE = 0o600;
const HISTORY_DIR_MODE = 0o700;
/** Earlier sessions read for tail/search: enough for recall, bounded for start-up cost. */
const PAST_SESSIONS_READ = 20;

export function defaultHistoryDir(): string {
  if (process.env.CONVKAN_HISTORY_DIR) return process.env.CONVKAN_HISTORY_DIR;
  const data = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(data, 'convkan-notebook', 'history');
}

export class History {
  readonly session: number;
  private readonly entries: HistoryEntry[] = [];
  private readonly file?: string;
  private past?: HistoryEntry[];

  /** dir undefined: memory only. A dir that cannot be written falls back to memory only (logged). */
  constructor(
    private readonly dir: string | undefined,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    let session = 1;
    if (dir) {
      try {
        fs.mkdirSync(dir, { recursive: true, mode: HISTORY_DIR_MODE });
        const claimed = claimSessionFile(dir);
        session = claimed.session;
        this.file = claimed.file;
      } catch (e) {
        this.log(`history is kept in memory only: cannot write to ${dir} (${(e as Error).message})`);
      }
    }
    this.session = session;
  }

  add(line: number, input: string, output: string | null = null): void {
    const entry = { session: this.session, line, input, output };
    this.entries.push(entry);
    this.append({ line, input, output });
  }

  tail(n: number): HistoryEntry[] {
    const all = [...this.pastEntries(), ...this.entries];
    return n > 0 ? all.slice(-n) : [];
  }

  /** Lines [start, stop) of a session; session <= 0 counts back from the current one (0 = current). */
  range(session: number, start: number, stop?: number): HistoryEntry[] {
    const target = session <= 0 ? this.session + session : session;
    const source = target === this.session ? this.entries : this.pastEntries().filter((e) => e.session === target);
    return source.filter((e) => e.line >= start && (stop === undefined || e.line < stop));
  }

  /** Glob search (* and ?, whole input, as IPython's sqlite GLOB): the last n matches, optionally unique. */
  search(pattern: string, n?: number, unique = false): HistoryEntry[] {
    let hits = [...this.pastEntries(), ...this.entries].filter((e) => globMatch(pattern, e.input));
    if (unique) {
      const seen = new Set<string>();
      hits = hits
        .reverse()
        .filter((e) => !seen.has(e.input) && seen.add(e.input))
        .reverse();
    }
    return n !== undefined && n > 0 ? hits.slice(-n) : hits;
  }

  /** The content of a history_reply for a history_request. */
  reply(request: Partial<HistoryRequest>): { status: 'ok'; history: HistoryTuple[] } {
    let entries: HistoryEntry[];
    switch (request.hist_access_type) {
      case 'tail':
        entries = this.tail(request.n ?? 10);
        break;
      case 'range':
        entries = this.range(request.session ?? 0, request.start ?? 1, request.stop ?? undefined);
        break;
      case 'search':
        entries = this.search(request.pattern ?? '*', request.n ?? undefined, request.unique ?? false);
        break;
      default:
        entries = [];
    }
    return {
      status: 'ok',
      history: entries.map((e) => [e.session, e.line, request.output ? [e.input, e.output] : e.input]),
    };
  }

  private append(record: object): void {
    if (!this.file) return;
    try {
      fs.appendFileSync(this.file, JSON.stringify(record) + '\n', { mode: HISTORY_FILE_MODE });
    } catch (e) {
      this.log(`cannot append to history file ${this.file}: ${(e as Error).message}`);
    }
  }

  private pastEntries(): HistoryEntry[] {
    if (this.past) return this.past;
    this.past = [];
    if (!this.dir || !this.file) return this.past;
    const sessions = listSessions(this.dir)
      .filter((s) => s < this.session)
      .slice(-PAST_SESSIONS_READ);
    for (const session of sessions) {
      try {
        const text = fs.readFileSync(path.join(this.dir, `session-${session}.jsonl`), 'utf8');
        for (const line of text.split('\n')) {
          if (!line.trim()) continue;
          const r = JSON.parse(line) as { line: number; input: string; output?: string | null };
          this.past.push({ session, line: r.line, input: r.input, output: r.output ?? null });
        }
      } catch (e) {
        this.log(`skipped unreadable history of session ${session}: ${(e as Error).message}`);
      }
    }
    return this.past;
  }
}

function listSessions(dir: string): number[] {
  return fs
    .readdirSync(dir)
    .map((f) => FILE_PATTERN.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** Creates session-<N>.jsonl with the next free N; exclusive create, so concurrent kernels never share one. */
function claimSessionFile(dir: string): { session: number; file: string } {
  let session = (listSessions(dir).at(-1) ?? 0) + 1;
  for (;;) {
    const file = path.join(dir, `session-${session}.jsonl`);
    try {
      fs.writeFileSync(file, '', { flag: 'wx', mode: HISTORY_FILE_MODE });
      return { session, file };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      session++;
    }
  }
}

/**
 * Whole-text glob match (* any run, ? one character) in O(pattern × text) at worst: a regular
 * expression of many `*` backtracks exponentially and would hang the main thread on one request.
 * Greedy with one resume point: only the last `*` seen is ever retried.
 */
export function globMatch(glob: string, text: string): boolean {
  const p = [...glob];
  const t = [...text];
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < t.length) {
    if (i < p.length && (p[i] === '?' || (p[i] !== '*' && p[i] === t[j]))) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      resume = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++resume;
    } else {
      return false;
    }
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}
