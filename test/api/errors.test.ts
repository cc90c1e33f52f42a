import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as amazon from '../../src/amazon/index.js';
import * as core from '../../src/index.js';
import * as inspector from '../../src/inspector/index.js';
import * as service from '../../src/service/index.js';
import * as store from '../../src/store/index.js';
import * as testing from '../../src/testing/index.js';

const root = resolve(import.meta.dirname, '../..');

/** Every exported class of every entry point whose instances are errors. */
const errorClasses: Array<[string, abstract new (...args: never[]) => Error]> = [];
for (const [name, value] of Object.entries({ ...core, ...testing, ...inspector, ...amazon, ...service, ...store })) {
  if (typeof value === 'function' && value.prototype instanceof Error) {
    errorClasses.push([name, value as unknown as abstract new (...args: never[]) => Error]);
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe("the package's errors", () => {
  it('should export error classes that all extend OrderLifecycleError and name themselves', () => {
    expect(errorClasses.map(([name]) => name)).toEqual(
      expect.arrayContaining(['InvalidInputError', 'StoreError', 'WriteConflictError', 'OrderCheckError']),
    );
    for (const [name, ErrorClass] of errorClasses) {
      if (ErrorClass !== core.OrderLifecycleError)
        expect(ErrorClass.prototype, name).toBeInstanceOf(core.OrderLifecycleError);
      expect(ErrorClass.prototype, name).toBeInstanceOf(Error);
    }
    expect(new store.StoreFullError('full').name).toBe('StoreFullError');
    expect(new store.StoreConnectionError('lost', 'no')).toBeInstanceOf(store.StoreError);
  });

  it('should throw no plain Error or TypeError and declare no error class outside OrderLifecycleError in src/', () => {
    const offenders = [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'machines'))]
      // The inspector page's scripts run in the browser, apart from the package's errors.
      .filter((file) => !relative(root, file).startsWith('src/inspector/client/'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ line, where: `${relative(root, file)}:${index + 1}` }))
          .filter(({ line }) =>
            /throw new (Error|TypeError|RangeError)\(|class \w+ extends (Error|TypeError)\b/.test(line),
          )
          .map(({ where, line }) => `${where}: ${line.trim()}`),
      );
    expect(offenders).toEqual(['src/domain/errors.ts:16: export class OrderLifecycleError extends Error {']);
  });
});
