// Execute semantics over the wire: outputs map onto iopub messages, stop_on_error aborts the
// execute requests queued behind a failing cell (and only those), state survives errors, stdin
// round trips, restart resets state, history answers tail/range/search, shutdown exits.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MSG, type Message } from '../../kernel/protocol/messages';
import { evaluate, startTestKernel, type TestKernel } from './harness';

const types = (messages: Message[]) => messages.map((m) => m.header.msg_type);

describe('execute over the wire', { timeout: 120_000 }, () => {
  let kernel: TestKernel;
  before(async () => {
    kernel = await startTestKernel();
  });
  after(() => kernel.dispose());

  test('stream, display_data, update_display_data, clear_output and execute_result in order', async () => {
    const code = [
      'print("out"); printErr("err");',
      'show({"text/plain": "first"}, "d1");',
      'update({"text/plain": "second"}, "d1");',
      'clear(true);',
      '"result"',
    ].join('\n');
    const { outputs, reply } = await kernel.client.execute(code).done();
    assert.equal(reply.content.status, 'ok');
    assert.deepEqual(types(outputs), [
      MSG.executeInput,
      MSG.stream,
      MSG.stream,
      MSG.displayData,
      MSG.updateDisplayData,
      MSG.clearOutput,
      MSG.executeResult,
    ]);
    assert.deepEqual(outputs[1].content, { name: 'stdout', text: 'out\n' });
    assert.deepEqual(outputs[2].content, { name: 'stderr', text: 'err\n' });
    assert.deepEqual(outputs[3].content, { data: { 'text/plain': 'first' }, metadata: {}, transient: { display_id: 'd1' } });
    assert.deepEqual(outputs[4].content, { data: { 'text/plain': 'second' }, metadata: {}, transient: { display_id: 'd1' } });
    assert.deepEqual(outputs[5].content, { wait: true });
    const count = (reply.content as { execution_count: number }).execution_count;
    assert.deepEqual(outputs[6].content, { execution_count: count, data: { 'text/plain': '"result"'.slice(1, -1) }, metadata: {} });
    assert.deepEqual(outputs[0].content, { code, execution_count: count });
  });

  test('an error gives an error message and an error reply with ename/evalue/traceback; state survives it', async () => {
    await evaluate(kernel, 'kept = "still here"');
    const { outputs, reply } = await kernel.client.execute('throw new TypeError("bad value")').done();
    assert.deepEqual(types(outputs), [MSG.executeInput, MSG.error]);
    assert.equal(reply.content.status, 'error');
    const content = reply.content as { ename: string; evalue: string; traceback: string[] };
    assert.equal(content.ename, 'TypeError');
    assert.equal(content.evalue, 'bad value');
    assert.ok(Array.isArray(content.traceback) && content.traceback.length > 0);
    assert.deepEqual(outputs[1].content, { ename: 'TypeError', evalue: 'bad value', traceback: content.traceback });
    assert.equal(await evaluate(kernel, 'kept'), 'still here');
  });

  test('stop_on_error: execute requests queued behind a failing cell are aborted, later ones run', async () => {
    await evaluate(kernel, 'ran = []');
    const failing = kernel.client.execute('await sleep(300); throw new Error("boom")');
    const queued1 = kernel.client.execute('ran.push(1)');
    const queued2 = kernel.client.execute('ran.push(2)');
    const [f, q1, q2] = await Promise.all([failing.done(), queued1.done(), queued2.done()]);
    assert.equal(f.reply.content.status, 'error');
    assert.equal(q1.reply.content.status, 'aborted');
    assert.equal(q2.reply.content.status, 'aborted');
    assert.deepEqual(q1.outputs, [], 'an aborted request publishes only busy/idle');
    assert.equal(await evaluate(kernel, 'ran.length'), '0');
    assert.equal(await evaluate(kernel, 'ran.push(3)'), '1');
  });

  test('a request sent right after the error reply arrived is never aborted', async () => {
    for (let i = 0; i < 20; i++) {
      const failed = await kernel.client.execute('throw new Error("x")').reply;
      assert.equal(failed.content.status, 'error');
      const next = await kernel.client.execute(`${i} + 1`).reply;
      assert.equal(next.content.status, 'ok', `round ${i}`);
    }
  });

  test('stop_on_error=false: the next queued request still runs', async () => {
    await evaluate(kernel, 'ran = []');
    const failing = kernel.client.execute('await sleep(200); throw new Error("boom")', { stopOnError: false });
    const queued = kernel.client.execute('ran.push(1)');
    const [f, q] = await Promise.all([failing.done(), queued.done()]);
    assert.equal(f.reply.content.status, 'error');
    assert.equal(q.reply.content.status, 'ok');
  });

  test('non-execute requests queued behind a failing cell are still answered', async () => {
    const failing = kernel.client.execute('await sleep(200); throw new Error("boom")');
    const info = kernel.client.kernelInfo(20_000);
    const [f, i] = await Promise.all([failing.done(), info]);
    assert.equal(f.reply.content.status, 'error');
    assert.equal(i.content.status, 'ok');
  });

  test('stdin: input_request round trip when allowed, a clear error when not', async () => {
    const prompts: Array<[string, boolean]> = [];
    const { reply, outputs } = await kernel.client
      .execute('answer = await ask("Your name? ", false); print("hello " + answer)', {
        onInput: (prompt, password) => {
          prompts.push([prompt, password]);
          return 'Ada';
        },
      })
      .done();
    assert.equal(reply.content.status, 'ok');
    assert.deepEqual(prompts, [['Your name? ', false]]);
    assert.ok(outputs.some((m) => m.header.msg_type === MSG.stream && (m.content as { text: string }).text === 'hello Ada\n'));

    const denied = await kernel.client.execute('await ask("x")', { allowStdin: false }).done();
    assert.equal(denied.reply.content.status, 'error');
    const error = denied.reply.content as { ename: string; evalue: string };
    assert.equal(error.ename, 'StdinNotImplementedError');
    assert.match(error.evalue, /allow_stdin is false/);
  });

  test('silent execution publishes no execute_input/result and does not count', async () => {
    const before = (await kernel.client.execute('1').done()).reply.content as { execution_count: number };
    const silent = await kernel.client.execute('print("quiet"); 5', { silent: true }).done();
    assert.deepEqual(types(silent.outputs), [MSG.stream]);
    assert.equal((silent.reply.content as { execution_count: number }).execution_count, before.execution_count);
  });

  test('user_expressions are evaluated into the reply', async () => {
    const { reply } = await kernel.client.execute('uv = 20', { userExpressions: { double: 'uv * 2', broken: 'nope.x' } }).done();
    const ue = (reply.content as { user_expressions: Record<string, { status: string; data?: Record<string, string>; ename?: string }> })
      .user_expressions;
    assert.deepEqual(ue.double, { status: 'ok', data: { 'text/plain': '40' }, metadata: {} });
    assert.equal(ue.broken.status, 'error');
    assert.equal(ue.broken.ename, 'ReferenceError');
  });

  test('history: tail, range and search (glob, unique, n)', async () => {
    await evaluate(kernel, 'h = 1');
    await evaluate(kernel, 'h = 2');
    await evaluate(kernel, 'h = 1');
    const tail = await kernel.client.request<{ history: Array<[number, number, string]> }>('shell', MSG.historyRequest, {
      hist_access_type: 'tail',
      n: 3,
      output: false,
      raw: true,
    });
    assert.deepEqual(
      tail.content.history.map((h) => h[2]),
      ['h = 1', 'h = 2', 'h = 1'],
    );
    const [session, line] = tail.content.history[1];
    const range = await kernel.client.request<{ history: unknown[] }>('shell', MSG.historyRequest, {
      hist_access_type: 'range',
      session,
      start: line,
      stop: line + 1,
      output: true,
      raw: true,
    });
    assert.deepEqual(range.content.history, [[session, line, ['h = 2', '2']]]);
    const search = await kernel.client.request<{ history: Array<[number, number, string]> }>('shell', MSG.historyRequest, {
      hist_access_type: 'search',
      pattern: 'h = ?',
      unique: true,
      output: false,
      raw: true,
    });
    assert.deepEqual(
      search.content.history.map((h) => h[2]),
      ['h = 2', 'h = 1'],
    );
    const searchN = await kernel.client.request<{ history: unknown[] }>('shell', MSG.historyRequest, {
      hist_access_type: 'search',
      pattern: 'h = *',
      n: 2,
      output: false,
      raw: true,
    });
    assert.equal(searchN.content.history.length, 2);
  });

  test('complete and inspect convert cursor positions between code points and UTF-16', async () => {
    await evaluate(kernel, 'prefixVariable = 1');
    const code = '"😀"; prefixV';
    const reply = await kernel.client.request<{ matches: string[]; cursor_start: number; cursor_end: number }>(
      'shell',
      MSG.completeRequest,
      { code, cursor_pos: [...code].length },
    );
    assert.deepEqual(reply.content.matches, ['prefixVariable']);
    assert.equal(reply.content.cursor_end, [...code].length);
    assert.equal(reply.content.cursor_start, [...code].length - 'prefixV'.length);
    const inspect = await kernel.client.request<{ found: boolean; data: Record<string, string> }>('shell', MSG.inspectRequest, {
      code: '"😀"; prefixVariable',
      cursor_pos: 19,
      detail_level: 0,
    });
    assert.equal(inspect.content.found, true);
    assert.equal(inspect.content.data['text/plain'], 'prefixVariable: number');
  });

  test('shutdown_request with restart=true resets the executor and the execution count', async () => {
    await evaluate(kernel, 'survivor = 1');
    const reply = await kernel.client.shutdown(true);
    assert.deepEqual(reply.content, { status: 'ok', restart: true });
    assert.equal(await evaluate(kernel, 'typeof survivor'), 'undefined');
    const { reply: r } = await kernel.client.execute('1').done();
    assert.equal((r.content as { execution_count: number }).execution_count, 2);
    assert.equal(kernel.process.exitCode, null);
  });
});

describe('shutdown', () => {
  test('shutdown_request without restart: reply, then the process exits with status 0', async () => {
    const kernel = await startTestKernel();
    try {
      const reply = await kernel.client.shutdown(false);
      assert.deepEqual(reply.content, { status: 'ok', restart: false });
      assert.equal(await kernel.exited, 0);
    } finally {
      await kernel.dispose();
    }
  });

  test('without --restart-in-process (Jupyter managers), restart=true also exits so the manager can respawn', async () => {
    const kernel = await startTestKernel({ inProcessRestart: false });
    try {
      const reply = await kernel.client.shutdown(true);
      assert.deepEqual(reply.content, { status: 'ok', restart: true });
      assert.equal(await kernel.exited, 0);
    } finally {
      await kernel.dispose();
    }
  });
});
