#!/usr/bin/env node
// `npx convkan-notebook run <nb.ipynb>` / `export <nb.ipynb> --html out.html`: see kernel/cli/notebookCli.ts (built into out/ by `npm run
// build`).
const { runNotebookCli } = require('../out/kernel/cli/notebookCli.js');
runNotebookCli(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(e.message);
    process.exitCode = 2;
  },
);
