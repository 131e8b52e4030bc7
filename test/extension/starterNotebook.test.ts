// The starter notebook of "ConvKAN: New ConvKAN Notebook" runs in the real kernel, cell by cell,
// and shows each ConvKAN view (the MIME types the four renderers draw).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { KernelSession } from '../../extension/kernelProcess';
import { STARTER_CELLS, STARTER_METADATA } from '../../extension/templates/starterNotebook';
import { KERNELSPEC_NAME } from '../../extension/ids';
import { MIME_PATCHES, MIME_SPLINES, MIME_TIMING, MIME_TRAINING } from '../../kernel/payloads';

const root = path.resolve(__dirname, '..', '..');
let session: KernelSession | undefined;
after(() => session?.shutdown());

test('the starter template declares the ConvKAN kernelspec', () => {
  assert.equal(STARTER_METADATA.metadata.kernelspec.name, KERNELSPEC_NAME);
  assert.equal(STARTER_METADATA.metadata.language_info.name, 'typescript');
});

test('every code cell of the starter notebook runs and the four views appear', { timeout: 240_000 }, async () => {
  const kernel = await KernelSession.start(
    {
      kernelMain: path.join(root, 'kernel', 'main.ts'),
      runtime: { command: process.execPath, env: { NODE_OPTIONS: '--import tsx' }, source: 'PATH' },
      kernelArgs: ['--no-history-file'],
      backend: 'cpu',
      cwd: root,
    },
    () => {},
    () => {},
  );
  session = kernel;
  const mimes = new Set<string>();
  for (const [i, cell] of STARTER_CELLS.entries()) {
    if (cell.kind !== 'code') continue;
    const run = kernel.client.execute(cell.source);
    const errors: string[] = [];
    for await (const m of run) {
      const content = m.content as { data?: Record<string, unknown>; ename?: string; evalue?: string };
      if (m.header.msg_type === 'error') errors.push(`${content.ename}: ${content.evalue}`);
      for (const mime of Object.keys(content.data ?? {})) mimes.add(mime);
    }
    const reply = (await run.reply).content;
    assert.equal(reply.status, 'ok', `starter cell ${i} failed: ${errors.join('; ')}\n${cell.source}`);
  }
  for (const mime of [MIME_PATCHES, MIME_TRAINING, MIME_SPLINES, MIME_TIMING]) assert.ok(mimes.has(mime), `no ${mime} output`);
});
