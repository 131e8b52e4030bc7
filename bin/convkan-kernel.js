#!/usr/bin/env node
// `npx convkan-kernel install|uninstall`: see kernel/cli/kernelCli.ts (built into out/ by `npm run build`).
const { runKernelCli } = require('../out/kernel/cli/kernelCli.js');
try {
  process.exitCode = runKernelCli(process.argv.slice(2));
} catch (e) {
  console.error(e.message);
  process.exitCode = 2;
}
