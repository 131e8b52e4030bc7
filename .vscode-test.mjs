// @vscode/test-cli: runs test/integration (mocha TDD, inside the extension host) in a downloaded
// VS Code 1.99.3 with this folder as the extension under development. `npm run test:vscode`.
// Needs a machine that can download VS Code; CI here runs test/e2e (code-server) instead.
import { defineConfig } from '@vscode/test-cli';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// A throwaway workspace holding a copy of the fixtures, so tests may run and save notebooks.
const workspaceFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'convkan-vscode-test-'));
fs.cpSync('test/integration/fixtures', workspaceFolder, { recursive: true });

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/**/*.test.js',
  version: '1.99.3',
  workspaceFolder,
  mocha: { ui: 'tdd', timeout: 120_000 },
  launchArgs: ['--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
});
