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
      expect(Object.keys(target)).toEqual(['types', 'import']);
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

  it('should depend on better-sqlite3 12 and pg 8 at run time', () => {
    expect(pkg.dependencies['better-sqlite3']).toMatch(/^\^12\./);
    expect(pkg.dependencies['pg']).toMatch(/^\^8\./);
  });
});
