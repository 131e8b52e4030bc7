import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  injectParameters,
  parametersSource,
  parseParameter,
  parseParameterValue,
  INJECTED_PARAMETERS_TAG,
} from '../../kernel/cli/notebookParameters';
import { parseNotebookCliArgs } from '../../kernel/cli/notebookCli';

const cell = (source: string, tags?: string[]) => ({
  cell_type: 'code' as const,
  source,
  metadata: tags ? { tags } : {},
  outputs: [],
  execution_count: null,
});

describe('notebook parameters (papermill style)', () => {
  test('values are typed: numbers, booleans, null, JSON, else strings', () => {
    assert.equal(parseParameterValue('3'), 3);
    assert.equal(parseParameterValue('-0.5'), -0.5);
    assert.equal(parseParameterValue('1e-3'), 0.001);
    assert.equal(parseParameterValue('true'), true);
    assert.equal(parseParameterValue('false'), false);
    assert.equal(parseParameterValue('null'), null);
    assert.deepEqual(parseParameterValue('[1, "a"]'), [1, 'a']);
    assert.deepEqual(parseParameterValue('{"grid": 5}'), { grid: 5 });
    assert.equal(parseParameterValue('"7"'), '7');
    assert.equal(parseParameterValue('chebyshev'), 'chebyshev');
    assert.equal(parseParameterValue('Infinity'), 'Infinity');
    assert.equal(parseParameterValue('0x10'), '0x10');
    assert.equal(parseParameterValue('[not json'), '[not json');
    assert.equal(parseParameterValue(''), '');
    assert.deepEqual(parseParameter('lr=0.01'), ['lr', 0.01]);
    assert.deepEqual(parseParameter('name=a=b'), ['name', 'a=b']);
  });

  test('a bad --param names the problem and the argument', () => {
    assert.throws(() => parseParameter('epochs'), /--param must be NAME=VALUE with NAME an identifier, but got "epochs"/);
    assert.throws(() => parseParameter('2x=1'), /but got "2x=1"/);
    assert.throws(() => parseNotebookCliArgs(['run', 'a.ipynb', '--seed', '1.5']), /--seed must be an integer, but got "1.5"/);
  });

  test('the CLI collects --param and --seed', () => {
    const args = parseNotebookCliArgs(['run', 'a.ipynb', '--param', 'epochs=3', '-p', 'basis=chebyshev', '--seed', '42']);
    assert.notEqual(args, 'help');
    if (args === 'help') return;
    assert.deepEqual(args.parameters, { epochs: 3, basis: 'chebyshev' });
    assert.equal(args.seed, 42);
  });

  test('injected after the cell tagged "parameters", replacing an earlier injected cell', () => {
    const cells = [cell('a'), cell('const epochs = 1;', ['parameters']), cell('old', [INJECTED_PARAMETERS_TAG]), cell('b')];
    const out = injectParameters(cells, { epochs: 3, basis: 'rbf' }, () => 'id1');
    assert.deepEqual(
      out.map((c) => c.source),
      ['a', 'const epochs = 1;', parametersSource({ epochs: 3, basis: 'rbf' }), 'b'],
    );
    assert.deepEqual(out[2].metadata, { tags: [INJECTED_PARAMETERS_TAG] });
    assert.equal((out[2] as { id?: string }).id, 'id1');
    assert.equal(cells.length, 4, 'the input is not changed');
    assert.equal(
      parametersSource({ epochs: 3, basis: 'rbf' }),
      '// Parameters injected by convkan-notebook run --param\nconst epochs = 3;\nconst basis = "rbf";',
    );
  });

  test('without a "parameters" cell the injected cell goes first; without parameters nothing changes', () => {
    const cells = [cell('a'), cell('b')];
    assert.deepEqual(
      injectParameters(cells, { x: 1 }).map((c) => c.source),
      [parametersSource({ x: 1 }), 'a', 'b'],
    );
    assert.equal(injectParameters(cells, {}), cells);
  });
});
