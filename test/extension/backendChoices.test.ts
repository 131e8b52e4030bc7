// package.json cannot import kernel/convkan/backend/backendChoices.ts: its `convkan.backend`
// setting (enum, descriptions, default) is checked against it here, so the two cannot drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BACKEND_CHOICES, describeBackendChoice } from '../../kernel/convkan/backend/backendChoices';
import { CONFIG_SECTION, SETTING_BACKEND } from '../../extension/ids';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: {
    configuration: {
      properties: Record<string, { enum?: string[]; enumDescriptions?: string[]; default?: unknown; description?: string }>;
    };
  };
};
const setting = manifest.contributes.configuration.properties[`${CONFIG_SECTION}.${SETTING_BACKEND}`];

test('package.json lists the backend choices of backendChoices.ts, in order', () => {
  assert.ok(setting, `package.json has no ${CONFIG_SECTION}.${SETTING_BACKEND} setting`);
  assert.deepEqual(setting.enum, [...BACKEND_CHOICES]);
  assert.equal(setting.default, 'auto', 'the default lets the kernel pick');
});

test('package.json describes each choice as backendChoices.ts does', () => {
  assert.deepEqual(setting.enumDescriptions, BACKEND_CHOICES.map(describeBackendChoice));
  assert.match(setting.description ?? '', /auto: tfjs-node-gpu, then tfjs-node, then wasm, then cpu/, 'the order auto tries');
});
