// The optional peer dependencies (package.json's peerDependenciesMeta) and the one function that loads them. It
// lives at the bottom layer so that the stores and the inspector share it; it imports nothing of Node's, since the
// domain also runs in browsers: the caller passes its own `require` or `import()` as `load`.
import { MissingDependencyError } from './errors.js';

/** Each optional peer dependency and its range in package.json's `peerDependencies` (test/package keeps them equal). */
export const optionalPeerRanges = {
  'better-sqlite3': '^12.11.1',
  pg: '^8.23.1',
  ws: '^8.23.0',
  '@hpcc-js/wasm-graphviz': '^1.29.2',
} as const;

/** The name of an optional peer dependency. */
export type OptionalPeer = keyof typeof optionalPeerRanges;

/**
 * Runs `load` (the caller's `require(name)`, or `import(name)`, which returns a promise) and turns "the package is
 * not installed" into a MissingDependencyError naming `feature`; any other failure (a broken install, a native
 * binding built for another Node) is thrown unchanged.
 * @example
 * const pg = loadOptional('pg', 'PostgresStore', () => createRequire(import.meta.url)('pg') as typeof Pg);
 */
export function loadOptional<T>(name: OptionalPeer, feature: string, load: () => T): T {
  let loaded: T;
  try {
    loaded = load();
  } catch (error) {
    throw missingOr(error, name, feature);
  }
  if (loaded instanceof Promise) {
    return loaded.catch((error: unknown) => {
      throw missingOr(error, name, feature);
    }) as T;
  }
  return loaded;
}

/** MissingDependencyError when `error` says that `name` itself cannot be found, else `error`. */
function missingOr(error: unknown, name: OptionalPeer, feature: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  // require: "Cannot find module 'pg'"; import(): "Cannot find package 'pg' imported from …". A package that is
  // there but misses one of its own dependencies names that one instead, and is a different failure.
  const notFound =
    (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') &&
    error instanceof Error &&
    error.message.includes(`'${name}'`);
  return notFound ? new MissingDependencyError(name, feature, optionalPeerRanges[name], { cause: error }) : error;
}
