// History as IPython answers history_request: numbered sessions persisted per kernel start,
// tail across sessions, range within one, glob search with unique and n.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { globMatch, History } from '../../kernel/protocol/history';

describe('history', () => {
  test('sessions are numbered, persisted, and visible to later sessions', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-hist-'));
    try {
      const first = new History(dir);
      first.add(1, 'a = 1', '1');
      first.add(2, 'b = 2');
      const second = new History(dir);
      assert.deepEqual([first.session, second.session], [1, 2]);
      second.add(1, 'a = 1');
      assert.deepEqual(second.reply({ hist_access_type: 'tail', n: 3 }).history, [
        [1, 1, 'a = 1'],
        [1, 2, 'b = 2'],
        [2, 1, 'a = 1'],
      ]);
      assert.deepEqual(second.reply({ hist_access_type: 'range', session: -1, start: 1, stop: 2, output: true }).history, [
        [1, 1, ['a = 1', '1']],
      ]);
      assert.deepEqual(second.reply({ hist_access_type: 'range', session: 0, start: 1 }).history, [[2, 1, 'a = 1']]);
      assert.deepEqual(second.reply({ hist_access_type: 'search', pattern: 'a*', unique: true }).history, [[2, 1, 'a = 1']]);
      assert.equal(second.reply({ hist_access_type: 'search', pattern: '?*', n: 2 }).history.length, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unwritable dir falls back to memory and says so', () => {
    const lines: string[] = [];
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-hist-')), 'a-file');
    fs.writeFileSync(file, '');
    try {
      const h = new History(path.join(file, 'history'), (l) => lines.push(l));
      h.add(1, 'x');
      assert.deepEqual(
        h.tail(5).map((e) => e.input),
        ['x'],
      );
      assert.match(lines[0], /history is kept in memory only: cannot write to .*a-file\/history \(ENOTDIR/);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  test('glob: * and ? match any text, everything else literally, whole input', () => {
    assert.equal(globMatch('6 ? 7', '6 * 7'), true);
    assert.equal(globMatch('6 ? 7', '16 * 7'), false);
    assert.equal(globMatch('a.b*', 'a.bc\nd'), true);
    assert.equal(globMatch('a.b', 'axb'), false);
  });

  test('glob: many * over a long text that does not match finishes (no exponential backtracking)', { timeout: 60_000 }, () => {
    const text = 'a'.repeat(5000);
    assert.equal(globMatch('*a*a*a*a*a*a*a*a*a*b', text), false);
    assert.equal(globMatch('*a*a*a*a*a*a*a*a*a*', text), true);
    assert.equal(globMatch('*a?c*', 'xxabc'), true);
    assert.equal(globMatch('*a?c', 'xxabcd'), false);
    assert.equal(globMatch('**', ''), true);
    assert.equal(globMatch('?', ''), false);
    assert.equal(globMatch('é?', 'éü'), true, 'characters, not UTF-16 units');
    const history = new History(undefined);
    history.add(1, 'a'.repeat(3000));
    assert.deepEqual(history.reply({ hist_access_type: 'search', pattern: '*a*a*a*a*a*a*a*a*a*b' }).history, []);
  });

  test('history files and their folder are readable by their owner only', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-hist-')), 'history');
    const oldMask = process.umask(0o022);
    try {
      const history = new History(dir);
      history.add(1, 'const apiKey = "secret"');
      const file = path.join(dir, `session-${history.session}.jsonl`);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    } finally {
      process.umask(oldMask);
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
