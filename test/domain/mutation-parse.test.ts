import * as z from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError, describe as describeValue, issueSentence, parseOrThrow } from '../../src/domain/index.js';

// Tests of parse.ts that StrykerJS showed missing: how each of zod's issue codes is worded, where an issue's path
// leads inside the value, and which locale's words count as zod's own. The package's schemas are checked with
// these words in mutation-schemas.test.ts.

/** The sentence of the first issue `schema` finds in `value`. */
function sentence(schema: z.core.$ZodType, value: unknown, options?: Parameters<typeof issueSentence>[2]): string {
  const result = z.safeParse(schema, value);
  if (result.success) throw new Error('the value parsed');
  return issueSentence(result.error.issues[0]!, value, options);
}

/** A zod issue written by hand, with the message zod's English gives it (so it reads as zod's own words). */
function zodIssue(fields: Record<string, unknown>): z.core.$ZodIssue {
  const localeError = z.locales.en().localeError;
  const words = localeError(fields as never);
  return {
    path: [],
    ...fields,
    message: typeof words === 'string' ? words : words!.message,
  } as unknown as z.core.$ZodIssue;
}

/** The InvalidInputError `parseOrThrow` throws, or a failure if it throws none. */
function refusal(schema: z.core.$ZodType, value: unknown, subject: string, prefix?: string): InvalidInputError {
  try {
    parseOrThrow(schema, value, subject, prefix);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('the value parsed');
}

describe('parseOrThrow', () => {
  it('should give the parsed value back when the schema takes it', () => {
    expect(parseOrThrow(z.object({ n: z.coerce.number() }), { n: '4' }, 'thing')).toEqual({ n: 4 });
  });

  it('should name each bad field by its dotted path, and the value itself as (root)', () => {
    const schema = z.object({ a: z.object({ b: z.array(z.string()) }), c: z.number() });
    const error = refusal(schema, { a: { b: ['x', 5] }, c: 'y' }, 'thing');
    expect(error.subject).toBe('thing');
    expect(error.issues).toEqual([
      { path: 'a.b.1', message: 'expected a string (got 5)' },
      { path: 'c', message: 'expected a number (got "y")' },
    ]);
    expect(refusal(z.string(), 5, 'thing').issues).toEqual([{ path: '(root)', message: 'expected a string (got 5)' }]);
  });

  it('should put every path under the prefix, and an issue of the value itself at the prefix', () => {
    expect(refusal(z.object({ at: z.number() }), { at: 'x' }, 'event', 'events.2').issues[0]!.path).toBe('events.2.at');
    expect(refusal(z.string(), 5, 'order id', 'orderId').issues[0]!.path).toBe('orderId');
  });
});

describe('describe', () => {
  it('should show a missing value as nothing and any other value as JSON', () => {
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue('A')).toBe('"A"');
    expect(describeValue(null)).toBe('null');
  });
});

