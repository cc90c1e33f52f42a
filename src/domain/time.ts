import * as z from 'zod';

/** The largest instant a JavaScript Date can represent (year 275760). */
const MAX_INSTANT = 8_640_000_000_000_000;

const EpochMs = z.number().int().nonnegative().max(MAX_INSTANT);

/**
 * An instant: epoch milliseconds, an ISO-8601 date-time with `Z` or an offset, or a valid `Date`; parsed to epoch ms.
 * @example
 * Instant.parse(new Date('2026-11-26T10:00:00Z')); // 1795687200000
 */
export const Instant = z.union(
  [
    EpochMs,
    z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
    z.date().transform((date, ctx) => {
      const ms = date.getTime();
      if (EpochMs.safeParse(ms).success) return ms;
      ctx.addIssue({ code: 'custom', message: 'expected a valid Date at or after 1970-01-01' });
      return z.NEVER;
    }),
  ],
  {
    error:
      'expected an ISO-8601 date-time with seconds and an offset (2026-11-26T10:00:00+08:00), epoch milliseconds or a Date',
  },
);
export type Instant = z.input<typeof Instant>;

/** The UTC offset of an ISO-8601 instant in minutes (`+08:00` is 480), or 0 for `Z`, epoch ms and Dates. */
export function offsetMinutesOf(instant: unknown): number {
  if (typeof instant !== 'string') return 0;
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(instant);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/**
 * Formats epoch ms for people: ISO-8601 at the given UTC offset (the order's own, from its `placedAt`).
 * @example
 * formatInstant(Date.parse('2026-11-26T02:30:00Z'), 480); // '2026-11-26T10:30:00+08:00'
 */
export function formatInstant(ms: number, offsetMinutes = 0): string {
  // Deadlines derived from an instant near the end of Date's range can fall outside it.
  const shifted = ms + offsetMinutes * MINUTE;
  if (Math.abs(shifted) > MAX_INSTANT) return `${ms} ms`;
  const iso = new Date(shifted).toISOString();
  if (offsetMinutes === 0) return iso;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${iso.slice(0, -1)}${sign}${hh}:${mm}`;
}
