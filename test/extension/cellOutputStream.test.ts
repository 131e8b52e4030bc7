// Jupyter output semantics applied to a fake target that records what VS Code would be told.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CellOutputStream, DisplayRegistry, type OutputTarget } from '../../extension/cellOutputStream';
import type { OutputData, OutputItemData } from '../../extension/jupyterOutputs';
import { MIME_TEXT } from '../../kernel/display/mimeTypes';
import { MIME_TRAINING } from '../../kernel/payloads';

interface FakeOutput {
  id: number;
  items: OutputItemData[];
  metadata: Record<string, unknown>;
  /** How often the items were replaced in place. */
  replaced: number;
}

class FakeCell implements OutputTarget<number> {
  outputs: FakeOutput[] = [];
  clears = 0;
  private next = 0;
  async append(o: OutputData): Promise<number> {
    const id = this.next++;
    this.outputs.push({ id, items: [...o.items], metadata: o.metadata, replaced: 0 });
    return id;
  }
  async appendItems(h: number, items: OutputItemData[]): Promise<void> {
    this.find(h).items.push(...items);
  }
  async replaceItems(h: number, o: OutputData): Promise<void> {
    const out = this.outputs.find((x) => x.id === h);
    if (!out) return; // the user cleared it meanwhile
    out.items = [...o.items];
    out.replaced++;
  }
  async clear(): Promise<void> {
    this.outputs = [];
    this.clears++;
  }
  private find(h: number): FakeOutput {
    const out = this.outputs.find((x) => x.id === h);
    assert.ok(out, `output ${h} exists`);
    return out;
  }
  texts(): string[][] {
    return this.outputs.map((o) => o.items.map((i) => Buffer.from(i.data).toString('utf8')));
  }
}

const display = (text: string, displayId?: string) => ({
  data: { [MIME_TEXT]: text },
  metadata: {},
  ...(displayId ? { transient: { display_id: displayId } } : {}),
});

function setup() {
  const registry = new DisplayRegistry<number>();
  const cell = new FakeCell();
  return { registry, cell, stream: new CellOutputStream(cell, registry, 'cell-a') };
}

describe('CellOutputStream', () => {
  test('consecutive stream messages of one name grow one output; a new name starts another', async () => {
    const { cell, stream } = setup();
    await stream.handle('stream', { name: 'stdout', text: 'epoch 1\n' });
    await stream.handle('stream', { name: 'stdout', text: 'epoch 2\n' });
    await stream.handle('stream', { name: 'stderr', text: 'warn\n' });
    await stream.handle('stream', { name: 'stdout', text: 'epoch 3\n' });
    assert.deepEqual(cell.texts(), [['epoch 1\n', 'epoch 2\n'], ['warn\n'], ['epoch 3\n']]);
  });

  test('a display between streams ends the stream output', async () => {
    const { cell, stream } = setup();
    await stream.handle('stream', { name: 'stdout', text: 'a' });
    await stream.handle('display_data', display('pic'));
    await stream.handle('stream', { name: 'stdout', text: 'b' });
    assert.deepEqual(cell.texts(), [['a'], ['pic'], ['b']]);
  });

  test('update_display_data replaces the output with that display_id in place', async () => {
    const { cell, stream } = setup();
    await stream.handle('display_data', { data: { [MIME_TRAINING]: { points: [] } }, metadata: {}, transient: { display_id: 'train' } });
    await stream.handle('stream', { name: 'stdout', text: 'fitting' });
    await stream.handle('update_display_data', {
      data: { [MIME_TRAINING]: { points: [1] } },
      metadata: {},
      transient: { display_id: 'train' },
    });
    await stream.handle('update_display_data', {
      data: { [MIME_TRAINING]: { points: [1, 2] } },
      metadata: {},
      transient: { display_id: 'train' },
    });
    assert.equal(cell.outputs.length, 2);
    assert.equal(cell.outputs[0].replaced, 2);
    assert.deepEqual(cell.texts()[0], ['{"points":[1,2]}']);
  });

  test('an update reaches every output with the display_id, also in an earlier cell', async () => {
    const registry = new DisplayRegistry<number>();
    const first = new FakeCell();
    const second = new FakeCell();
    await new CellOutputStream(first, registry, 'c1').handle('display_data', display('v1', 'shared'));
    const s2 = new CellOutputStream(second, registry, 'c2');
    await s2.handle('display_data', display('v1 again', 'shared'));
    await s2.handle('update_display_data', display('v2', 'shared'));
    assert.deepEqual(first.texts(), [['v2']]);
    assert.deepEqual(second.texts(), [['v2']]);
  });

  test('an update for an unknown display_id changes nothing', async () => {
    const { cell, stream } = setup();
    await stream.handle('display_data', display('kept', 'a'));
    await stream.handle('update_display_data', display('lost', 'b'));
    assert.deepEqual(cell.texts(), [['kept']]);
  });

  test('clear_output(wait) clears only when the next output arrives, and not for an update', async () => {
    const { cell, stream } = setup();
    await stream.handle('display_data', display('frame 1', 'anim'));
    await stream.handle('clear_output', { wait: true });
    assert.deepEqual(cell.texts(), [['frame 1']]);
    await stream.handle('update_display_data', display('frame 1b', 'anim'));
    assert.equal(cell.clears, 0);
    await stream.handle('display_data', display('frame 2'));
    assert.deepEqual(cell.texts(), [['frame 2']]);
    assert.equal(cell.clears, 1);
  });

  test('clear_output without wait clears at once and forgets the display ids of the cell', async () => {
    const { cell, stream, registry } = setup();
    await stream.handle('display_data', display('x', 'id'));
    await stream.handle('clear_output', { wait: false });
    assert.deepEqual(cell.texts(), []);
    assert.equal(registry.size, 0);
    await stream.handle('stream', { name: 'stdout', text: 'after' });
    assert.deepEqual(cell.texts(), [['after']]);
  });

  test('execute_result and error become outputs in order; status and execute_input are ignored', async () => {
    const { cell, stream } = setup();
    await stream.handle('status', { execution_state: 'busy' });
    await stream.handle('execute_input', { code: '1+1', execution_count: 1 });
    await stream.handle('execute_result', { data: { [MIME_TEXT]: '2' }, metadata: {}, execution_count: 1 });
    await stream.handle('error', { ename: 'Error', evalue: 'boom', traceback: ['Error: boom'] });
    assert.deepEqual(
      cell.outputs.map((o) => o.metadata.outputType),
      ['execute_result', 'error'],
    );
  });

  test('forgetCell drops only that cell', () => {
    const registry = new DisplayRegistry<number>();
    const target = new FakeCell();
    registry.add('d', { cellKey: 'a', target, handle: 0 });
    registry.add('d', { cellKey: 'b', target, handle: 1 });
    registry.forgetCell('a');
    assert.deepEqual(
      registry.get('d').map((e) => e.cellKey),
      ['b'],
    );
  });
});
