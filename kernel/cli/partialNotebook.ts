// Writing the executed notebook as the run goes: after every cell, so a run that is killed, times
// out or loses its kernel still leaves what it did. Each write goes to a temp file that is then
// renamed over the target, so a reader never sees half a notebook.

import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, text: string): void {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.partial`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, target);
}
