/*
 * Instants for people, without zod: the domain's time units and `formatInstant`. The messages and the inspector
 * page's bundle use them, so nothing here may import zod (time.ts, which parses instants with zod, re-exports them).
 */

/** The largest instant a JavaScript Date can represent (year 275760). */
export const MAX_INSTANT = 8_640_000_000_000_000;

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
