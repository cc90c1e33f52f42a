/**
 * The index of the first lone surrogate in `text` (a UTF-16 half that has no partner), or -1 when the text is
 * well-formed Unicode. `String.prototype.isWellFormed` (ES2024) answers only yes or no, and is not in the ES2022
 * library the package compiles against.
 * @example
 * loneSurrogateAt('a\uD800b'); // 1
 */
export function loneSurrogateAt(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0xd800 || code > 0xdfff) continue;
    // A high surrogate followed by a low one is one character; anything else is lone.
    if (code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index++;
        continue;
      }
    }
    return index;
  }
  return -1;
}

/**
 * The index of the first control character in `text` (C0 U+0000 to U+001F, DEL U+007F, C1 U+0080 to U+009F), or -1.
 * With `lineBreaks`, tab, line feed and carriage return are allowed (free text may have lines).
 * @example
 * controlCharacterAt('114-\u0000'); // 4
 */
export function controlCharacterAt(text: string, options: { lineBreaks?: boolean } = {}): number {
  const lineBreaks = options.lineBreaks === true;
  // Stryker disable next-line EqualityOperator: equivalent, one step past the end charCodeAt is NaN, which no range below takes, so the loop still ends with -1
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x20 && code < 0x7f) continue;
    // Stryker disable next-line EqualityOperator: equivalent, a code of 0x20 never gets here (the line above continued)
    if (code < 0x20) {
      if (lineBreaks && (code === 0x09 || code === 0x0a || code === 0x0d)) continue;
      return index;
    }
    if (code <= 0x9f) return index;
  }
  return -1;
}

/**
 * The UTF-16 code unit at `index` as `U+XXXX`.
 * @example
 * codeUnitName('a\u0000', 1); // 'U+0000'
 */
function codeUnitName(text: string, index: number): string {
  return `U+${text.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * What is wrong with `text` as an id or a piece of text: too long, a lone surrogate, a control character; or
 * undefined when nothing is. `max` counts UTF-16 code units, as `String.length` does.
 * @example
 * textProblem('a'.repeat(200), { max: 128 }); // 'must be at most 128 characters (this one has 200)'
 */
export function textProblem(text: string, options: { max: number; lineBreaks?: boolean }): string | undefined {
  if (text.length > options.max) return `must be at most ${options.max} characters (this one has ${text.length})`;
  const lone = loneSurrogateAt(text);
  if (lone >= 0) return `must be well-formed Unicode: a lone surrogate ${codeUnitName(text, lone)} at index ${lone}`;
  const control = controlCharacterAt(text, options);
  if (control >= 0) {
    const allowed = options.lineBreaks ? ' other than tab and line breaks' : '';
    return `must not contain control characters${allowed}: ${codeUnitName(text, control)} at index ${control}`;
  }
  return undefined;
}

/** How much of a value an error message shows, in characters. */
const PREVIEW_CHARACTERS = 80;

/**
 * An untrusted value as an error message shows it: JSON, cut at 80 characters (a Date as written). The work and
 * the text are bounded whatever the value: a string of 10 MB, an array nested 100,000 deep, a cycle or a getter
 * that throws cost no more than the 80 characters shown.
 * @example
 * preview(JSON.parse('['.repeat(5000) + ']'.repeat(5000))); // '[[[[[…'
 */
export function preview(value: unknown, max = PREVIEW_CHARACTERS): string {
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()})`;
  const out = new Preview(max);
  try {
    out.value(value, true);
  } catch (error) {
    if (error !== FULL) return Object.prototype.toString.call(value);
  }
  const text = out.text;
  return text.length > max ? `${cut(text, max - 3)}...` : text;
}

/** Thrown inside Preview once enough text has been written. */
const FULL = Symbol('full');

/** A JSON writer that stops (throwing FULL) as soon as it has written more than `max` characters. */
class Preview {
  text = '';
  constructor(private readonly max: number) {}

  private write(part: string): void {
    this.text += part;
    if (this.text.length > this.max) throw FULL;
  }

  /** Writes `value` as JSON.stringify would; `top` values JSON has no text for are written with String(). */
  value(value: unknown, top = false): void {
    if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      value = (value as { toJSON: (key: string) => unknown }).toJSON('');
    }
    switch (typeof value) {
      case 'string':
        // Only what can be shown is stringified: a 10 MB string costs no more than a short one.
        this.write(JSON.stringify(cut(value, this.max + 1 - this.text.length)));
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, write() has already thrown for such a string (cut to max + 1 - text.length characters, its quotes take the text past max)
        if (value.length > this.max) throw FULL;
        return;
      case 'number':
        this.write(Number.isFinite(value) ? String(value) : top ? String(value) : 'null');
        return;
      case 'boolean':
        this.write(String(value));
        return;
      case 'bigint':
        this.write(`${value}n`);
        return;
      case 'undefined':
      case 'function':
      case 'symbol':
        this.write(top ? String(value) : 'null');
        return;
    }
    if (value === null) return this.write('null');
    if (Array.isArray(value)) {
      this.write('[');
      for (let index = 0; index < value.length; index++) {
        if (index > 0) this.write(',');
        this.value(value[index]);
      }
      return this.write(']');
    }
    this.write('{');
    let first = true;
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const entry = (value as Record<string, unknown>)[key];
      if (entry === undefined || typeof entry === 'function' || typeof entry === 'symbol') continue;
      this.write(`${first ? '' : ','}${JSON.stringify(cut(key, this.max))}:`);
      first = false;
      this.value(entry);
    }
    this.write('}');
  }
}

/** The first `length` code units of `text`, one fewer when that would split a surrogate pair. */
function cut(text: string, length: number): string {
  if (text.length <= length) return text;
  const end = Math.max(0, length);
  const last = text.charCodeAt(end - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}

/**
 * A database URL as it may be shown: its password replaced by `***`.
 * @example
 * hidePassword('postgres://app:secret@db:5432/orders'); // 'postgres://app:***@db:5432/orders'
 */
export function hidePassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
