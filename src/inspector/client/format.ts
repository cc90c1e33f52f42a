/*
 * How the page writes instants, durations and values: in the browser's time zone, relative to the order's
 * purchase, and short enough for a collapsed tree node.
 */
import { word, type Lang } from './i18n.js';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An instant in the browser's time zone.
 * @example
 * localDate(Date.UTC(2026, 11, 5, 15, 59, 59)); // '2026-12-05 23:59:59 GMT+8' in Asia/Shanghai
 */
export function localDate(ms: number): string {
  const date = new Date(ms);
  const offset = -date.getTimezoneOffset();
  const zone = `GMT${offset >= 0 ? '+' : '-'}${Math.floor(Math.abs(offset) / 60)}${Math.abs(offset) % 60 ? `:${pad(Math.abs(offset) % 60)}` : ''}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${zone}`;
}

/**
 * The largest three units of a duration.
 * @example
 * duration(820_985_000); // '9 d 12 h 3 min'
 */
export function duration(ms: number): string {
  let rest = Math.floor(Math.abs(ms) / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (unit === 's' && parts.length === 0)) parts.push(`${n} ${unit}`);
  }
  return parts.slice(0, 3).join(' ');
}

/**
 * How far a deadline is from `now`: `in 5 min`, `3 h ago` (`5 min前` in Chinese).
 * @example
 * countdown(now + 300_000, 'en', now); // 'in 5 min'
 */
export function countdown(deadline: number, lang: Lang, now = Date.now()): string {
  const left = deadline - now;
  return word(lang, left > 0 ? 'in' : 'ago', { duration: duration(left) });
}

/**
 * Whether a context value is an instant: an epoch-ms number under a key such as `placedAt`, `buyerCancelUntil`, `clock`.
 * @example
 * isInstant('placedAt', 1_764_122_400_000); // true
 */
export function isInstant(key: string | number | undefined, value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value > 946_684_800_000 &&
    value < 4_102_444_800_000 &&
    /(^at$|At$|Until$|Date$|^clock$)/.test(String(key ?? ''))
  );
}

/**
 * A step's instant, and how long after the purchase it came.
 * @example
 * formatAt(placedAt + 45 * 60_000, placedAt, 'en'); // '2026-11-26 10:45:00 GMT+8 · +45 min after purchase'
 */
export function formatAt(at: number | null, placedAt: number, lang: Lang): string {
  if (at === null) return '';
  const minutes = Math.round((at - placedAt) / 60_000);
  const relative =
    Math.abs(minutes) < 120
      ? `${minutes} min`
      : Math.abs(minutes) < 48 * 60
        ? `${(minutes / 60).toFixed(1)} h`
        : `${(minutes / 1440).toFixed(1)} d`;
  return `${localDate(at)} · ${word(lang, 'afterPurchase', { relative: `${minutes >= 0 ? '+' : ''}${relative}` })}`;
}

/**
 * A short preview of a value for a collapsed tree node (opening it shows every field in full).
 * @example
 * preview([{ orderItemId: 'A', quantity: 1 }]); // '[1] {"orderItemId":"A","quantity":1}'
 */
export function preview(value: object): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const first =
      typeof value[0] === 'object' && value[0] !== null
        ? preview(value[0] as object)
        : (JSON.stringify(value[0]) ?? '');
    return `[${value.length}] ${first.length > 60 ? `${first.slice(0, 59)}…` : first}${value.length > 1 ? ', …' : ''}`;
  }
  const text =
    JSON.stringify(value, (name: string, inner: unknown) => (isInstant(name, inner) ? localDate(inner) : inner)) ?? '';
  return text.length <= 80 ? text : `${text.slice(0, 79)}…`;
}
