import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POSTGRES_SCHEMA, SQLITE_SCHEMA } from '../../src/store/index.js';

const root = resolve(import.meta.dirname, '../..');
const doc = readFileSync(resolve(root, 'docs/service.md'), 'utf8');

describe('docs/service.md', () => {
  it('should cite only test files that exist, and cite each process-level test', () => {
    const cited = [...new Set([...doc.matchAll(/`(test\/[\w/.-]+\.ts)(?:#\w+)?`/g)].map((m) => m[1]!))];
    expect(cited.filter((file) => !existsSync(resolve(root, file)))).toEqual([]);
    expect(cited).toEqual(
      expect.arrayContaining([
        'test/service/processes.test.ts',
        'test/service/postgres-race.test.ts',
        'test/store/contract.test.ts',
      ]),
    );
  });

  it('should show the SQLite schema the store creates, statement for statement', () => {
    const block = doc.match(/```sql\n([\s\S]*?)```/)![1]!;
    expect(block.trim()).toBe(SQLITE_SCHEMA.trim());
    // The PostgreSQL schema has the same tables and indexes.
    const names = (sql: string) =>
      [...sql.matchAll(/CREATE (?:TABLE|INDEX) IF NOT EXISTS (?:%s\.)?(\w+)/g)].map((m) => m[1]);
    expect(names(POSTGRES_SCHEMA)).toEqual(names(SQLITE_SCHEMA));
  });

  it('should give the command that produced the bench table, and the table in docs/performance.md', () => {
    expect(doc).toContain('npm run bench -- service');
    const performance = readFileSync(new URL('../../docs/performance.md', import.meta.url), 'utf8');
    expect(performance).toContain('npm run bench -- service');
    expect(performance).toMatch(/\| sweep of 1,000 due among 1,000,000 stored \| sqlite \|/);
  });
});
