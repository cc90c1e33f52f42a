import { z } from 'zod';

/** An instant: epoch milliseconds, or an ISO-8601 date-time with `Z` or an offset; parsed to epoch ms. */
export const Instant = z.union([
  z.number().int().nonnegative(),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
]);
export type Instant = z.input<typeof Instant>;

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** Formats epoch ms for people: ISO-8601 in UTC. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}
