/** How many issues an InvalidInputError's message names; `issues` keeps them all. */
const MAX_ISSUES_SHOWN = 10;

/** The longest one issue is shown, in characters: a backstop for messages that quote a value whole. */
const MAX_ISSUE_CHARACTERS = 500;

function shorten(text: string): string {
  if (text.length <= MAX_ISSUE_CHARACTERS) return text;
  const end = MAX_ISSUE_CHARACTERS - 3;
  const last = text.charCodeAt(end - 1);
  // Never half a surrogate pair: the message stays well-formed.
  return `${text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end)}...`;
}

/** The base class of every error this package throws on purpose. */
export class OrderLifecycleError extends Error {
  override name = 'OrderLifecycleError';
}

/**
 * Thrown when an order input, an event or a policy does not match its schema; nothing was changed.
 * @example
 * try { createOrder({ orderId: '' }); } catch (e) { if (e instanceof InvalidInputError) console.error(e.message); }
 */
export class InvalidInputError extends OrderLifecycleError {
  override name = 'InvalidInputError';
  /** Each bad field: its dotted path ('' for the value itself) and what is wrong, with the value seen. */
  readonly issues: ReadonlyArray<InputIssue>;
  /** The issues as one line: `items.0.quantity: Too small … (got -1); …`. */
  readonly details: string;

  constructor(
    /** What was being parsed: `order input`, `event`, `policy`. */
    readonly subject: string,
    issues: string | ReadonlyArray<InputIssue>,
  ) {
    const list = typeof issues === 'string' ? [{ path: '', message: issues }] : issues;
    // An array of a million bad items is a million issues: the message names the first few and counts the rest.
    const shown = list
      .slice(0, MAX_ISSUES_SHOWN)
      .map((issue) => shorten(issue.path ? `${issue.path}: ${issue.message}` : issue.message));
    const more = list.length - shown.length;
    const details = `${shown.join('; ')}${more > 0 ? `; and ${more} more issue${more === 1 ? '' : 's'}` : ''}`;
    super(`Invalid ${subject}: ${details}`);
    this.issues = list;
    this.details = details;
  }

  /**
   * The same issues as part of a larger value, their paths under `prefix`.
   * @example
   * error.nested('events.2', 'recorded order').message; // 'Invalid recorded order: events.2.at: …'
   */
  nested(prefix: string, subject: string): InvalidInputError {
    return new InvalidInputError(
      subject,
      this.issues.map((issue) => ({
        path: issue.path && issue.path !== '(root)' ? `${prefix}.${issue.path}` : prefix,
        message: issue.message,
      })),
    );
  }
}

/** One bad field of an input. */
export interface InputIssue {
  path: string;
  message: string;
}

/**
 * Thrown by `restoreOrder` when the text is not a snapshot this machine can resume.
 * @example
 * try { restoreOrder('{}'); } catch (e) { if (e instanceof RestoreError) console.error(e.message); }
 */
export class RestoreError extends OrderLifecycleError {
  override name = 'RestoreError';
}

/**
 * Thrown when a feature needs an optional peer dependency that the app did not install (better-sqlite3 for
 * `SqliteStore`, pg for `PostgresStore`, ws and @hpcc-js/wasm-graphviz for the inspector); the message names the
 * package, the feature and the command that installs it.
 * @example
 * try { new SqliteStore({ filename: 'orders.db' }); } catch (e) { if (e instanceof MissingDependencyError) console.error(e.message); }
 * // SqliteStore needs the optional peer dependency better-sqlite3: run npm install better-sqlite3@^12.
 */
export class MissingDependencyError extends OrderLifecycleError {
  override name = 'MissingDependencyError';

  constructor(
    /** The package to install, e.g. `better-sqlite3`. */
    readonly dependency: string,
    /** What needed it, e.g. `SqliteStore`. */
    readonly feature: string,
    /** The version range package.json's peerDependencies give, e.g. `^12`. */
    readonly range: string,
    options?: ErrorOptions,
  ) {
    super(
      `${feature} needs the optional peer dependency ${dependency}: run npm install ${dependency}@${range}.`,
      options,
    );
  }
}
