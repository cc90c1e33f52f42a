import * as z from 'zod/mini';
import { MAX_INSTANT } from './instant-format.js';

// Kept in a module without zod, for the messages and the inspector page; re-exported here as before.
export { DAY, MINUTE, formatInstant } from './instant-format.js';

const EpochMs = z.number().check(z.int(), z.nonnegative(), z.maximum(MAX_INSTANT));

/**
 * An instant: epoch milliseconds, an ISO-8601 date-time with `Z` or an offset, or a valid `Date`; parsed to epoch ms.
 * @example
 * Instant.parse(new Date('2026-11-26T10:00:00Z')); // 1795687200000
 */
export const Instant = z.union(
  [
    EpochMs,
    z.pipe(
      z.iso.datetime({ offset: true }),
      z.transform((text: string) => Date.parse(text)),
    ),
    z.pipe(
      z.date(),
      z.transform((date: Date, ctx) => {
        const ms = date.getTime();
        if (EpochMs.safeParse(ms).success) return ms;
        ctx.issues.push({ code: 'custom', message: 'expected a valid Date at or after 1970-01-01', input: date });
        return z.NEVER;
      }),
    ),
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
