import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as amazon from '../../src/amazon/index.js';

const root = resolve(import.meta.dirname, '../..');
const doc = readFileSync(resolve(root, 'docs/amazon.md'), 'utf8');

/** Turns `expr; // 'value'` comment lines of a doc example into assertions on the value. */
function withAssertions(code: string): string {
  return code
    .split('\n')
    .map((line) => {
      const match = /^(?:(?:const|let)\s+)?(.+?);\s*\/\/\s*('.*')\s*$/.exec(line);
      return match ? `assert.deepStrictEqual(${match[1]}, ${match[2]}, ${JSON.stringify(match[1])});` : line;
    })
    .join('\n');
}

describe('docs/amazon.md', () => {
  it('should run its first example against the source and produce the values its comments claim', () => {
    const example = /```ts\n([\s\S]*?)```/.exec(doc)![1]!;
    const code = `import assert from 'node:assert';\n${withAssertions(example)
      .replace("from 'order-lifecycle/amazon'", `from ${JSON.stringify(resolve(root, 'src/amazon/index.ts'))}`)
      .replace("from 'order-lifecycle'", `from ${JSON.stringify(resolve(root, 'src/index.ts'))}`)}`;
    expect(code.match(/assert\.deepStrictEqual/g)?.length).toBeGreaterThanOrEqual(7);
    const dir = mkdtempSync(resolve(root, 'node_modules/.amazon-doc-'));
    const file = resolve(dir, 'example.ts');
    writeFileSync(file, code);
    expect(() => execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });

  it('should document every function the entry exports', () => {
    const functions = Object.entries(amazon).filter(([, value]) => typeof value === 'function' && !('safeParse' in (value as object)));
    expect(functions.map(([name]) => name).sort()).toEqual(
      ['applyFeed', 'buildAdjustmentFeed', 'buildCancellationFeed', 'eventsFromNotification', 'eventsFromSpApi', 'orderInputFromSpApi', 'parseFeed', 'processingReportXml', 'spApiStatus'],
    );
    for (const [name] of functions) expect(doc, name).toContain(`\`${name}(`);
  });

  it('should list every result code with its number', () => {
    for (const [code, number] of Object.entries(amazon.feedResultCodes).filter(([, n]) => n < 90100)) {
      expect(doc).toContain(`| ${code} | ${number} |`);
    }
  });
});

describe('the package entry', () => {
  it('should export order-lifecycle/amazon with its types first, built from src/amazon/index.ts', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
    expect(pkg.exports['./amazon']).toEqual({ types: './dist/src/amazon/index.d.ts', import: './dist/src/amazon/index.js' });
    for (const name of ['fast-xml-parser', 'csv-parse', 'csv-stringify']) expect(pkg.dependencies[name], name).toBeDefined();
  });
});
