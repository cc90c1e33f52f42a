// No zod here, nor in what this imports (the locales, the time units, the defaults): the inspector page's bundle and
// a seller's browser app render the same words without the schemas.
import { formatDateTime } from './instant-format.js';
import { DEFAULT_AUTO_CANCEL_AFTER_MS, DEFAULT_BUYER_CANCEL_WINDOW_MS } from './defaults.js';
import { fillTemplate } from './template.js';
import { en, type Locale } from './locales/en.js';
import { zhCN } from './locales/zh-CN.js';

/** A message in both shipped languages. */
export interface Message {
  en: string;
  'zh-CN': string;
}
/** A language every message ships in: `'en'` or `'zh-CN'`. */
export type Lang = keyof Message;
export const languages: readonly Lang[] = ['en', 'zh-CN'];

/** Why an event was refused. Each code has guidance in English and Chinese. */
export type RefusalCode =
  | 'EVENT_BEFORE_PLACEMENT'
  | 'BUYER_WINDOW_CLOSED'
  | 'ORDER_PENDING'
  | 'LABEL_GENERATED'
  | 'NO_LABEL'
  | 'ALREADY_SHIPPED'
  | 'ALREADY_CANCELED'
  | 'FULFILLED_BY_AMAZON'
  | 'QUANTITY_EXCEEDS_REMAINING'
  | 'UNKNOWN_ITEM'
  | 'REFUSED_BY_MACHINE';

/**
 * Values a message mentions. `at`, `placedAt` and `until` are instants (epoch ms), shown in the order's own
 * UTC offset (`offset`, minutes); `windowMs` is the buyer's window; `reason` and `status` are shown by name
 * (the seed's Chinese names in zh-CN).
 */
export type MessageParams = Record<string, string | number>;

/**
 * Every shipped locale's words, keyed by code, as zod's locales are: one table per language, the same keys in each.
 * @example
 * locales['zh-CN'].statuses.unshipped; // '【未发货】'
 */
export const locales: Readonly<Record<Lang, Locale>> = { en, 'zh-CN': zhCN };

/**
 * A key of the locales' texts: a refusal code (`CODE:variant` for a situation's wording) or an outcome. The command
 * line's `cli.*` and the inspector page's `inspector.*` are tables of their own (en-cli.ts, en-inspector.ts).
 */
export type TextKey = keyof Locale['texts'];

/**
 * Names of the states for people, in both languages: the seed's 【未发货】 for unshipped.
 * @example
 * statusNames['label-generated']['zh-CN']; // '【已生成货件标签】'
 */
export const statusNames: Readonly<Record<string, Message>> = Object.fromEntries(
  Object.keys(en.statuses).map((status) => [status, bothLanguages((lang) => nameIn(lang, 'statuses', status))]),
);

/**
 * Names of the cancel reasons for people, in both languages (the seed's where it has one), for a UI that lists them.
 * @example
 * reasonNames['NoInventory']['zh-CN']; // '【无库存】'
 */
export const reasonNames: Readonly<Record<string, Message>> = Object.fromEntries(
  Object.keys(en.reasons).map((reason) => [reason, bothLanguages((lang) => nameIn(lang, 'reasons', reason))]),
);

const instantKeys = new Set(['at', 'placedAt', 'until']);
/** Parameters shown by their name in the locale (the seed's Chinese names in zh-CN), and the table that names them. */
const namedKeys = { reason: 'reasons', status: 'statuses', by: 'parties', reported: 'reported' } as const;

function nameIn(lang: Lang, table: (typeof namedKeys)[keyof typeof namedKeys], value: string): string {
  return (locales[lang][table] as Record<string, string>)[value] ?? value;
}

/** "30 minutes" / "30 分钟": a policy duration in the largest unit that divides it. */
function durationText(ms: number, lang: Lang): string {
  const units = locales[lang].units;
  const sizes: Array<[number, keyof Locale['units']]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
    [1, 'millisecond'],
  ];
  const [size, unit] = sizes.find(([size]) => ms % size === 0)!;
  const count = ms / size;
  return `${count} ${units[unit][count === 1 ? 0 : 1]}`;
}

/**
 * `template` filled as `render` fills a text of the locales: instants in the order's offset, names and durations in
 * the language. For tables of words that are not the package's own (the command line's `cli.*`), so that every text
 * is filled by this one filler.
 * @example
 * fillText('en', 'status {status}', { status: 'unshipped' }); // 'status unshipped'
 */
export function fillText(lang: Lang, template: string, params: MessageParams = {}): string {
  const offset = typeof params['offset'] === 'number' ? params['offset'] : 0;
  return fillTemplate(template, (key) => {
    if (key === 'window')
      return durationText(
        typeof params['windowMs'] === 'number' ? params['windowMs'] : DEFAULT_BUYER_CANCEL_WINDOW_MS,
        lang,
      );
    if (key === 'autoCancel')
      return durationText(
        typeof params['autoCancelMs'] === 'number' ? params['autoCancelMs'] : DEFAULT_AUTO_CANCEL_AFTER_MS,
        lang,
      );
    const value = params[key];
    if (value === undefined) return undefined;
    if (instantKeys.has(key) && typeof value === 'number') return formatDateTime(value, { offsetMinutes: offset });
    if (key in namedKeys) return nameIn(lang, namedKeys[key as keyof typeof namedKeys], String(value));
    return String(value);
  });
}

/**
 * The one renderer: the text of `key` in `lang`, filled with `params` (instants in the order's offset, names and
 * durations in the language). A key a locale lacks renders as the key itself.
 * @example
 * render('zh-CN', 'UNKNOWN_ITEM', { orderItemId: 'A', orderId: '111-1' }); // '商品 A 不属于订单 111-1。'
 */
export function render(lang: Lang, key: TextKey, params: MessageParams = {}): string {
  return fillText(lang, locales[lang].texts[key] ?? key, params);
}

function bothLanguages(word: (lang: Lang) => string): Message {
  return { en: word('en'), 'zh-CN': word('zh-CN') };
}

/**
 * The text of `key` in every shipped language, as a `Verdict`'s `message` carries it.
 * @example
 * message('labelGenerated').en; // 'Shipping label generated: from now on the order can no longer be cancelled.'
 */
export function message(key: TextKey, params: MessageParams = {}): Message {
  return bothLanguages((lang) => render(lang, key, params));
}

/** The outcomes of accepted events, by key. */
export type OutcomeKey = Exclude<TextKey, RefusalCode | `${RefusalCode}:${string}`>;

/** The guidance for a refusal code, filled with its parameters; `variant` picks wording for a situation. */
export function refusalMessage(code: RefusalCode, params: MessageParams = {}, variant?: string): Message {
  // Stryker disable next-line ConditionalExpression: equivalent, no text is keyed `CODE:undefined`, so the code's own is picked either way
  const specific = variant === undefined ? undefined : (`${code}:${variant}` as TextKey);
  // Stryker disable next-line ConditionalExpression: equivalent, no text is keyed 'undefined', so `undefined in en.texts` is false too
  return message(specific !== undefined && specific in en.texts ? specific : code, params);
}

/** The message for an accepted event, filled with its parameters. */
export function outcomeMessage(key: OutcomeKey, params: MessageParams = {}): Message {
  return message(key, params);
}

/** Every refusal code, for docs and tests. */
export const refusalCodes = Object.keys(en.texts).filter((key) => /^[A-Z_]+$/.test(key)) as RefusalCode[];
