import type { z } from 'zod';
import { InvalidInputError } from '../index.js';
import { describe, parseOrThrow } from '../domain/index.js';

export { describe };

/**
 * Parses an untrusted Amazon payload, or throws the core's InvalidInputError naming each bad field by its
 * path in the payload (`Payload.OrderChangeNotification.Summary.OrderItems.0.Quantity`) and the value seen.
 */
export function parseAmazon<S extends z.ZodType>(schema: S, value: unknown, subject: string, prefix = ''): z.output<S> {
  return parseOrThrow(schema, value, subject, prefix);
}

/** One issue at a path, as the core's InvalidInputError carries it. */
export function invalid(subject: string, path: string, message: string, value?: unknown): InvalidInputError {
  return new InvalidInputError(subject, [{ path, message: arguments.length > 3 ? `${message} (got ${describe(value)})` : message }]);
}


