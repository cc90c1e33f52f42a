import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as service from '../../src/service/index.js';
import * as store from '../../src/store/index.js';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

describe('the service and store entries', () => {
  it('should map order-lifecycle/service and order-lifecycle/store to their sources, types first', () => {
    for (const [subpath, source] of [
      ['./service', 'src/service/index.ts'],
      ['./store', 'src/store/index.ts'],
    ] as const) {
      const target = pkg.exports[subpath];
      expect(Object.keys(target)).toEqual(['types', 'import', 'default']);
      expect(target.default).toBe(target.import);
      expect(target.import.replace('./dist/', '').replace(/\.js$/, '.ts')).toBe(source);
      expect(target.types.replace('./dist/', '').replace(/\.d\.ts$/, '.ts')).toBe(source);
      expect(existsSync(resolve(root, source))).toBe(true);
    }
  });

  it('should export the documented names', () => {
    expect(Object.keys(service).sort()).toEqual([
      'OrderConflictError',
      'OrderNotFoundError',
      'UnreadableOrderError',
      'createOrderService',
      'storedSnapshots',
    ]);
    expect(Object.keys(store).sort()).toEqual([
      'MemoryStore',
      'MissingDependencyError',
      'POSTGRES_SCHEMA',
      'PostgresStore',
      'SQLITE_SCHEMA',
      'SqliteStore',
      'StoreBusyError',
      'StoreConnectionError',
      'StoreError',
      'StoreFullError',
      'WriteConflictError',
    ]);
  });

  it('should take better-sqlite3 12 and pg 8 as optional peer dependencies, installed for its own tests', () => {
    for (const [name, major] of [
      ['better-sqlite3', /^\^12\./],
      ['pg', /^\^8\./],
    ] as const) {
      expect(pkg.peerDependencies[name], name).toMatch(major);
      expect(pkg.peerDependenciesMeta[name], name).toEqual({ optional: true });
      expect(pkg.devDependencies[name], name).toBe(pkg.peerDependencies[name]);
      expect(pkg.dependencies[name], name).toBeUndefined();
    }
  });
});
