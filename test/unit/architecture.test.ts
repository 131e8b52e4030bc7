// Imports go one way: extension → kernel/protocol; kernel/exec → kernel/display → kernel/convkan →
// @tensorflow/*; kernel/display and renderers/ share the payload modules in kernel/payloads, which
// import nothing outside their folder; outside code sees the library only through its index, as it
// would a package, except the extension, which also reads the backend choices (a file with no
// imports, so bundling it pulls in nothing else). This test reads every source file's
// import specifiers and fails on any edge that breaks the layering, so the rule cannot rot silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '..', '..');
const MIME_TYPES_FILE = 'kernel/display/mimeTypes.ts';
const BACKEND_CHOICES_FILE = 'kernel/convkan/backend/backendChoices.ts';
const PAYLOADS = 'kernel/payloads';

interface Rule {
  /** Folder whose files this rule governs (repo-relative, forward slashes). */
  folder: string;
  /** Repo-relative folders or files that files in `folder` may import. */
  allowedLocal: string[];
  /** Bare package specifiers allowed (prefix match); node builtins are always allowed unless `noNode`. */
  allowedPackages: string[];
  /** Code that also runs in the browser bundles: no node builtins either. */
  noNode?: boolean;
}

const RULES: Rule[] = [
  { folder: 'kernel/convkan', allowedLocal: ['kernel/convkan'], allowedPackages: ['@tensorflow/'] },
  { folder: PAYLOADS, allowedLocal: [PAYLOADS], allowedPackages: [], noNode: true },
  { folder: 'kernel/display', allowedLocal: ['kernel/display', 'kernel/convkan', PAYLOADS], allowedPackages: ['@tensorflow/'] },
  {
    folder: 'kernel/exec',
    allowedLocal: ['kernel/exec', 'kernel/display', 'kernel/convkan', PAYLOADS],
    allowedPackages: ['@tensorflow/', 'typescript'],
  },
  { folder: 'kernel/protocol', allowedLocal: ['kernel/protocol', 'kernel/payloads/runEnvironment.ts'], allowedPackages: ['zeromq'] },
  {
    folder: 'extension',
    allowedLocal: ['extension', 'kernel/protocol', MIME_TYPES_FILE, BACKEND_CHOICES_FILE],
    allowedPackages: ['vscode', 'zeromq'],
  },
  {
    folder: 'renderers',
    allowedLocal: ['renderers', PAYLOADS],
    allowedPackages: ['plotly.js-dist-min', 'vscode-notebook-renderer'],
    noNode: true,
  },
];

function sourceFiles(dir: string): string[] {
  // A folder that is gone throws here: a rule over no files would pass without checking anything.
  const abs = path.join(root, dir);
  const out: string[] = [];
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Import/require/dynamic-import/export-from specifiers of a TypeScript source, read by TypeScript's own pre-processor. */
export function importSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** Broken edges of `rule`; `read` defaults to the files on disk (tests pass made-up sources). */
function violations(
  rule: Rule,
  read: (file: string) => string = (f) => fs.readFileSync(path.join(root, f), 'utf8'),
  files = sourceFiles(rule.folder),
): string[] {
  const bad: string[] = [];
  for (const file of files) {
    const src = read(file);
    for (const spec of importSpecifiers(src)) {
      if (spec.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
        const ok = rule.allowedLocal.some((a) =>
          a.endsWith('.ts') ? target === a.replace(/\.ts$/, '') || target === a : target === a || target.startsWith(`${a}/`),
        );
        if (!ok) bad.push(`${file} imports ${spec} (→ ${target})`);
      } else if (spec.startsWith('node:') || isBuiltin(spec)) {
        if (rule.noNode) bad.push(`${file} imports node builtin ${spec}`);
      } else if (!rule.allowedPackages.some((p) => spec === p || spec.startsWith(p.endsWith('/') ? p : `${p}/`))) {
        bad.push(`${file} imports package ${spec}`);
      }
    }
  }
  return bad;
}

function isBuiltin(spec: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require('node:module').builtinModules.includes(spec.split('/')[0]);
}

for (const rule of RULES) {
  test(`imports from ${rule.folder}/ follow the layering`, () => {
    assert.deepEqual(
      violations(rule),
      [],
      `allowed: ${rule.allowedLocal.join(', ')}; packages: ${rule.allowedPackages.join(', ') || 'none'}`,
    );
  });
}

/** The library is a package: code outside it imports its index only (kernel/convkan/index.ts). */
const LIBRARY = 'kernel/convkan';

/**
 * The library's entry points, as a package's exports: its index, and the backend choices, a file
 * with no imports that the extension reads without loading TensorFlow.js.
 */
const LIBRARY_ENTRIES = [`${LIBRARY}/index`, BACKEND_CHOICES_FILE.replace(/\.ts$/, '')];

/** Imports of `file` (repo-relative) that reach past the library's entry points into its files. */
export function deepLibraryImports(file: string, source: string): string[] {
  if (file === LIBRARY || file.startsWith(`${LIBRARY}/`)) return [];
  return importSpecifiers(source)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => ({ spec, target: path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)) }))
    .filter(({ target }) => target.startsWith(`${LIBRARY}/`) && !LIBRARY_ENTRIES.includes(target))
    .map(({ spec, target }) => `${file} imports ${spec} (→ ${target}); import '${LIBRARY}' (its index) instead`);
}

