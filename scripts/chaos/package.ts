/**
 * The package under test is the BUILT one (dist/, what `npm publish` ships), loaded by path, so that a drill
 * exercises the code users run. Its types are the source's (the same declarations), so that this suite
 * type-checks without a build.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = resolve(import.meta.dirname, '../..');

export interface BuiltPackage {
  core: typeof import('../../src/index.js');
  service: typeof import('../../src/service/index.js');
  store: typeof import('../../src/store/index.js');
}

const entries = {
  core: 'dist/src/index.js',
  service: 'dist/src/service/index.js',
  store: 'dist/src/store/index.js',
} as const;

/** Thrown when dist/ is missing: the drills run against the built package only. */
export class NotBuiltError extends Error {
  override name = 'NotBuiltError';
}

/** Imports the built package's core, service and store entries from dist/. */
export async function loadBuiltPackage(): Promise<BuiltPackage> {
  const missing = Object.values(entries).filter((path) => !existsSync(resolve(root, path)));
  if (missing.length > 0)
    throw new NotBuiltError(`${missing.join(', ')} missing: run \`npm run -s build\` first (\`npm run chaos\` does).`);
  const load = (path: string) => import(pathToFileURL(resolve(root, path)).href);
  const [core, service, store] = await Promise.all([load(entries.core), load(entries.service), load(entries.store)]);
  return { core, service, store };
}

/** Where a process keeps its orders: a SQLite file, or a PostgreSQL schema. */
export type StoreSpec =
  | { kind: 'sqlite'; filename: string; lockTimeoutMs?: number }
  | { kind: 'postgres'; connectionString: string; schema: string; max?: number; applicationName?: string };

/** Opens the built package's store for `spec`. */
export function openStore(pkg: BuiltPackage, spec: StoreSpec) {
  if (spec.kind === 'sqlite')
    return new pkg.store.SqliteStore({ filename: spec.filename, lockTimeoutMs: spec.lockTimeoutMs });
  const url = new URL(spec.connectionString);
  if (spec.applicationName) url.searchParams.set('application_name', spec.applicationName);
  return new pkg.store.PostgresStore({ connectionString: url.toString(), schema: spec.schema, max: spec.max ?? 4 });
}
