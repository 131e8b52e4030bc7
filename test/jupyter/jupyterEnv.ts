// A throwaway Jupyter environment for the tests: the kernelspec installed with our own installer
// into a temporary prefix, and the environment variables that make Jupyter (Debian's
// /usr/bin/python3, not a pyenv python) find it and keep runtime files and history there too.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installKernelSpec, kernelMainPath } from '../../kernel/cli/kernelspec';

/** Debian's python with python3-jupyter-kernel-test, nbclient, nbconvert (test/setup/system.sh). */
export const PYTHON = '/usr/bin/python3';

export interface JupyterEnv {
  kernelName: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  dispose(): void;
}

export function createJupyterEnv(kernelName = 'convkan-test'): JupyterEnv {
  const main = kernelMainPath();
  if (!fs.existsSync(main)) throw new Error(`The kernel is not built: ${main} is missing; run \`npm run build\` (npm test does)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-jupyter-'));
  installKernelSpec({ location: { kind: 'prefix', dir }, name: kernelName });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: path.join(dir, 'share', 'jupyter'),
    JUPYTER_RUNTIME_DIR: path.join(dir, 'runtime'),
    JUPYTER_CONFIG_DIR: path.join(dir, 'config'),
    JUPYTER_DATA_DIR: path.join(dir, 'data'),
    IPYTHONDIR: path.join(dir, 'ipython'),
    CONVKAN_HISTORY_DIR: path.join(dir, 'history'),
    CONVKAN_KERNEL_NAME: kernelName,
    PYTHONDONTWRITEBYTECODE: '1',
  };
  return { kernelName, dir, env, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
