import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

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

describe('the README example', () => {
  it('should run against the source and produce the values its comments claim', () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const code = `import assert from 'node:assert';\n${withAssertions(example).replace("from 'order-lifecycle'", `from ${JSON.stringify(resolve(root, 'src/index.ts'))}`)}`;
    expect(code).toContain('assert.deepStrictEqual(orderStatus(result.snapshot)');
    const dir = mkdtempSync(resolve(root, 'node_modules/.readme-'));
    const file = resolve(dir, 'example.ts');
    writeFileSync(file, code);
    expect(() => execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });
});
