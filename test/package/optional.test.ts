import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionalPeerRanges } from '../../src/domain/index.js';

// A folder outside the repository, where none of the optional peer dependencies resolves: the failures are Node's own.
// The in-process tests of loadOptional are in test/domain/optional.test.ts, where the mutation run counts them.
let dir: string;
const root = resolve(import.meta.dirname, '../..');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'order-lifecycle-optional-'));
  writeFileSync(join(dir, 'graphviz.mjs'), "export * from '@hpcc-js/wasm-graphviz';");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadOptional', () => {
  it('should turn an import() of a package that is not installed into a rejected MissingDependencyError', () => {
    // In a Node process of its own: the test runner's import() resolves packages its own way.
    const script = `import { loadOptional } from ${JSON.stringify(pathToFileURL(resolve(root, 'src/domain/index.ts')).href)};
      try {
        await loadOptional('@hpcc-js/wasm-graphviz', 'renderStatechart', () => import(${JSON.stringify(pathToFileURL(join(dir, 'graphviz.mjs')).href)}));
      } catch (error) {
        console.log(JSON.stringify({ name: error.name, message: error.message, cause: error.cause?.code }));
      }`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      name: 'MissingDependencyError',
      message: `renderStatechart needs the optional peer dependency @hpcc-js/wasm-graphviz: run npm install @hpcc-js/wasm-graphviz@${optionalPeerRanges['@hpcc-js/wasm-graphviz']}.`,
      cause: 'ERR_MODULE_NOT_FOUND',
    });
  });
});