test('code outside the library imports only its index', () => {
  // test/ reaches into the library's files on purpose (unit tests of its parts); everything else is a client.
  const clients = ['kernel', 'extension', 'renderers'].flatMap(sourceFiles);
  assert.ok(
    clients.some((f) => f.startsWith('kernel/display/')),
    'the scan sees kernel/display',
  );
  const bad = clients.flatMap((file) => deepLibraryImports(file, fs.readFileSync(path.join(root, file), 'utf8')));
  assert.deepEqual(bad, [], 'deep imports into the library');
});

test('the index-only rule catches deep imports and lets index imports and the library itself through', () => {
  const src =
    `import { A } from '../convkan/layers/convKan2d';\nimport type { B } from '../convkan';\n` +
    `const c = require('../convkan/index');\nconst d = require('../convkan/repro/seedEnv');`;
  assert.deepEqual(deepLibraryImports('kernel/display/x.ts', src), [
    'kernel/display/x.ts imports ../convkan/layers/convKan2d (→ kernel/convkan/layers/convKan2d); ' +
      "import 'kernel/convkan' (its index) instead",
    "kernel/display/x.ts imports ../convkan/repro/seedEnv (→ kernel/convkan/repro/seedEnv); import 'kernel/convkan' (its index) instead",
  ]);
  assert.deepEqual(
    deepLibraryImports('kernel/convkan/layers/x.ts', `import { y } from '../inspect/y';`),
    [],
    'the library imports its own files freely',
  );
  assert.deepEqual(
    deepLibraryImports('extension/x.ts', `import { y } from '../kernel/convkan/io/safetensors';`).length,
    1,
    'the extension is a client too',
  );
  assert.deepEqual(
    deepLibraryImports('extension/x.ts', `import { y } from '../kernel/convkan/backend/backendChoices';`),
    [],
    'the backend choices are an entry',
  );
});

test('the import scanner sees every import form (so the layering checks can fail)', () => {
  const src =
    `import a from './a';\nimport type { B } from "../b";\nexport { c } from './c';\nimport './d';\nconst e = require('zeromq');\n` +
    `const f = await import('vscode');\n// import g from './ignored';`;
  assert.deepEqual(importSpecifiers(src).sort(), ['../b', './a', './c', './d', 'vscode', 'zeromq'].sort());
});

test('the standard MIME constants file has no imports', () => {
  const src = fs.readFileSync(path.join(root, MIME_TYPES_FILE), 'utf8');
  assert.deepEqual(importSpecifiers(src), []);
});

test('the backend choices file has no imports, so the extension can bundle it without TensorFlow.js', () => {
  const src = fs.readFileSync(path.join(root, BACKEND_CHOICES_FILE), 'utf8');
  assert.deepEqual(importSpecifiers(src), []);
});

test('kernel/payloads holds one module per ConvKAN MIME type, and the rule for it can fail', () => {
  const files = sourceFiles(PAYLOADS).map((f) => path.posix.basename(f));
  for (const view of ['splines', 'patches', 'timing', 'training', 'activations'])
    assert.ok(files.includes(`${view}.ts`), `${PAYLOADS}/${view}.ts in ${files.join(', ')}`);
  // A file importing the kernel (even type-only) or a node builtin would break the browser bundles.
  const rule = RULES.find((r) => r.folder === PAYLOADS)!;
  const probe = `${PAYLOADS}/probe.ts`;
  const src = "import type { MimeBundle } from '../display/mimeTypes';\nimport fs from 'node:fs';\nimport { int } from './check';\n";
  assert.deepEqual(
    violations(rule, () => src, [probe]),
    [`${probe} imports ../display/mimeTypes (→ kernel/display/mimeTypes)`, `${probe} imports node builtin node:fs`],
  );
});

/** Declarations that must exist once in kernel/: each pattern, and the one file allowed to hold it. */
const SPELLED_ONCE: Array<{ what: string; pattern: RegExp; home: string }> = [
  {
    what: 'the Conv geometry arguments (kernelSize …)',
    pattern: /^\s*kernelSize\??: number \|/,
    home: 'kernel/convkan/conv/convGeometry.ts',
  },
  {
    what: "tf.layers.Layer's constructor arguments",
    pattern: /ConstructorParameters<typeof tf\.layers\.Layer>/,
    home: 'kernel/convkan/layers/argNames.ts',
  },
  { what: 'side padding [[top, bottom], [left, right]]', pattern: /type SidePadding =/, home: 'kernel/convkan/conv/convGeometry.ts' },
  { what: 'a pair [number, number]', pattern: /type Pair =/, home: 'kernel/convkan/conv/convGeometry.ts' },
  { what: 'the SiLU base activation', pattern: /export function silu\b/, home: 'kernel/convkan/layers/kanMath.ts' },
];

test('argument shapes and shared functions are declared once and imported elsewhere', () => {
  const files = sourceFiles('kernel');
  for (const { what, pattern, home } of SPELLED_ONCE) {
    const where = files.filter((f) =>
      fs
        .readFileSync(path.join(root, f), 'utf8')
        .split('\n')
        .some((line) => pattern.test(line)),
    );
    assert.deepEqual(where, [home], `${what}: declare it in ${home} and extend or import it`);
  }
  assert.ok(SPELLED_ONCE[0].pattern.test('  kernelSize: number | Pair;'), 'the pattern sees a respelled kernelSize');
});
