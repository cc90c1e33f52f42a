/*
 * The command line's words: the `cli.*` tables (en-cli.ts, zh-CN-cli.ts), filled by the same filler as the
 * package's verdict messages (`fillText`). Not in the domain's barrel: the root entry, which renders verdicts, does
 * not carry them. src/cli and the `simulate` chart (src/sim/chart.ts) import this file directly (eslint.config.js).
 */
import { fillText, type Lang, type MessageParams } from '../messages.js';
import { enCli } from './en-cli.js';
import { zhCNCli } from './zh-CN-cli.js';

/** The command line's words, per language: the same keys in each. */
export const cliTexts: Readonly<Record<Lang, Readonly<Record<keyof typeof enCli, string>>>> = {
  en: enCli,
  'zh-CN': zhCNCli,
};

/** A key of the command line's words: `cli.status.order`, …. */
export type TextKey = keyof typeof enCli;
/** The values a text mentions, as `renderCli` takes them. */
export type TextParams = MessageParams;

/**
 * The command line's text of `key` in `lang`, filled with `params` as `render` fills a verdict (instants, names and
 * durations in the language).
 * @example
 * renderCli('en', 'cli.sweep.orders.other', { count: 2 }); // '2 orders'
 * renderCli('zh-CN', 'cli.inARow', { sku: 'TEA-RED', count: 4 }); // 'TEA-RED：连续 4 次'
 */
export function renderCli(lang: Lang, key: TextKey, params: TextParams = {}): string {
  return fillText(lang, cliTexts[lang][key] ?? key, params);
}

const numberFormats: Partial<Record<Lang, Intl.NumberFormat>> = {};

/**
 * A count as every output of the command line shows it, grouped in the language's way: `9,500`.
 * @example
 * formatCount('en', 9500); // '9,500'
 */
export function formatCount(lang: Lang, value: number): string {
  return (numberFormats[lang] ??= new Intl.NumberFormat(lang, { maximumFractionDigits: 0 })).format(value);
}
