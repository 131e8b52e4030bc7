// The basis registry: every family file is listed, the names saved models carry are unchanged, the
// settings each family writes to its config are unchanged, bad settings fail with a message that
// names the layer, and a family defined in one new file plus one registration works end to end.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BUILT_IN_FAMILIES, BASIS_NAMES, basisFamilies, registerBasisFamily } from '../../kernel/convkan/bases/registry';
import { defineFamily, type BasisFamily } from '../../kernel/convkan/bases/basisFamily';
import { checkIntAtLeast } from '../../kernel/convkan/bases/basisSettings';
import { basisConfigEntries, resolveBasisOptions } from '../../kernel/convkan/variants/basisOptions';
import { makeBasis } from '../../kernel/convkan/variants/basis';
import { familyLayers, CONV2D_FAMILIES } from '../../kernel/convkan/variants/families';
import { BasisConvKAN2D } from '../../kernel/convkan/variants/basisConvKan2d';
import { sampleBasisEdgeFunctions } from '../../kernel/convkan/variants/edgeFunctions';
import { loadTorchStateDict, saveTorchStateDict } from '../../kernel/convkan/io/torchStateDict';
import { parseSafetensors, serializeSafetensors } from '../../kernel/convkan/io/safetensors';
import * as library from '../../kernel/convkan';

const basesDir = path.resolve(__dirname, '..', '..', 'kernel', 'convkan', 'bases');

function isFamily(v: unknown): v is BasisFamily {
  const f = v as BasisFamily;
  return (
    typeof v === 'object' && v !== null && typeof f.name === 'string' && typeof f.expand === 'function' && typeof f.evaluate === 'function'
  );
}

/** className → the class tfjs-layers builds from a saved config of that name. */
const registeredClasses = (): Record<string, unknown> =>
  Object.fromEntries(Object.entries(tf.serialization.SerializationMap.getMap().classNameMap).map(([name, [cls]]) => [name, cls]));

describe('basis registry', () => {
  test('every family descriptor in bases/ is in the list, once, under a unique name and class stem', () => {
    const found: BasisFamily[] = [];
    for (const file of fs.readdirSync(basesDir).filter((f) => f.endsWith('.ts'))) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(basesDir, file)) as Record<string, unknown>;
      found.push(...Object.values(mod).filter(isFamily));
    }
    assert.ok(found.length >= 11, `expected the 11 built-in descriptors in bases/, found ${found.length}`);
    for (const f of found)
      assert.ok(
        (BUILT_IN_FAMILIES as readonly BasisFamily[]).includes(f),
        `bases/ defines family '${f.name}' but bases/registry.ts does not list it`,
      );
    assert.equal(new Set(BASIS_NAMES).size, BASIS_NAMES.length, `duplicate family names: ${BASIS_NAMES.join(', ')}`);
    const stems = BUILT_IN_FAMILIES.map((f) => f.classStem).filter((s) => s !== undefined);
    assert.equal(new Set(stems).size, stems.length, `duplicate class stems: ${stems.join(', ')}`);
    assert.deepEqual(
      [...BASIS_NAMES],
      ['bspline', 'rbf', 'chebyshev', 'legendre', 'gram', 'jacobi', 'bernstein', 'mexicanHat', 'morlet', 'dog', 'reluKan'],
      'the order of BASIS_NAMES',
    );
  });

  test('the class names saved models carry are registered for serialization (and exported)', () => {
    const stems = ['FastKAN', 'KACN', 'KALN', 'KAGN', 'KAJN', 'KABN', 'WavKANMexicanHat', 'WavKANMorlet', 'WavKANDoG', 'ReLUKAN'];
    const names = [
      'BasisConvKAN2D',
      'BasisConvKAN1D',
      'BasisKANLinear',
      'BottleneckConvKAN2D',
      ...stems.flatMap((s) => [`${s}Conv2D`, `${s}Conv1D`, `${s}Linear`]),
    ];
    const map = registeredClasses();
    for (const name of names) {
      assert.ok(map[name], `${name} is not registered with tf.serialization`);
      if (!name.startsWith('Basis') && !name.startsWith('Bottleneck')) {
        assert.equal(
          (library as Record<string, unknown>)[name],
          map[name],
          `${name} is not exported by kernel/convkan under its class name`,
        );
      }
    }
    assert.equal(CONV2D_FAMILIES.chebyshev.className, 'KACNConv2D', 'the chebyshev Conv2D class name');
  });

  test('each family writes exactly its own settings to the config', () => {
    const expected: Record<string, string[]> = {
      bspline: ['gridSize', 'gridRange', 'splineOrder'],
      rbf: ['gridSize', 'gridRange'],
      chebyshev: ['degree'],
      legendre: ['degree'],
      gram: ['degree', 'gramPoints'],
      jacobi: ['degree', 'alpha', 'beta'],
      bernstein: ['degree'],
      mexicanHat: ['gridSize', 'gridRange'],
      morlet: ['gridSize', 'gridRange'],
      dog: ['gridSize', 'gridRange'],
      reluKan: ['gridSize', 'gridRange', 'splineOrder'],
    };
    for (const name of BASIS_NAMES) {
      assert.deepEqual(
        Object.keys(basisConfigEntries(resolveBasisOptions({ basis: name }, 'test'))),
        expected[name],
        `config entries of ${name}`,
      );
    }
    assert.deepEqual(
      resolveBasisOptions({ basis: 'rbf' }, 'test'),
      { basis: 'rbf', degree: 3, gridSize: 8, gridRange: [-2, 2], splineOrder: 3, alpha: 1, beta: 1, gramPoints: 4 },
      'rbf defaults (FastKAN)',
    );
    assert.deepEqual(resolveBasisOptions({ basis: 'gram', degree: 5 }, 'test').gramPoints, 6, 'gramPoints defaults to degree + 1');
  });

  test('bad settings name the layer, the setting, what was expected and what was given', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ basis: 'bspline', splineOrder: 0 }, /: BasisConvKAN2D 'bad': splineOrder must be an integer ≥ 1, but got 0\.$/],
      [{ basis: 'reluKan', gridSize: 0 }, /: BasisConvKAN2D 'bad': gridSize must be an integer ≥ 1, but got 0\.$/],
      [{ basis: 'morlet', gridSize: 1 }, /: BasisConvKAN2D 'bad': gridSize must be an integer ≥ 2, but got 1\.$/],
      [{ basis: 'legendre', degree: 1.5 }, /: BasisConvKAN2D 'bad': degree must be a non-negative integer, but got 1\.5\.$/],
      [{ basis: 'jacobi', beta: -2 }, /: BasisConvKAN2D 'bad': alpha and beta must be greater than −1 .*, but got \[null,-2\]\.$/],
      [{ basis: 'chebyshev', alpha: 'x' }, /: BasisConvKAN2D 'bad': alpha must be a finite number, but got "x"\.$/],
      [{ basis: 'splines' }, /: BasisConvKAN2D 'bad': basis must be one of 'bspline', 'rbf', .*'reluKan'.*, but got "splines"\.$/],
    ];
    for (const [settings, message] of cases) {
      assert.throws(
        () => new BasisConvKAN2D({ filters: 1, kernelSize: 1, name: 'bad', ...settings } as never),
        message,
        JSON.stringify(settings),
      );
    }
    assert.throws(
      () => familyLayers('bspline'),
      /familyLayers: basis must be a family with a classStem .*, but got 'bspline', which only has the generic Basis\* layers\./,
    );
  });
});

