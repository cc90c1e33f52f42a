import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadOptional,
  MissingDependencyError,
  OrderLifecycleError,
  optionalPeerRanges,
} from '../../src/domain/index.js';

// A folder outside the repository, where none of the optional peer dependencies resolves: the failures are Node's own.
let dir: string;
let requireThere: NodeJS.Require;
const root = resolve(import.meta.dirname, '../..');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'order-lifecycle-optional-'));
  requireThere = createRequire(join(dir, 'app.cjs'));
  // A pg that is installed but lacks a package of its own.
  mkdirSync(join(dir, 'node_modules/pg'), { recursive: true });
  writeFileSync(join(dir, 'node_modules/pg/package.json'), '{"name":"pg","version":"8.0.0","main":"index.js"}');
  writeFileSync(join(dir, 'node_modules/pg/index.js'), "require('pg-pool-that-is-missing');");
  writeFileSync(join(dir, 'graphviz.mjs'), "export * from '@hpcc-js/wasm-graphviz';");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadOptional', () => {
  it('should turn a require of a package that is not installed into a MissingDependencyError naming the feature and the install command', () => {
    let error: unknown;
    try {
      loadOptional('better-sqlite3', 'SqliteStore', () => requireThere('better-sqlite3'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error).toBeInstanceOf(OrderLifecycleError);
    expect(error).toMatchObject({
      name: 'MissingDependencyError',
      dependency: 'better-sqlite3',
      feature: 'SqliteStore',
      range: optionalPeerRanges['better-sqlite3'],
      message: `SqliteStore needs the optional peer dependency better-sqlite3: run npm install better-sqlite3@${optionalPeerRanges['better-sqlite3']}.`,
    });
    expect((error as Error).cause).toMatchObject({ code: 'MODULE_NOT_FOUND' });
  });

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

  it("should throw a package's own missing dependency unchanged: the package is there, its install is broken", () => {
    expect(() => loadOptional('pg', 'PostgresStore', () => requireThere('pg'))).toThrow(
      expect.objectContaining({
        code: 'MODULE_NOT_FOUND',
        message: expect.stringContaining("'pg-pool-that-is-missing'"),
      }),
    );
    expect(() => loadOptional('pg', 'PostgresStore', () => requireThere('pg'))).not.toThrow(MissingDependencyError);
  });

  it('should throw any other failure unchanged, and return what the package exports when it loads', () => {
    const failure = new Error('Could not locate the bindings file.');
    expect(() =>
      loadOptional('better-sqlite3', 'SqliteStore', () => {
        throw failure;
      }),
    ).toThrow(failure);
    const ws = loadOptional(
      'ws',
      'startInspector',
      () => createRequire(import.meta.url)('ws') as { WebSocketServer: unknown },
    );
    expect(typeof ws.WebSocketServer).toBe('function');
  });
});
