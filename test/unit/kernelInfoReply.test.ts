// kernel_info_reply through JupyterHandler with a hand-made executor (no ZeroMQ): it answers at
// once with the default banner, and once the executor describes itself it carries the backend as
// data in its `convkan` field next to the human banner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Executor } from '../../kernel/exec/executorApi';
import { DEFAULT_BANNER, JupyterHandler, type ExecutorSource } from '../../kernel/jupyterHandler';
import { History } from '../../kernel/protocol/history';
import { MSG, createMessage, newSessionIdentity, type KernelInfoReply } from '../../kernel/protocol/messages';
import type { RequestContext } from '../../kernel/protocol/server';

const BACKEND = { name: 'wasm', label: 'wasm (SIMD, 2 threads)', reason: 'auto (default): @tensorflow/tfjs-node not usable; wasm started' };

function handlerWith(executor: Executor | undefined) {
  const executors: ExecutorSource = {
    get: async () => executor!,
    current: () => executor,
    reset: async () => undefined,
  };
  return new JupyterHandler({
    executors,
    history: new History(undefined, () => {}),
    implementationVersion: '0.0.0',
    inProcessRestart: true,
    exit: () => {},
  });
}

async function kernelInfo(handler: JupyterHandler): Promise<KernelInfoReply> {
  const ctx: RequestContext = {
    request: createMessage(MSG.kernelInfoRequest, {}, newSessionIdentity('test')),
    channel: 'shell',
    publish: () => {},
    input: () => Promise.reject(new Error('no stdin in this test')),
  };
  const result = await handler.handle(ctx);
  assert.ok(result, 'kernel_info_request gets a reply');
  return result.content as KernelInfoReply;
}

test('kernel_info_reply carries the backend as data once the executor has loaded TensorFlow.js', async () => {
  const executor = {
    banner: async () => `TensorFlow.js 4.22.0, backend: ${BACKEND.label} (${BACKEND.reason})`,
    backend: async () => BACKEND,
  } as Partial<Executor> as Executor;
  const handler = handlerWith(executor);
  const first = await kernelInfo(handler);
  // The first answer never waits for the executor.
  assert.equal(first.banner, DEFAULT_BANNER);
  assert.equal(first.convkan, undefined, 'no backend before the executor described it');
  await new Promise((r) => setImmediate(r));
  const next = await kernelInfo(handler);
  assert.deepEqual(next.convkan, { backend: 'wasm', label: 'wasm (SIMD, 2 threads)', reason: BACKEND.reason });
  assert.match(next.banner, /backend: wasm \(SIMD, 2 threads\)/, 'the banner stays human text');
});

test('no convkan field when TensorFlow.js failed to load, nor before an executor exists', async () => {
  const failed = {
    banner: async () => 'TensorFlow.js failed to load: boom',
    backend: async () => undefined,
  } as Partial<Executor> as Executor;
  const handler = handlerWith(failed);
  await kernelInfo(handler);
  await new Promise((r) => setImmediate(r));
  const reply = await kernelInfo(handler);
  assert.equal(reply.banner, 'TensorFlow.js failed to load: boom');
  assert.equal('convkan' in reply, false, `reply: ${JSON.stringify(reply)}`);
  assert.equal('convkan' in (await kernelInfo(handlerWith(undefined))), false, 'no executor yet');
});