/** A family written the way a new one is: φ_k(x) = x^(k+1), k = 0 … degree − 1. */
const powers = defineFamily({
  name: 'powersTest',
  classStem: 'PowersTest',
  settings: ['degree'],
  defaults: { degree: 2 },
  check: (o, given, context) => checkIntAtLeast(o, given, 'degree', 1, context),
  size: (o) => o.degree,
  expand:
    ({ degree }) =>
    (x) =>
      tf.tidy(() =>
        tf.stack(
          Array.from({ length: degree }, (_, k) => tf.pow(x, k + 1)),
          -1,
        ),
      ),
  evaluate:
    ({ degree }) =>
    (x) =>
      Array.from({ length: degree }, (_, k) => x ** (k + 1)),
  sampleRange: () => [-2, 2],
});

describe('a new family: one descriptor and one registration', () => {
  test('gives the layers a basis, its own registered classes, validation, serialization and inspection', async () => {
    const before = tf.memory().numTensors;
    registerBasisFamily(powers);
    assert.ok(basisFamilies().includes(powers), 'the registered family is listed');
    assert.deepEqual(makeBasis({ basis: 'powersTest' as never }).evaluate(3), [3, 9], 'host evaluation with the family default degree 2');

    const { conv2d: PowersConv2D, linear: PowersLinear } = familyLayers('powersTest');
    assert.equal(PowersConv2D.className, 'PowersTestConv2D', 'class name from the stem');
    assert.equal(registeredClasses().PowersTestConv2D, PowersConv2D, 'registered for serialization');
    assert.equal(familyLayers('powersTest').conv2d, PowersConv2D, 'made once');
    assert.throws(
      () => new PowersConv2D({ filters: 1, kernelSize: 1, degree: 0, name: 'p' }),
      /: PowersTestConv2D 'p': degree must be an integer ≥ 1, but got 0\.$/,
    );

    // 1×1 convolution without base branch or bias: y[o] = Σ_c Σ_k W[c·K + k, o]·x_c^(k+1)
    const layer = new PowersConv2D({ filters: 2, kernelSize: 1, degree: 3, useBase: false, useBias: false, seed: 1 });
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [2, 2, 2] }), layer] });
    const x = tf.randomUniform([1, 2, 2, 2], -1, 1, 'float32', 3);
    const y = model.predict(x) as tf.Tensor;
    const w = layer.getWeights()[0].dataSync(); // [1, 1, C·K, filters]
    const xs = x.dataSync();
    const ys = y.dataSync();
    for (let p = 0; p < 4; p++) {
      for (let o = 0; o < 2; o++) {
        let want = 0;
        for (let c = 0; c < 2; c++) for (let k = 0; k < 3; k++) want += w[(c * 3 + k) * 2 + o] * xs[p * 2 + c] ** (k + 1);
        assert.ok(Math.abs(ys[p * 2 + o] - want) < 1e-5, `pixel ${p}, output ${o}: ${ys[p * 2 + o]} vs ${want}`);
      }
    }
    assert.equal(layer.getConfig().degree, 3, 'the family settings go into the config');
    assert.equal(layer.getConfig().gridSize, undefined, 'settings the family does not read stay out of the config');

    let saved: tf.io.ModelArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    assert.ok(saved, 'nothing was saved');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const y2 = loaded.predict(x) as tf.Tensor;
    assert.equal(loaded.layers[loaded.layers.length - 1].getClassName(), 'PowersTestConv2D', 'the loaded class');
    assert.deepEqual(Array.from(y2.dataSync()), Array.from(ys), 'predictions after loading');

    const samples = sampleBasisEdgeFunctions(layer, { points: 5 });
    assert.deepEqual(samples.x, [-2, -1, 0, 1, 2], 'the family sample range');
    assert.equal(samples.layer.basis, 'powersTest', 'the basis in the samples');

    const linear = new PowersLinear({ units: 3 });
    const ones = tf.ones([2, 4]);
    const z = linear.apply(ones) as tf.Tensor;
    assert.deepEqual(z.shape, [2, 3], 'the Linear family layer runs');

    tf.dispose([x, y, y2, z, ones]);
    model.dispose();
    loaded.dispose();
    linear.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensors leaked');
  });

  test('registration refuses names and class stems that are taken or malformed', () => {
    const like = (name: string, classStem: string | undefined) => ({ ...powers, name, classStem });
    assert.throws(
      () => registerBasisFamily(like('chebyshev', 'Other')),
      /registerBasisFamily: name must be a name no family has yet, but got "chebyshev"\./,
    );
    assert.throws(
      () => registerBasisFamily(like('other', 'KACN')),
      /registerBasisFamily: classStem must be a stem no family has yet, but got "KACN"\./,
    );
    assert.throws(
      () => registerBasisFamily(like('bad name', undefined)),
      /registerBasisFamily: name must be an identifier \(letters and digits\), but got "bad name"\./,
    );
    assert.throws(() => registerBasisFamily(like('other', 'lower')), /registerBasisFamily: classStem must be a class name stem/);
  });
});

