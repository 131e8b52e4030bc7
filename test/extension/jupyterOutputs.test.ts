// The MIME mapping from Jupyter bundles to VS Code output items: bytes per MIME kind, item order,
// and the metadata VS Code's ipynb serializer reads back when the notebook is saved.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MIME_VSCODE_ERROR,
  MIME_VSCODE_STDERR,
  MIME_VSCODE_STDOUT,
  bundleItems,
  displayOutput,
  errorOutput,
  streamOutput,
} from '../../extension/jupyterOutputs';
import { MIME_HTML, MIME_JSON, MIME_PNG, MIME_SVG, MIME_TEXT } from '../../kernel/display/mimeTypes';
import { MIME_SPLINES } from '../../kernel/payloads';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('bundleItems', () => {
  test('maps text, html, svg, png (base64 → bytes), json and convkan JSON MIME types', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const payload = { version: 1, x: [0, 0.5], functions: [] };
    const items = bundleItems({
      [MIME_TEXT]: 'hello',
      [MIME_HTML]: ['<b>', 'bold</b>'],
      [MIME_SVG]: '<svg/>',
      [MIME_PNG]: png.toString('base64') + '\n',
      [MIME_JSON]: { a: [1, 2] },
      [MIME_SPLINES]: payload,
    });
    const byMime = new Map(items.map((i) => [i.mime, i.data]));
    assert.equal(text(byMime.get(MIME_TEXT)!), 'hello');
    assert.equal(text(byMime.get(MIME_HTML)!), '<b>bold</b>');
    assert.equal(text(byMime.get(MIME_SVG)!), '<svg/>');
    assert.deepEqual(Buffer.from(byMime.get(MIME_PNG)!), png);
    assert.deepEqual(JSON.parse(text(byMime.get(MIME_JSON)!)), { a: [1, 2] });
    assert.deepEqual(JSON.parse(text(byMime.get(MIME_SPLINES)!)), payload);
  });

  test('keeps the kernel order but puts text/plain last', () => {
    const items = bundleItems({ [MIME_TEXT]: 't', [MIME_SPLINES]: {}, [MIME_SVG]: '<svg/>' });
    assert.deepEqual(
      items.map((i) => i.mime),
      [MIME_SPLINES, MIME_SVG, MIME_TEXT],
    );
  });

  test('a JSON MIME value sent as a string is taken as serialized JSON, not quoted again', () => {
    const [item] = bundleItems({ [MIME_JSON]: '{"k":1}' });
    assert.equal(text(item.data), '{"k":1}');
  });
});

describe('output metadata for the ipynb serializer', () => {
  test('display_data keeps metadata and display_id', () => {
    const out = displayOutput('display_data', {
      data: { [MIME_TEXT]: 'x' },
      metadata: { isolated: true },
      transient: { display_id: 'd1' },
    });
    assert.deepEqual(out.metadata, { outputType: 'display_data', metadata: { isolated: true }, transient: { display_id: 'd1' } });
  });

  test('execute_result records its execution count', () => {
    const out = displayOutput('execute_result', { data: { [MIME_TEXT]: '2' }, execution_count: 7 });
    assert.equal(out.metadata.outputType, 'execute_result');
    assert.equal(out.metadata.executionCount, 7);
  });

  test('streams use VS Code stdout/stderr MIME types', () => {
    assert.equal(streamOutput('stdout', 'a').items[0].mime, MIME_VSCODE_STDOUT);
    assert.equal(streamOutput('stderr', 'a').items[0].mime, MIME_VSCODE_STDERR);
    assert.equal(streamOutput('stderr', 'a').metadata.outputType, 'stream');
  });

  test('errors carry name, message and the traceback as stack, and keep the original for saving', () => {
    const out = errorOutput({
      ename: 'TypeError',
      evalue: 'x is not a function',
      traceback: ['TypeError: x is not a function', '    at cell 3:1'],
    });
    assert.equal(out.items[0].mime, MIME_VSCODE_ERROR);
    assert.deepEqual(JSON.parse(text(out.items[0].data)), {
      name: 'TypeError',
      message: 'x is not a function',
      stack: 'TypeError: x is not a function\n    at cell 3:1',
    });
    assert.deepEqual(out.metadata.originalError, {
      output_type: 'error',
      ename: 'TypeError',
      evalue: 'x is not a function',
      traceback: ['TypeError: x is not a function', '    at cell 3:1'],
    });
  });

  test('an error without traceback still shows name and message', () => {
    assert.equal(errorOutput({ ename: 'KeyboardInterrupt', evalue: 'interrupted' }).error?.stack, 'KeyboardInterrupt: interrupted');
  });
});
