import { z } from 'zod';

/** An instant: epoch milliseconds, or an ISO-8601 date-time with `Z` or an offset; parsed to epoch ms. */
/** The largest instant a JavaScript Date can represent (year 275760). */
export const MAX_INSTANT = 8_640_000_000_000_000;

export const Instant = z.union(
  [z.number().int().nonnegative().max(MAX_INSTANT), z.iso.datetime({ offset: true }).transform((text) => Date.parse(text))],
  { error: 'expected an ISO-8601 date-time with seconds and an offset (2026-11-26T10:00:00+08:00) or epoch milliseconds' },
);
export type Instant = z.input<typeof Instant>;

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** Formats epoch ms for people: ISO-8601 in UTC. */
export function formatInstant(ms: number): string {
  // Deadlines derived from an instant near the end of Date's range can fall outside it.
  return Math.abs(ms) <= MAX_INSTANT ? new Date(ms).toISOString() : `${ms} ms`;
}