describe('issueSentence', () => {
  it('should end with the value found at the issue’s path, or nothing, unless asked to leave it out', () => {
    expect(sentence(z.object({ a: z.string() }), { a: 1 })).toBe('expected a string (got 1)');
    expect(sentence(z.object({ a: z.string() }), {})).toBe('expected a string (got nothing)');
    expect(sentence(z.object({ a: z.string() }), { a: 1 }, { got: true })).toBe('expected a string (got 1)');
    expect(sentence(z.object({ a: z.string() }), { a: 1 }, { got: false })).toBe('expected a string');
  });

  it('should find nothing on a path that runs through null or through text', () => {
    const issue: z.core.$ZodIssue = {
      code: 'custom',
      message: 'must be known',
      path: ['a', 'length'],
      input: undefined,
    };
    expect(issueSentence(issue, { a: 'abc' })).toBe('must be known (got nothing)');
    expect(issueSentence(issue, { a: null })).toBe('must be known (got nothing)');
    expect(issueSentence(issue, 'text')).toBe('must be known (got nothing)');
    expect(issueSentence(issue, { a: ['x', 'y'] })).toBe('must be known (got 2)');
  });

  it('should name one unknown key, or several with a plural', () => {
    expect(sentence(z.strictObject({}), { d: 1 })).toBe('unknown key "d" (got {"d":1})');
    expect(sentence(z.strictObject({}), { d: 1, e: 2 })).toBe('unknown keys "d", "e" (got {"d":1,"e":2})');
  });

  it('should name a type zod expects in words, and a type it has no words for by its name', () => {
    expect(sentence(z.boolean(), 'yes')).toBe('expected true or false (got "yes")');
    expect(sentence(z.nan(), 1)).toBe('expected nan (got 1)');
  });

  it('should show one allowed value as JSON, and several as a list with text as it is', () => {
    expect(sentence(z.literal('L'), 'M')).toBe('expected "L" (got "M")');
    expect(sentence(z.enum(['x', 'y']), 'q')).toBe('expected one of x, y (got "q")');
    expect(sentence(z.literal([null, 'a']), 'q')).toBe('expected one of null, a (got "q")');
  });

  it('should word each way a union can fail', () => {
    const shape = z.discriminatedUnion('k', [z.object({ k: z.literal(1) }), z.object({ k: z.literal('two') })]);
    expect(sentence(shape, { k: 3 })).toBe('expected one of 1, two (got 3)');
    expect(sentence(z.union([z.string(), z.number()]), true)).toBe('expected a string or a number (got true)');
    expect(sentence(z.union([z.string(), z.object({ a: z.string() })]), { a: 1 })).toBe(
      'expected one of the accepted forms (got {"a":1})',
    );
    expect(sentence(z.xor([z.string(), z.string().min(1)]), 'x')).toBe(
      'expected a value that only one of the accepted forms matches (got "x")',
    );
    const none = zodIssue({ code: 'invalid_union', errors: [] });
    expect(issueSentence(none, 1)).toBe('expected one of the accepted forms (got 1)');
  });

  it('should word a bound with its unit, plural but for one, and grouped digits', () => {
    expect(sentence(z.string().min(1), '')).toBe('expected at least 1 character (got "")');
    expect(sentence(z.string().max(1000), 'x'.repeat(1001))).toMatch(/^expected at most 1,000 characters \(got /);
    expect(sentence(z.array(z.number()).max(2), [1, 2, 3])).toBe('expected at most 2 items (got [1,2,3])');
    expect(sentence(z.array(z.number()).min(1), [])).toBe('expected at least 1 item (got [])');
    expect(sentence(z.set(z.number()).min(2), new Set([1]))).toBe('expected at least 2 items (got {})');
    expect(sentence(z.map(z.string(), z.number()).min(2), new Map())).toBe('expected at least 2 entries (got {})');
    expect(
      sentence(
        z.map(z.string(), z.number()).max(1),
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
      ),
    ).toBe('expected at most 1 entry (got {})');
  });

  it('should word a number bound without a unit, strict or not, and an exact length', () => {
    expect(sentence(z.number().min(10), 5)).toBe('expected at least 10 (got 5)');
    expect(sentence(z.number().max(3), 5)).toBe('expected at most 3 (got 5)');
    expect(sentence(z.number().positive(), -5)).toBe('expected more than 0 (got -5)');
    expect(sentence(z.number().lt(5), 5)).toBe('expected less than 5 (got 5)');
    expect(sentence(z.string().length(3), 'ab')).toBe('expected exactly 3 characters (got "ab")');
    expect(sentence(z.string().length(3), 'abcd')).toBe('expected exactly 3 characters (got "abcd")');
  });

  it('should word each text format by what the text must match, start, end or include', () => {
    expect(sentence(z.string().regex(/^a+$/), 'b')).toBe('expected text matching /^a+$/ (got "b")');
    expect(sentence(z.string().startsWith('x-'), 'b')).toBe('expected text starting with x- (got "b")');
    expect(sentence(z.string().endsWith('.json'), 'b')).toBe('expected text ending with .json (got "b")');
    expect(sentence(z.string().includes('@'), 'b')).toBe('expected text including @ (got "b")');
    expect(sentence(z.email(), 'b')).toBe('expected a valid email (got "b")');
  });

  it('should fall back to the format’s name when a format issue lacks what it names', () => {
    for (const format of ['regex', 'starts_with', 'ends_with', 'includes']) {
      expect(issueSentence(zodIssue({ code: 'invalid_format', format }), 'b')).toBe(
        `expected a valid ${format} (got "b")`,
      );
    }
  });

  it('should word a format issue by its format, not by the other fields it carries', () => {
    const issue = zodIssue({ code: 'invalid_format', format: 'email', prefix: 'a', suffix: 'b', includes: 'c' });
    expect(issueSentence(issue, 'b')).toBe('expected a valid email (got "b")');
  });

  it('should word a multiple, and keep zod’s words for a code it has no words of its own for', () => {
    expect(sentence(z.number().multipleOf(5), 7)).toBe('expected a multiple of 5 (got 7)');
    const keyIssue = zodIssue({ code: 'invalid_key', origin: 'record', issues: [] });
    expect(issueSentence(keyIssue, { b: 1 })).toBe(`${keyIssue.message} (got {"b":1})`);
  });

  it('should keep a message a schema gave itself, and take one word for word zod’s own as zod’s', () => {
    expect(sentence(z.string({ error: 'expected an order id' }), 7)).toBe('expected an order id (got 7)');
    expect(sentence(z.string({ error: 'Invalid input: expected string, received number' }), 7)).toBe(
      'expected a string (got 7)',
    );
    expect(
      sentence(
        z.string().refine(() => false, 'Invalid input'),
        'x',
      ),
    ).toBe('Invalid input (got "x")');
  });
});

describe('issueSentence under a locale the app chose', () => {
  const chosen = z.config().localeError;
  afterEach(() => {
    z.config({ localeError: chosen });
  });

  it('should reword zod’s messages in the app’s locale, as they are zod’s own', () => {
    z.config(z.locales.de());
    expect(sentence(z.string(), 7)).toBe('expected a string (got 7)');
    expect(sentence(z.string().min(2), 'a')).toBe('expected at least 2 characters (got "a")');
  });

  it('should take a locale that answers with objects, or not at all', () => {
    z.config({
      localeError: (issue) => (issue.code === 'invalid_type' ? { message: `kein ${issue.expected}` } : undefined),
    });
    expect(sentence(z.string(), 7)).toBe('expected a string (got 7)');
    expect(sentence(z.string().min(2), 'a')).toMatch(/ \(got "a"\)$/);
  });
});
