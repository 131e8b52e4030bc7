// Switches tfjs between the backends the tests cover, through the library's own backend start-up
// (kernel/convkan/backend: wasm with its .wasm files located on disk, threads where Node allows).
// The environment is not consulted here: CONVKAN_BACKEND must not turn a wasm suite into a cpu one.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../kernel/convkan/backend/initBackend';

export const TEST_BACKENDS = ['cpu', 'wasm'] as const;
export type TestBackend = (typeof TEST_BACKENDS)[number];

export async function useBackend(name: TestBackend): Promise<void> {
  const info = await initBackend({ prefer: name, env: {} });
  if (info.name !== name || tf.getBackend() !== name)
    throw new Error(`could not switch tfjs to the '${name}' backend (got '${tf.getBackend()}': ${info.reason})`);
  await tf.ready();
}
