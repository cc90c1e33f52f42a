import * as z from 'zod/mini';
// zod's English locale by its own path: `z.locales.en` would keep every one of zod's locales in a browser bundle.
import zodEnglish from 'zod/v4/locales/en.js';
import { InvalidInputError } from './errors.js';
import { preview } from './text.js';

// The package's schemas are zod/mini schemas, and zod/mini, unlike zod, sets no locale (its messages would all be
// "Invalid input"): English by default, as zod does on its first schema, unless the app has chosen a locale already.
if (!z.config().localeError) z.config(zodEnglish());

/**
 * Parses untrusted input, or throws an InvalidInputError whose message names each bad field and value; `prefix`
 * puts the paths under where the value sits in a larger payload.
 */
export function parseOrThrow<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  subject: string,
  prefix = '',
): z.output<S> {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  throw new InvalidInputError(
    subject,
    result.error.issues.map((issue) => ({
      path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
      message: issueSentence(issue, value),
    })),
  );
}

/** A zod issue, as `safeParse(...).error.issues` lists them. */
type ZodIssue = z.core.$ZodIssue;

/**
 * A zod issue as the end of a sentence: what was expected, in words, then the value found at the issue's path
 * inside `value` (the whole value that was parsed), shown as `describe` shows it, or cut at `previewLength`
 * characters (`got: false` leaves the value out, for a caller that names it already). Zod's own English (`Invalid input: expected string, received number`, `Invalid discriminator
 * value`) is reworded; a message a schema gave itself (`{ error: '...' }`, a refinement's) is kept as written.
 * The one place a zod issue becomes words: parsing, restoring, the inspector and the Amazon feeds all use it.
 * @example
 * const { error } = OrderEvent.safeParse({ type: 'foo', at: 0 });
 * issueSentence(error!.issues[0]!, { type: 'foo', at: 0 });
 * // 'expected one of buyer.cancel, buyer.requestCancellation, …, marketplace.statusReported (got "foo")'
 */
export function issueSentence(
  issue: ZodIssue,
  value: unknown,
  options: { previewLength?: number; got?: boolean } = {},
): string {
  const found = valueAt(value, issue.path);
  const words = ownWords(issue, found) ? issue.message : expected(issue);
  if (options.got === false) return words;
  return `${words} (got ${found === undefined ? 'nothing' : preview(found, options.previewLength)})`;
}

/** Whether the issue's message is the schema's own rather than zod's default for it. */
function ownWords(issue: ZodIssue, input: unknown): boolean {
  // Stryker disable next-line ConditionalExpression,StringLiteral,BooleanLiteral: equivalent, expected() keeps the message of a custom issue too (its default case); this line only spares asking the locale.
  if (issue.code === 'custom') return true;
  const localeError = z.config().localeError ?? zodEnglish().localeError;
  const fallback = localeError({ ...issue, input } as Parameters<typeof localeError>[0]);
  return (typeof fallback === 'string' ? fallback : fallback?.message) !== issue.message;
}

/** What the schema expected, for each of zod's issue codes. */
function expected(issue: ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${preview(issue.values[0])}`
        : `expected one of ${listed(issue.values)}`;
    case 'invalid_union': {
      if (issue.inclusive === false) return 'expected a value that only one of the accepted forms matches';
      if (issue.options) return `expected one of ${listed(issue.options)}`;
      // Each branch's own type, when every branch failed on the type of the value itself.
      const types = issue.errors.map((branch) => branch.find((inner) => inner.path.length === 0));
      if (types.length > 0 && types.every((inner) => inner?.code === 'invalid_type'))
        // Stryker disable next-line Regex: equivalent, expected() of an invalid_type issue starts with 'expected ', so the first match is at the start anyway.
        return `expected ${types.map((inner) => expected(inner!).replace(/^expected /, '')).join(' or ')}`;
      return 'expected one of the accepted forms';
    }
    case 'too_small':
    case 'too_big':
      return bound(issue);
    case 'invalid_format':
      if (issue.format === 'regex' && 'pattern' in issue) return `expected text matching ${String(issue.pattern)}`;
      if (issue.format === 'starts_with' && 'prefix' in issue)
        return `expected text starting with ${shown(issue.prefix)}`;
      if (issue.format === 'ends_with' && 'suffix' in issue) return `expected text ending with ${shown(issue.suffix)}`;
      if (issue.format === 'includes' && 'includes' in issue) return `expected text including ${shown(issue.includes)}`;
      return `expected a valid ${issue.format}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

/** A size or number bound in words: `at least 1 character`, `at most 1,000 items`, `more than 0`. */
function bound(issue: Extract<ZodIssue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const unit = UNITS[issue.origin];
  const amount = unit ? `${limit.toLocaleString('en-US')} ${unit[limit === 1 ? 0 : 1]}` : String(limit);
  if (issue.exact) return `expected exactly ${amount}`;
  if (issue.inclusive === false) return `expected ${small ? 'more' : 'less'} than ${amount}`;
  return `expected ${small ? 'at least' : 'at most'} ${amount}`;
}

const TYPE_NAMES: Partial<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  bigint: 'a bigint',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  date: 'a Date',
  null: 'null',
  undefined: 'nothing',
  record: 'an object',
  map: 'a Map',
  set: 'a Set',
  tuple: 'an array',
  function: 'a function',
  symbol: 'a symbol',
};

/** Each origin's unit, one and several (`entries`, not `entrys`). */
const UNITS: Partial<Record<string, readonly [one: string, several: string]>> = {
  string: ['character', 'characters'],
  array: ['item', 'items'],
  set: ['item', 'items'],
  map: ['entry', 'entries'],
  file: ['byte', 'bytes'],
};

/** A literal the schema allows: a string as it is, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : preview(value);
}

function listed(values: readonly unknown[]): string {
  return values.map(shown).join(', ');
}

/** The value at a path inside an untrusted value, or undefined. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * An untrusted value as an error message shows it: JSON, cut at 80 characters; a Date as written. Bounded in time
 * and size whatever the value (a 10 MB string, arrays nested 5,000 deep, a cycle).
 */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  return preview(value);
}
