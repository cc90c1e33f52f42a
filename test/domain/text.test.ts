import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, parseOrThrow, describe as describeValue } from '../../src/domain/index.js';
import { controlCharacterAt, loneSurrogateAt, preview, textProblem } from '../../src/domain/text.js';
import { parseEvent } from '../../src/runtime/index.js';

/** `depth` arrays inside each other, built without recursion. */
function nested(depth: number): unknown[] {
  const root: unknown[] = [];
  let inner = root;
  for (let i = 1; i < depth; i++) {
    const next: unknown[] = [];
    inner.push(next);
    inner = next;
  }
  return root;
}

describe('loneSurrogateAt and controlCharacterAt', () => {
  it.each([
    ['', -1],
    ['plain', -1],
    ['😀 and 亚马逊', -1],
    ['\uD800', 0],
    ['a\uDC00', 1],
    ['😀\uD83D', 2],
    ['\uDE00\uD83D', 0],
    ['ab\uD83Dx', 2],
  ])('should find the first lone surrogate of %j at %i', (text, index) => {
    expect(loneSurrogateAt(text)).toBe(index);
  });

  it.each([
    ['plain 😀', false, -1],
    ['a\u0000', false, 1],
    ['tab\t', false, 3],
    ['tab\t', true, -1],
    ['lines\r\n', true, -1],
    ['bell\u0007', true, 4],
    ['del\u007f', true, 3],
    ['c1\u009f', true, 2],
    ['nbsp\u00a0', false, -1],
  ])('should find the first control character of %j (line breaks allowed: %s) at %i', (text, lineBreaks, index) => {
    expect(controlCharacterAt(text, { lineBreaks })).toBe(index);
  });

  it('should name the length, the surrogate or the control character, in that order', () => {
    expect(textProblem('a'.repeat(5), { max: 4 })).toBe('must be at most 4 characters (this one has 5)');
    expect(textProblem('\u0000\uD800', { max: 4 })).toBe(
      'must be well-formed Unicode: a lone surrogate U+D800 at index 1',
    );
    expect(textProblem('a\u001b', { max: 4, lineBreaks: true })).toBe(
      'must not contain control characters other than tab and line breaks: U+001B at index 1',
    );
    expect(textProblem('ok', { max: 4 })).toBeUndefined();
  });
});

describe('how an error message shows a value', () => {
  it('should show arrays nested 5,000 and 1,000,000 deep in 80 characters instead of overflowing the stack', () => {
    expect(preview(nested(5_000))).toBe(`${'['.repeat(77)}...`);
    expect(preview(nested(1_000_000))).toBe(`${'['.repeat(77)}...`);
    expect(preview(JSON.parse(`${'['.repeat(5_000)}${']'.repeat(5_000)}`))).toHaveLength(80);
  });

  it('should answer an event body nested 5,000 deep with InvalidInputError, not a RangeError', () => {
    const body = JSON.parse(`{"type":"seller.cancel","at":1,"reason":${'['.repeat(5_000)}${']'.repeat(5_000)}}`);
    expect(() => parseEvent(body)).toThrow(InvalidInputError);
    expect(() => parseEvent(JSON.parse(`${'['.repeat(5_000)}${']'.repeat(5_000)}`))).toThrow(
      /^Invalid event: \(root\): .* \(got \[{77}\.\.\.\)$/,
    );
  });

  it('should show a 10 MB string by its first characters', () => {
    expect(describeValue('x'.repeat(10 * 1024 * 1024))).toBe(`"${'x'.repeat(76)}...`);
  });

  it('should show values as JSON does, and what JSON cannot show without throwing', () => {
    expect(preview({ a: [1, 'two', null, true], b: undefined, c: () => 1, d: new Date(0) })).toBe(
      '{"a":[1,"two",null,true],"d":"1970-01-01T00:00:00.000Z"}',
    );
    expect(preview([undefined, NaN])).toBe('[null,null]');
    expect(preview(NaN)).toBe('NaN');
    expect(preview(10n)).toBe('10n');
    expect(preview({ big: 10n })).toBe('{"big":10n}');
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle['self'] = cycle;
    expect(preview(cycle)).toMatch(/^\{"name":"loop","self":\{"name":"loop","self":\{.*\.\.\.$/);
    expect(preview(cycle)).toHaveLength(80);
    const hostile = {
      get boom() {
        throw new Error('no');
      },
    };
    expect(preview(hostile)).toBe('[object Object]');
  });

  it('should never cut a character in half, so the message stays well-formed', () => {
    const shown = preview('😀'.repeat(100));
    expect(loneSurrogateAt(shown)).toBe(-1);
    expect(shown.endsWith('...')).toBe(true);
    // Lone surrogates and control characters in the value itself are shown escaped.
    expect(preview('a\uD800\u0000')).toBe('"a\\ud800\\u0000"');
  });
});

describe('InvalidInputError with many issues', () => {
  it('should name the first ten issues and count the rest', () => {
    const items = z.array(z.number());
    let error: InvalidInputError | undefined;
    try {
      parseOrThrow(
        items,
        Array.from({ length: 100_000 }, () => 'x'),
        'list',
      );
    } catch (caught) {
      error = caught as InvalidInputError;
    }
    expect(error?.issues).toHaveLength(100_000);
    expect(error?.message).toMatch(/^Invalid list: 0: .*; 9: .*\(got "x"\); and 99990 more issues$/);
    expect(error!.message.length).toBeLessThan(2_000);
  });

  it('should cut one very long issue to 500 characters', () => {
    const error = new InvalidInputError('thing', [{ path: 'a', message: `bad ${'😀'.repeat(1_000)}` }]);
    expect(error.details.length).toBeLessThanOrEqual(500);
    expect(error.details.endsWith('...')).toBe(true);
    expect(loneSurrogateAt(error.details)).toBe(-1);
  });
});
