import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadOptional,
  MissingDependencyError,
  OrderLifecycleError,
  optionalPeerRanges,
} from '../../src/domain/index.js';

// The in-process tests of loadOptional (the one that needs a Node process of its own for import() stays in
// test/package/optional.test.ts). A folder outside the repository, where none of the optional peer dependencies
// resolves: the failures are Node's own.
let dir: string;
let requireThere: NodeJS.Require;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'order-lifecycle-optional-'));
  requireThere = createRequire(join(dir, 'app.cjs'));
  // A pg that is installed but lacks a package of its own.
  mkdirSync(join(dir, 'node_modules/pg'), { recursive: true });
  writeFileSync(join(dir, 'node_modules/pg/package.json'), '{"name":"pg","version":"8.0.0","main":"index.js"}');
  writeFileSync(join(dir, 'node_modules/pg/index.js'), "require('pg-pool-that-is-missing');");
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

  it("should turn import()'s rejection for a package that is not installed into a rejected MissingDependencyError", async () => {
    const notFound = Object.assign(
      new Error("Cannot find package '@hpcc-js/wasm-graphviz' imported from /app/index.js"),
      {
        code: 'ERR_MODULE_NOT_FOUND',
      },
    );
    const loading = loadOptional('@hpcc-js/wasm-graphviz', 'renderStatechart', () => Promise.reject(notFound));
    await expect(loading).rejects.toBeInstanceOf(MissingDependencyError);
    await expect(loading).rejects.toMatchObject({
      dependency: '@hpcc-js/wasm-graphviz',
      feature: 'renderStatechart',
      range: optionalPeerRanges['@hpcc-js/wasm-graphviz'],
      cause: notFound,
    });
  });

  it("should pass import()'s other rejections on unchanged, and resolve to what the package exports", async () => {
    const broken = Object.assign(
      new Error("Cannot find package 'pg-pool' imported from /app/node_modules/pg/index.js"),
      {
        code: 'ERR_MODULE_NOT_FOUND',
      },
    );
    await expect(loadOptional('pg', 'PostgresStore', () => Promise.reject(broken))).rejects.toBe(broken);
    const exports = { Client: class {} };
    await expect(loadOptional('pg', 'PostgresStore', () => Promise.resolve(exports))).resolves.toBe(exports);
  });

  it('should take either code of Node for a package that is not found, and only from an Error', () => {
    for (const code of ['MODULE_NOT_FOUND', 'ERR_MODULE_NOT_FOUND']) {
      const notFound = Object.assign(new Error("Cannot find module 'ws'"), { code });
      expect(() =>
        loadOptional('ws', 'startInspector', () => {
          throw notFound;
        }),
      ).toThrow(MissingDependencyError);
    }
    const otherCode = Object.assign(new Error("Cannot find module 'ws'"), { code: 'ERR_REQUIRE_ESM' });
    const notAnError = { code: 'MODULE_NOT_FOUND', message: "Cannot find module 'ws'" };
    for (const thrown of [otherCode, notAnError, null, undefined]) {
      let caught: unknown = 'nothing was thrown';
      try {
        loadOptional('ws', 'startInspector', () => {
          throw thrown;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(thrown);
    }
  });
});
