/**
 * The published documents whose TypeScript blocks test/docs/code-blocks.test.ts checks and runs, and whose links
 * test/docs/links.test.ts checks (that one adds the pages below without TypeScript of their own to check).
 */
export const documentsWithCode = [
  'README.md',
  'docs/core.md',
  'docs/rules.md',
  'docs/testing.md',
  'docs/statechart.md',
  'docs/inspector.md',
  'docs/service.md',
  'docs/metrics.md',
  'docs/extending.md',
  'docs/embedding/react.md',
  'docs/embedding/http-service.md',
  'docs/embedding/postgres-worker.md',
];

/** Documents whose links are checked. */
export const linkedDocuments = [...documentsWithCode, 'docs/amazon.md', 'docs/cli.md'];
