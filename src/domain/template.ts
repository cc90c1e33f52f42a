/*
 * The placeholders of the locales' texts, without zod: `render` (messages.ts) fills the package's texts with it, and
 * the inspector page fills its own words (the locales' `inspector.*`) with it too.
 */

/**
 * `template` with each `{name}` replaced by `value(name)`; a placeholder without a value stays as it is written.
 * @example
 * fillTemplate('{count} days', (name) => (name === 'count' ? '7' : undefined)); // '7 days'
 */
export function fillTemplate(template: string, value: (name: string) => string | undefined): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => value(name) ?? placeholder);
}
