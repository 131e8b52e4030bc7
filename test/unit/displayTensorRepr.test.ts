// The tensor text form against PyTorch's own expected strings (pytorch test/test_torch.py
// test_print and recorded reprs), plus our always-on shape/dtype suffix.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { formatTensor } from '../../kernel/display';
import type { ReprDtype } from '../../kernel/display/tensorRepr';

function torchStyle(values: number[], shape: number[], dtype: ReprDtype = 'float32'): string {
  return formatTensor({ values, shape, dtype }, { shapeAndDtype: false, bools: ['True', 'False'] });
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('tensor repr matches PyTorch', () => {
  const cases: Array<[string, number[], number[], ReprDtype, string]> = [
    ['scientific for wide ranges', [1e28, 1e-28], [2], 'float32', 'tensor([1.0000e+28, 1.0000e-28])'],
    ['no leading space when all positive', [1, 2], [2], 'int32', 'tensor([1, 2])'],
    ['leading space for negatives', [1, -2], [2], 'int32', 'tensor([ 1, -2])'],
    [
      'inf and nan keep the fixed format',
      [4, Infinity, 1.5, -Infinity, 0, NaN, 1],
      [7],
      'float32',
      'tensor([4.0000,    inf, 1.5000,   -inf, 0.0000,    nan, 1.0000])',
    ],
    ['summary of a long vector of zeros', new Array(10000).fill(0), [10000], 'float32', 'tensor([0., 0., 0.,  ..., 0., 0., 0.])'],
    ['0-d small value', [0.00002], [], 'float32', 'tensor(2.0000e-05)'],
    ['bool', [1], [1], 'bool', 'tensor([True])'],
    ['0-d bool', [1], [], 'bool', 'tensor(True)'],
    ['sci when min < 1e-4', [0.00002], [1], 'float32', 'tensor([2.0000e-05])'],
    ['sci when max > 1e8', [123456789], [1], 'float32', 'tensor([1.2346e+08])'],
    ['sci when max/min > 1000', [0.01, 11], [2], 'float32', 'tensor([1.0000e-02, 1.1000e+01])'],
    ['ints never sci', [1, 1010], [2], 'int32', 'tensor([   1, 1010])'],
    ['int > 1e8', [1000000000], [1], 'int32', 'tensor([1000000000])'],
    ['integral floats', [1, 1000], [2], 'float32', 'tensor([   1., 1000.])'],
    ['integral floats in sci when max/min > 1000', [1, 1010], [2], 'float32', 'tensor([1.0000e+00, 1.0100e+03])'],
    ['integral float', [123], [1], 'float32', 'tensor([123.])'],
    ['1-D ints', range(4), [4], 'int32', 'tensor([0, 1, 2, 3])'],
    [
      'long float vector wraps at 80 columns',
      range(10000),
      [10000],
      'float32',
      'tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.9970e+03, 9.9980e+03,\n        9.9990e+03])',
    ],
    ['2-D ints', range(12), [3, 4], 'int32', 'tensor([[ 0,  1,  2,  3],\n        [ 4,  5,  6,  7],\n        [ 8,  9, 10, 11]])'],
    [
      '2-D summarized',
      range(10000),
      [100, 100],
      'int32',
      [
        'tensor([[   0,    1,    2,  ...,   97,   98,   99],',
        '        [ 100,  101,  102,  ...,  197,  198,  199],',
        '        [ 200,  201,  202,  ...,  297,  298,  299],',
        '        ...,',
        '        [9700, 9701, 9702,  ..., 9797, 9798, 9799],',
        '        [9800, 9801, 9802,  ..., 9897, 9898, 9899],',
        '        [9900, 9901, 9902,  ..., 9997, 9998, 9999]])',
      ].join('\n'),
    ],
    [
      '2-D integral floats',
      range(12),
      [3, 4],
      'float32',
      'tensor([[ 0.,  1.,  2.,  3.],\n        [ 4.,  5.,  6.,  7.],\n        [ 8.,  9., 10., 11.]])',
    ],
  ];
  for (const [name, values, shape, dtype, expected] of cases) {
    test(name, () => assert.equal(torchStyle(values, shape, dtype), expected));
  }

  test('3-D summarized: blank line between blocks and around "..."', () => {
    const block = '[[1., 1., 1.,  ..., 1., 1., 1.],\n         [1., 1., 1.,  ..., 1., 1., 1.]]';
    const expected = `tensor([${[block, block, block, '...', block, block, block].join(',\n\n        ')}])`;
    assert.equal(torchStyle(new Array(2000).fill(1), [100, 2, 10]), expected);
  });
});

describe('tensor repr of tf tensors', () => {
  test('scalar, with shape and dtype', () => {
    const t = tf.scalar(3.25);
    assert.equal(formatTensor({ values: t.dataSync(), shape: t.shape, dtype: 'float32' }), 'tensor(3.2500, shape=[], dtype=float32)');
    t.dispose();
  });

  test('bool uses JavaScript words by default', () => {
    assert.equal(formatTensor({ values: [1, 0], shape: [2], dtype: 'bool' }), 'tensor([ true, false], shape=[2], dtype=bool)');
  });

  test('int32 and string tensors', () => {
    assert.equal(formatTensor({ values: [7, -12], shape: [2], dtype: 'int32' }), 'tensor([  7, -12], shape=[2], dtype=int32)');
    assert.equal(formatTensor({ values: ['a', 'bc'], shape: [2], dtype: 'string' }), 'tensor([ "a", "bc"], shape=[2], dtype=string)');
  });

  test('empty tensor', () => {
    assert.equal(formatTensor({ values: [], shape: [0, 3], dtype: 'float32' }), 'tensor([], shape=[0, 3], dtype=float32)');
  });

  test('consistent precision across a column: every value shares the format', () => {
    const text = formatTensor({ values: [0.5, -0.25, 1, 2], shape: [2, 2], dtype: 'float32' });
    assert.equal(text, 'tensor([[ 0.5000, -0.2500],\n        [ 1.0000,  2.0000]], shape=[2, 2], dtype=float32)');
  });

  test('float32 values print as PyTorch prints float32 (0.1 → 0.1000)', () => {
    const t = tf.tensor1d([0.1, 0.2, 0.3]);
    assert.equal(
      formatTensor({ values: t.dataSync(), shape: t.shape, dtype: 'float32' }),
      'tensor([0.1000, 0.2000, 0.3000], shape=[3], dtype=float32)',
    );
    t.dispose();
  });
});
