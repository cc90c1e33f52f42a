import {
  formatDateTime,
  statusNames,
  type Effect,
  type Lang,
  type OrderStatus,
  type ParsedOrderEvent,
  type Verdict,
} from '../domain/index.js';
import { orderStatus, type ReplayStep } from '../runtime/index.js';

import { formatCount, renderCli, type TextKey, type TextParams } from '../domain/locales/cli.js';

export { formatCount, renderCli, type TextKey, type TextParams };
/** The keys under a prefix, without it: `KeysUnder<'cli.status.'>` has `'order'`, `'placed'`, …. */
export type KeysUnder<Prefix extends string, Key = TextKey> = Key extends `${Prefix}${infer Rest}` ? Rest : never;

/** One line per step: the event, accepted or refused (with code), the status after it, and the message. */
export function formatStep(step: ReplayStep, index: number, lang: Lang): string {
  const event = step.event ? String(step.event['type']) : 'order.placed';
  const offset = step.snapshot.context.utcOffsetMinutes;
  const at = formatAt(step.event ? step.event['at'] : step.snapshot.context.placedAt, offset);
  const mark = step.verdict.accepted
    ? renderCli(lang, 'cli.accepted')
    : renderCli(lang, 'cli.refused', { code: step.verdict.code ?? '' });
  const effects = step.effects.length
    ? `\n      ${renderCli(lang, 'cli.stepEffects', { effects: step.effects.map((effect) => effect.type).join(', ') })}`
    : '';
  return `  ${String(index).padStart(2)}. ${at}  ${event.padEnd(26)} ${mark} -> ${orderStatus(step.snapshot)}\n      ${step.verdict.message[lang]}${effects}`;
}

/**
 * An event's instant for people in the order's own offset, as the messages and the inspector write one
 * (`formatDateTime`); as given when it is not an instant.
 * @example
 * formatAt('2026-11-26T02:30:00Z', 480); // '2026-11-26 10:30:00 GMT+8'
 */
export function formatAt(at: unknown, offset: number): string {
  const ms =
    typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at instanceof Date ? at.getTime() : NaN;
  return Number.isNaN(ms) ? String(at) : formatDateTime(ms, { offsetMinutes: offset });
}

/** Epoch ms as ISO-8601 in UTC, as JSON output shows instants; null stays null. */
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** A text key with a count: `….one` and `….other` (`cli.sweep.orders`). */
export type CountedKey = TextKey extends infer Key ? (Key extends `${infer Stem}.one` ? Stem : never) : never;

/**
 * The text of `key` for `count` things: `….one` for one, `….other` otherwise, with `{count}` as `shown`.
 * @example
 * counted('en', 'cli.sweep.orders', 2); // '2 orders'
 */
export function counted(lang: Lang, key: CountedKey, count: number, shown = formatCount(lang, count)): string {
  return renderCli(lang, `${key}.${count === 1 ? 'one' : 'other'}` as TextKey, { count: shown });
}

/** An order status for people: `unshipped`, or `【未发货】` in Chinese. */
export function statusText(status: string | null, lang: Lang): string {
  if (status === null) return renderCli(lang, 'cli.noStatus');
  return statusNames[status]?.[lang] ?? status;
}

/** `accepted` or `refused CODE`, in the language, with the verdict's flags (late, duplicate, conflict). */
export function verdictMark(verdict: Verdict, lang: Lang): string {
  const mark = verdict.accepted
    ? renderCli(lang, 'cli.accepted')
    : renderCli(lang, 'cli.refused', { code: verdict.code ?? '' }).trimEnd();
  const flags = [
    verdict.late ? renderCli(lang, 'cli.late') : '',
    verdict.duplicate ? renderCli(lang, 'cli.duplicate') : '',
    verdict.conflict ? renderCli(lang, 'cli.conflict') : '',
  ].filter(Boolean);
  return flags.length
    ? renderCli(lang, 'cli.flagged', { mark, flags: flags.join(renderCli(lang, 'cli.flagSeparator')) })
    : mark;
}

/** The effects of a step as one line: `buyer.notified (orderCanceled), items.refunded (A×1)`, or `none`. */
export function effectsText(effects: readonly Effect[], lang: Lang): string {
  if (effects.length === 0) return renderCli(lang, 'cli.noEffects');
  return effects
    .map((effect) => {
      if (effect.type === 'buyer.notified' || effect.type === 'seller.notified')
        return `${effect.type} (${effect.topic})`;
      if (effect.type === 'items.refunded')
        return `${effect.type} (${effect.items.map((item) => `${item.orderItemId}×${item.quantity}`).join(', ')})`;
      return effect.type;
    })
    .join(', ');
}

/** An event as JSON output shows it: `at` as ISO-8601 in UTC. */
export function eventJson(event: Record<string, unknown>): Record<string, unknown> {
  return typeof event['at'] === 'number' ? { ...event, at: isoTime(event['at']) } : event;
}

/** Labelled lines with the values aligned after the longest label (terminal columns, Chinese counted double). */
export function labelled(rows: ReadonlyArray<readonly [string, string]>, indent = '  '): string {
  const widest = Math.max(...rows.map(([label]) => columns(label)));
  return rows.map(([label, value]) => `${indent}${label}${' '.repeat(widest - columns(label))}  ${value}`).join('\n');
}

/**
 * Columns a terminal gives a text: two for East Asian wide characters.
 * @example
 * columns('取消率'); // 6
 */
export function columns(text: string): number {
  let total = 0;
  for (const char of text)
    total += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(char)
      ? 2
      : 1;
  return total;
}

/** What `apply` and `explain` report of one event on a stored order. */
export interface Outcome {
  orderId: string;
  event: ParsedOrderEvent;
  verdict: Verdict;
  statusBefore: OrderStatus;
  statusAfter: OrderStatus;
  versionBefore: number;
  versionAfter: number;
  effects: Effect[];
  /** The order's clock offset, for showing instants in its own time zone. */
  offset: number;
}

/**
 * An outcome as text: the event, the verdict with its message, status and version before → after, the effects;
 * `more` rows are added at the end.
 * @example
 * process.stdout.write(formatOutcome(outcome, 'en'));
 */
export function formatOutcome(
  outcome: Outcome,
  lang: Lang,
  more: ReadonlyArray<readonly [string, string]> = [],
): string {
  const rows: Array<readonly [string, string]> = [
    [
      renderCli(lang, 'cli.verdict'),
      renderCli(lang, 'cli.colon', { label: verdictMark(outcome.verdict, lang), text: outcome.verdict.message[lang] }),
    ],
    [
      renderCli(lang, 'cli.status'),
      `${statusText(outcome.statusBefore, lang)} -> ${statusText(outcome.statusAfter, lang)}`,
    ],
    [renderCli(lang, 'cli.version'), `${outcome.versionBefore} -> ${outcome.versionAfter}`],
    [renderCli(lang, 'cli.effects'), effectsText(outcome.effects, lang)],
    ...more,
  ];
  return `${outcome.orderId}  ${outcome.event.type} ${renderCli(lang, 'cli.at')} ${formatAt(outcome.event.at, outcome.offset)}\n${labelled(rows)}\n`;
}

/**
 * An outcome as JSON (instants as ISO-8601 in UTC), with `more` fields added.
 * @example
 * process.stdout.write(outcomeJson(outcome, { stored: true }));
 */
export function outcomeJson(outcome: Outcome, more: Record<string, unknown> = {}): string {
  const { offset: _offset, event, ...rest } = outcome;
  return `${JSON.stringify({ ...rest, event: eventJson(event), ...more }, null, 2)}\n`;
}
