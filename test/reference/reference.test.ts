// The exactness test: every case of the reference folder (CONVKAN_REFERENCE_DIR, default
// ../shared/reference/convkan, else test/fixtures/reference-convkan), on cpu and wasm, through both
// exact ConvKAN2D paths (on wasm the expanded one both sparse and dense). A case that cannot be read
// or built fails; nothing is skipped.
import { describe, test, before } from 'node:test';
import * as path from 'node:path';
import { caseFiles, readCase, referenceDir } from './referenceCases';
import { runConvCase, runLinearCase, type ConvVariant } from './runCase';
import { TEST_BACKENDS, useBackend } from './backends';

const dir = referenceDir();
const CONV_VARIANTS: ConvVariant[] = [
  { forwardPath: 'expanded', dataFormat: 'channelsLast' },
  // the dense expanded path too (on wasm the default is the sparse B-spline kernel; cpu has only the dense one)
  { forwardPath: 'expanded', dataFormat: 'channelsLast', sparse: false },
  { forwardPath: 'unfold', dataFormat: 'channelsFirst' },
];

let files: string[] = [];
let listingError: Error | null = null;
try {
  files = caseFiles(dir);
} catch (e) {
  listingError = e as Error;
}

test(`reference folder ${dir} holds cases`, () => {
  if (listingError) throw listingError;
});

for (const backend of TEST_BACKENDS) {
  describe(`reference vectors on ${backend}`, () => {
    before(async () => useBackend(backend));
    for (const file of files) {
      const base = path.basename(file);
      test(`${base}`, () => {
        const c = readCase(file);
        if (c.kind === 'convkan2d') {
          for (const v of CONV_VARIANTS) {
            try {
              runConvCase(c, v);
            } catch (e) {
              (e as Error).message = `[${v.forwardPath}${v.sparse === false ? ' dense' : ''}, ${v.dataFormat}] ${(e as Error).message}`;
              throw e;
            }
          }
        } else if (c.kind === 'kanlinear') {
          runLinearCase(c);
        } else {
          throw new Error(`${base}: unknown kind ${JSON.stringify(c.kind)} (expected 'convkan2d' or 'kanlinear')`);
        }
      });
    }
  });
}
