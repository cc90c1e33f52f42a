/*
 * The inspector page's words: the locales' `inspector.*` texts, filled as every text of the package is
 * (`fillTemplate`, the placeholders `render` fills). Verdict messages come from the server already worded
 * (`verdict.message[lang]`); these are the page's labels around them. The page imports the locales' inspector part
 * and the template filler directly, not `render`: both are free of zod, and `render`'s tables hold every text of
 * the package, more than the page's bundle has room for.
 */
import type { Lang } from '../../domain/index.js';
import { enInspector } from '../../domain/locales/en-inspector.js';
import { zhCNInspector } from '../../domain/locales/zh-CN-inspector.js';
import { fillTemplate } from '../../domain/template.js';

export type { Lang };

/** The page's words, per language: the locales' `inspector.*` texts, the same keys in each. */
export const text: Readonly<Record<Lang, Readonly<Record<keyof typeof enInspector, string>>>> = {
  en: enInspector,
  'zh-CN': zhCNInspector,
};

/** A key of the page's words without its `inspector.` prefix, e.g. `'accepted'` (as the page's `data-text` names it). */
type Unprefixed<Key> = Key extends `inspector.${infer Rest}` ? Rest : never;
export type TextKey = Unprefixed<keyof typeof enInspector>;

/**
 * The page's word for `key` in `lang`, with its `{name}` placeholders filled from `params`.
 * @example
 * word('zh-CN', 'refused'); // '已拒绝'
 * word('en', 'in', { duration: '5 min' }); // 'in 5 min'
 */
export function word(lang: Lang, key: TextKey, params: Readonly<Record<string, string | number>> = {}): string {
  return fillTemplate(text[lang][`inspector.${key}`], (name) =>
    params[name] === undefined ? undefined : String(params[name]),
  );
}

/** The language a stored choice names: `zh-CN` when it says so, English otherwise. */
export function langOf(choice: string | null | undefined): Lang {
  return choice === 'zh-CN' ? 'zh-CN' : 'en';
}
