// Worker thread that owns the TypeScript language service, so type checks, completion and inspect
// never block the kernel's main thread (the first check alone loads seconds of declarations).

import { parentPort, workerData } from 'node:worker_threads';
import { CellLanguageService, type GlobalTypes } from './languageService';
import type { LanguageRequest, LanguageResponse } from './languageMessages';

const data = workerData as { cwd: string; globals: GlobalTypes; kernelDir: string };
const service = new CellLanguageService(data.cwd, data.globals, data.kernelDir);

function handle(req: LanguageRequest): unknown {
  switch (req.method) {
    case 'check':
      return service.check(req.code);
    case 'commit':
      return service.commit(req.code);
    case 'complete':
      return service.complete(req.code, req.cursorPos);
    case 'inspect':
      return service.inspect(req.code, req.cursorPos, req.detailLevel);
  }
}

parentPort!.on('message', (req: LanguageRequest) => {
  let response: LanguageResponse;
  try {
    response = { id: req.id, result: handle(req) };
  } catch (err) {
    response = { id: req.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(response);
});
