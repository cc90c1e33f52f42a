import * as z from 'zod';
import { InvalidInputError } from './errors.js';
import { preview } from './text.js';

/**
 * Parses untrusted input, or throws an InvalidInputError whose message names each bad field and value; `prefix`
 * puts the paths under where the value sits in a larger payload.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  subject: string,
  prefix = '',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidInputError(
    subject,
    result.error.issues.map((issue) => ({
      path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
      message: `${issue.message} (got ${describe(valueAt(value, issue.path))})`,
    })),
  );
}

/** The value at a path inside an untrusted value, or undefined. */
export function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * An untrusted value as an error message shows it: JSON, cut at 80 characters; a Date as written. Bounded in time
 * and size whatever the value (a 10 MB string, arrays nested 5,000 deep, a cycle).
 */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  return preview(value);
}
