// The `console` of cells: a real node Console (log, error, table, time, group, …) whose two streams
// write straight to the hooks of the running cell, so output streams while the cell runs. Output made
// after the cell ended (timers, promises) goes to whichever cell ran last.

import { Console } from 'node:console';
import { Writable } from 'node:stream';

export interface OutputTarget {
  stdout(text: string): void;
  stderr(text: string): void;
}

function sinkStream(write: (text: string) => void): Writable {
  // Console writes synchronously through _write when nothing is buffered, so text leaves at once.
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      try {
        write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
  });
}

export function createCellConsole(target: () => OutputTarget): Console {
  return new Console({
    stdout: sinkStream((text) => target().stdout(text)),
    stderr: sinkStream((text) => target().stderr(text)),
    colorMode: false,
  });
}