describe('what only a family knows stays in its descriptor', () => {
  test("a family's torchBuffers go into the torch state dict and are checked on loading", () => {
    const before = tf.memory().numTensors;
    const shifted = defineFamily({
      ...powers,
      name: 'shiftedTest',
      classStem: undefined,
      torchBuffers: ({ degree }) => [
        { key: 'shift.powers', holds: 'exponents', values: Float32Array.from({ length: degree }, (_, k) => k + 1) },
      ],
    });
    registerBasisFamily(shifted);
    const make = () => {
      const layer = new BasisConvKAN2D({ basis: 'shiftedTest' as never, filters: 1, kernelSize: 1, name: 'sh' });
      tf.dispose(tf.tidy(() => layer.apply(tf.zeros([1, 2, 2, 1])) as tf.Tensor));
      return layer;
    };
    const layer = make();
    const file = parseSafetensors(saveTorchStateDict(layer)).tensors;
    assert.deepEqual(Array.from(file.get('shift.powers')?.data ?? []), [1, 2], 'the buffer is saved under its key');
    const copy = make();
    loadTorchStateDict(copy, saveTorchStateDict(layer));
    const edited = serializeSafetensors(
      Object.fromEntries([...file].map(([k, v]) => [k, k === 'shift.powers' ? { shape: v.shape, data: new Float32Array([1, 3]) } : v])),
    );
    assert.throws(
      () => loadTorchStateDict(copy, edited),
      /BasisConvKAN2D 'sh' shift.powers must equal the layer's exponents \[1, 2\] \(degree 2\), but got \[1, 3\]$/,
    );
    layer.dispose();
    copy.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensors leaked');
  });

  test('code outside bases/ does not compare basis names (except bspline, also the adaptive-grid layers models pick)', () => {
    const kernelDir = path.resolve(basesDir, '..', '..');
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return p === basesDir ? [] : files(p);
        return e.name.endsWith('.ts') ? [p] : [];
      });
    const names = BASIS_NAMES.filter((n) => n !== 'bspline').join('|');
    const compare = new RegExp(`(===|!==|case)\\s*['"\`](${names})['"\`]|['"\`](${names})['"\`]\\s*(===|!==)`);
    const scanned = files(kernelDir);
    assert.ok(
      scanned.some((f) => f.endsWith('torchStateDict.ts')),
      'the scan sees kernel/convkan/io',
    );
    const hits = scanned.flatMap((f) =>
      fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => `${path.relative(kernelDir, f)}:${i + 1}: ${line.trim()}`)
        .filter((line) => compare.test(line)),
    );
    assert.deepEqual(hits, [], 'a family-specific branch belongs in bases/<family>.ts');
    assert.ok(compare.test("if (o.basis === 'rbf') {"), 'the pattern catches a comparison');
  });
});
