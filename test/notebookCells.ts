// nbformat 4 cells for the tests that write notebooks (the runner's conformance tests, the
// reproducible-run notebook): a fresh code cell, tagged when asked.
export const codeCell = (source: string, tags?: string[]) => ({
  cell_type: 'code',
  source,
  metadata: tags ? { tags } : {},
  outputs: [],
  execution_count: null,
});
