import type { z } from 'zod';
import { InvalidInputError, MAX_TEXT_LENGTH, describe, parseOrThrow } from '../domain/index.js';

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
  return new InvalidInputError(subject, [
    { path, message: arguments.length > 3 ? `${message} (got ${describe(value)})` : message },
  ]);
}

/**
 * Amazon's free text (a buyer's cancel reason, a cancellation's reason) as the core accepts it: well-formed
 * Unicode (a lone surrogate becomes U+FFFD), control characters other than tab and line breaks as spaces, and at
 * most `MAX_TEXT_LENGTH` characters (a longer text is cut, ending in "…"). The event is then applied with the text
 * Amazon sent, as far as it fits, rather than refused whole for a detail of it.
 * @example
 * fitText('x'.repeat(5000)).length; // 1000
 */
export function fitText(text: string): string {
  const clean = text
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, ' ');
  if (clean.length <= MAX_TEXT_LENGTH) return clean;
  // Not cut inside a surrogate pair.
  const end = MAX_TEXT_LENGTH - 1;
  const code = clean.charCodeAt(end - 1);
  return `${clean.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end)}…`;
}
