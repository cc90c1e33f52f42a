import type { z } from 'zod';
import { InvalidInputError } from '../index.js';

/**
 * Parses an untrusted Amazon payload, or throws the core's InvalidInputError naming each bad field by its
 * path in the payload (`Payload.OrderChangeNotification.Summary.OrderItems.0.Quantity`) and the value seen.
 */
export function parseAmazon<S extends z.ZodType>(schema: S, value: unknown, subject: string, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidInputError(
    subject,
    result.error.issues.map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return { path: path || '(root)', message: `${issue.message} (got ${describe(valueAt(value, issue.path))})` };
    }),
  );
}

/** One issue at a path, as the core's InvalidInputError carries it. */
export function invalid(subject: string, path: string, message: string, value?: unknown): InvalidInputError {
  return new InvalidInputError(subject, [{ path, message: arguments.length > 3 ? `${message} (got ${describe(value)})` : message }]);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** A value as an error message shows it: JSON, cut at 80 characters. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
