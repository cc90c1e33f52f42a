import { describe, expect, it } from 'vitest';
import {
  DAY,
  InvalidInputError,
  Instant,
  MissingDependencyError,
  OrderLifecycleError,
  RestoreError,
  autoCancelAtOf,
  createOrderContext,
  deadlineFor,
  defaultPolicy,
  hasBuyerWindowClosedAt,
  isAnyDeadlineDueAt,
  isAutoCancelDueAt,
  isWindowEndDueAt,
  offsetMinutesOf,
  placedStateKeys,
  stateKeys,
  stateValueOf,
  statusOfStateKey,
} from '../../src/domain/index.js';
import { MAX_INSTANT } from '../../src/domain/instant-format.js';
import { formatCount } from '../../src/domain/locales/cli.js';

// Tests that pin the small modules of the domain (time, errors, subject, deadlines, order, policy, the command
// line's counts), written where StrykerJS showed mutants surviving. The rules themselves are proved by test/properties.

/** The message of the one issue `Instant` finds in `value`. */
function instantIssue(value: unknown): string | undefined {
  const result = Instant.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}

/** The messages of what each form of `Instant` found wrong with `value` (the union's issue keeps them). */
function formIssues(value: unknown): string[] {
  const result = Instant.safeParse(value);
  const issue = result.error?.issues[0];
  return issue?.code === 'invalid_union' ? issue.errors.flat().map((inner) => inner.message) : [];
}

describe('Instant', () => {
  it('should take whole epoch milliseconds from 0 to the last instant a Date can hold, and nothing else', () => {
    expect(Instant.parse(0)).toBe(0);
    expect(Instant.parse(MAX_INSTANT)).toBe(MAX_INSTANT);
    for (const bad of [-1, 1.5, MAX_INSTANT + 1]) expect(Instant.safeParse(bad).success).toBe(false);
  });

  it('should read an ISO-8601 date-time with an offset as the instant it names', () => {
    expect(Instant.parse('2026-11-26T10:00:00+08:00')).toBe(Date.UTC(2026, 10, 26, 2));
    expect(Instant.parse('2026-11-26T10:00:00Z')).toBe(Date.UTC(2026, 10, 26, 10));
  });

  it('should take a valid Date at or after 1970 as its epoch milliseconds, and refuse an invalid or earlier one', () => {
    expect(Instant.parse(new Date(0))).toBe(0);
    expect(Instant.parse(new Date(Date.UTC(2026, 10, 26, 10)))).toBe(Date.UTC(2026, 10, 26, 10));
    expect(formIssues(new Date(-1))).toContain('expected a valid Date at or after 1970-01-01');
    const [issue] = Instant.safeParse(new Date(-1)).error?.issues ?? [];
    // The union keeps what each form found: the Date form's own issue, worded by the package.
    expect(issue?.code === 'invalid_union' && issue.errors[2]).toEqual([
      expect.objectContaining({ code: 'custom', message: 'expected a valid Date at or after 1970-01-01' }),
    ]);
    expect(Instant.safeParse(new Date(Number.NaN)).success).toBe(false);
  });

  it('should say which forms it takes when a value is none of them', () => {
    const forms =
      'expected an ISO-8601 date-time with seconds and an offset (2026-11-26T10:00:00+08:00), epoch milliseconds or a Date';
    expect(instantIssue('tomorrow')).toBe(forms);
    expect(instantIssue(true)).toBe(forms);
  });
});

describe('offsetMinutesOf', () => {
  it('should read the offset of an ISO-8601 instant in minutes, east positive and west negative', () => {
    expect(offsetMinutesOf('2026-11-26T10:00:00+08:00')).toBe(8 * 60);
    expect(offsetMinutesOf('2026-11-26T10:00:00+05:45')).toBe(5 * 60 + 45);
    expect(offsetMinutesOf('2026-11-26T10:00:00-03:30')).toBe(-(3 * 60 + 30));
    expect(offsetMinutesOf('2026-11-26T10:00:00-0930')).toBe(-(9 * 60 + 30));
  });

  it('should give 0 for Z, for text that does not end with an offset, and for epoch ms and Dates', () => {
    expect(offsetMinutesOf('2026-11-26T10:00:00Z')).toBe(0);
    expect(offsetMinutesOf('2026-11-26T10:00:00+08:00 ')).toBe(0);
    expect(offsetMinutesOf('+8:00')).toBe(0);
    expect(offsetMinutesOf(Date.UTC(2026, 10, 26))).toBe(0);
    expect(offsetMinutesOf(new Date(Date.UTC(2026, 10, 26)))).toBe(0);
  });

  it('should give 0 for anything but text, even a value whose text would end like an offset', () => {
    expect(offsetMinutesOf(-1230)).toBe(0);
    expect(offsetMinutesOf({ toString: () => '2026-11-26T10:00:00+08:00' })).toBe(0);
    expect(offsetMinutesOf(['2026-11-26T10:00:00+08:00'])).toBe(0);
  });
});

describe('InvalidInputError', () => {
  it('should name the subject and each issue, its path first when it has one', () => {
    const error = new InvalidInputError('event', [
      { path: 'items.0.quantity', message: 'too small (got -1)' },
      { path: '', message: 'expected an object' },
    ]);
    expect(error.message).toBe('Invalid event: items.0.quantity: too small (got -1); expected an object');
    expect(error.details).toBe('items.0.quantity: too small (got -1); expected an object');
    expect(error.subject).toBe('event');
    expect(error.name).toBe('InvalidInputError');
    expect(error).toBeInstanceOf(OrderLifecycleError);
  });

  it('should take a single message as the one issue of the value itself', () => {
    const error = new InvalidInputError('policy', 'expected an object');
    expect(error.issues).toEqual([{ path: '', message: 'expected an object' }]);
    expect(error.message).toBe('Invalid policy: expected an object');
  });

  it('should name the first 10 issues and count the rest, in the singular for one', () => {
    const issues = (count: number) =>
      Array.from({ length: count }, (_, index) => ({ path: `items.${index}`, message: 'bad' }));
    const shown = issues(10)
      .map((issue) => `${issue.path}: bad`)
      .join('; ');
    expect(new InvalidInputError('order input', issues(10)).details).toBe(shown);
    expect(new InvalidInputError('order input', issues(11)).details).toBe(`${shown}; and 1 more issue`);
    expect(new InvalidInputError('order input', issues(13)).details).toBe(`${shown}; and 3 more issues`);
    expect(new InvalidInputError('order input', issues(13)).issues).toHaveLength(13);
  });

  it('should show an issue of 500 characters whole and cut a longer one to 500 with an ellipsis', () => {
    const whole = 'a'.repeat(500);
    expect(new InvalidInputError('event', whole).details).toBe(whole);
    const long = 'b'.repeat(501);
    expect(new InvalidInputError('event', long).details).toBe(`${'b'.repeat(497)}...`);
  });

  it('should never cut a surrogate pair in half where a long issue is cut', () => {
    // The cut keeps 497 characters; a pair whose high half is the 497th is left out whole.
    for (const pair of ['\ud800\udc00', '\udbff\udfff', '😀']) {
      const text = `${'c'.repeat(496)}${pair}${'d'.repeat(10)}`;
      expect(new InvalidInputError('event', text).details).toBe(`${'c'.repeat(496)}...`);
    }
    // A pair that ends at the 497th character is kept whole.
    const kept = `${'c'.repeat(495)}😀${'d'.repeat(10)}`;
    expect(new InvalidInputError('event', kept).details).toBe(`${'c'.repeat(495)}😀...`);
    // A character just outside the high surrogates is cut like any other.
    for (const edge of ['\ud7ff', '\udc00']) {
      const text = `${'c'.repeat(496)}${edge}${'d'.repeat(10)}`;
      expect(new InvalidInputError('event', text).details).toBe(`${'c'.repeat(496)}${edge}...`);
    }
  });

  it('should put nested issues under the prefix, the value itself and the root becoming the prefix', () => {
    const error = new InvalidInputError('event', [
      { path: 'at', message: 'expected an instant' },
      { path: '', message: 'expected an object' },
      { path: '(root)', message: 'expected an event' },
    ]);
    const nested = error.nested('events.2', 'recorded order');
    expect(nested.issues).toEqual([
      { path: 'events.2.at', message: 'expected an instant' },
      { path: 'events.2', message: 'expected an object' },
      { path: 'events.2', message: 'expected an event' },
    ]);
    expect(nested.subject).toBe('recorded order');
  });
});

describe('the other error classes', () => {
  it('should name each class', () => {
    expect(new OrderLifecycleError('x').name).toBe('OrderLifecycleError');
    expect(new RestoreError('x').name).toBe('RestoreError');
  });

  it('should name the package, the feature and the command that installs it, keeping the cause', () => {
    const cause = new Error('Cannot find module');
    const error = new MissingDependencyError('pg', 'PostgresStore', '^8', { cause });
    expect(error.message).toBe('PostgresStore needs the optional peer dependency pg: run npm install pg@^8.');
    expect(error).toMatchObject({
      name: 'MissingDependencyError',
      dependency: 'pg',
      feature: 'PostgresStore',
      range: '^8',
    });
    expect(error.cause).toBe(cause);
  });
});

describe("the command line's counts", () => {
  it('should group the digits and show no fraction, in each language', () => {
    expect(formatCount('en', 9500)).toBe('9,500');
    expect(formatCount('en', 1234.4)).toBe('1,234');
    expect(formatCount('zh-CN', 9500)).toBe('9,500');
    expect(formatCount('zh-CN', 2.5)).toBe('3');
  });
});

describe('the deadlines', () => {
  const facts = { buyerCancelUntil: 1_000, autoCancelAt: 5_000, marketplaceStatus: null };
  const held = { ...facts, marketplaceStatus: 'pending' as const };

  it("should be due from the deadline's own instant on, never before and never when there is none", () => {
    expect(isAutoCancelDueAt(facts, 4_999)).toBe(false);
    expect(isAutoCancelDueAt(facts, 5_000)).toBe(true);
    expect(isWindowEndDueAt(facts, 999)).toBe(false);
    expect(isWindowEndDueAt(facts, 1_000)).toBe(true);
    expect(isAutoCancelDueAt({ ...facts, autoCancelAt: null }, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('should move nothing by time while the marketplace reports the order Pending, but still close the buyer window', () => {
    expect(isAutoCancelDueAt(held, 5_000)).toBe(false);
    expect(isWindowEndDueAt(held, 1_000)).toBe(false);
    expect(hasBuyerWindowClosedAt(held, 999)).toBe(false);
    expect(hasBuyerWindowClosedAt(held, 1_000)).toBe(true);
    expect(isAutoCancelDueAt({ ...facts, marketplaceStatus: 'unshipped' }, 5_000)).toBe(true);
    for (const status of ['buyer-cancellable', 'unshipped', 'label-generated'] as const) {
      expect(deadlineFor(status, held)).toBeNull();
      expect(isAnyDeadlineDueAt(status, held, 5_000)).toBe(false);
    }
  });

  it("should give the window's end while Pending, the auto-cancel while open, and nothing once the order is done", () => {
    expect(deadlineFor('buyer-cancellable', facts)).toBe(1_000);
    expect(deadlineFor('unshipped', facts)).toBe(5_000);
    expect(deadlineFor('label-generated', facts)).toBe(5_000);
    for (const status of ['shipped', 'canceled', 'auto-canceled'] as const) {
      expect(deadlineFor(status, facts)).toBeNull();
      expect(isAnyDeadlineDueAt(status, facts, 5_000)).toBe(false);
    }
  });

  it("should count the window's end as due only while Pending, and the auto-cancel in any open state", () => {
    expect(isAnyDeadlineDueAt('buyer-cancellable', facts, 999)).toBe(false);
    expect(isAnyDeadlineDueAt('buyer-cancellable', facts, 1_000)).toBe(true);
    expect(isAnyDeadlineDueAt('unshipped', facts, 1_000)).toBe(false);
    expect(isAnyDeadlineDueAt('label-generated', facts, 1_000)).toBe(false);
    for (const status of ['buyer-cancellable', 'unshipped', 'label-generated'] as const) {
      expect(isAnyDeadlineDueAt(status, facts, 4_999)).toBe(status === 'buyer-cancellable');
      expect(isAnyDeadlineDueAt(status, facts, 5_000)).toBe(true);
    }
  });
});

describe('a new order', () => {
  const placedAt = '2026-11-26T10:00:00+08:00';
  const latestShipDate = '2026-11-28T23:59:59Z';

  it('should refuse a missing input with one issue about the whole value', () => {
    expect(() => createOrderContext(undefined)).toThrow(
      new InvalidInputError('order input', [
        { path: '(root)', message: 'expected an order input object (got nothing)' },
      ]),
    );
    expect(() => createOrderContext(undefined)).toThrow(
      'Invalid order input: (root): expected an order input object (got nothing)',
    );
  });

  it('should build the context with its absolute deadlines, its offset and nothing recorded', () => {
    const context = createOrderContext({
      orderId: '111-1',
      marketplaceId: 'ATVPDKIKX0DER',
      placedAt,
      latestShipDate,
      items: [
        { orderItemId: 'A', sku: 'TEA-RED', quantity: 2 },
        { orderItemId: 'B', quantity: 1 },
      ],
    });
    const placed = Date.parse(placedAt);
    const lastShip = Date.parse(latestShipDate);
    expect(context).toEqual({
      orderId: '111-1',
      marketplaceId: 'ATVPDKIKX0DER',
      fulfillmentChannel: 'MFN',
      policy: defaultPolicy,
      placedAt: placed,
      latestShipDate: lastShip,
      marketplaceStatus: null,
      marketplaceStatusAt: null,
      utcOffsetMinutes: 8 * 60,
      buyerCancelUntil: placed + defaultPolicy.buyerCancelWindowMs,
      autoCancelAt: lastShip + defaultPolicy.autoCancelAfterMs,
      clock: placed,
      items: [
        {
          orderItemId: 'A',
          sku: 'TEA-RED',
          quantity: 2,
          quantityCanceled: 0,
          quantityShipped: 0,
          buyerRequestedCancel: false,
        },
        { orderItemId: 'B', quantity: 1, quantityCanceled: 0, quantityShipped: 0, buyerRequestedCancel: false },
      ],
      requests: [],
      cancellations: [],
      labelGeneratedAt: null,
      shippedAt: null,
      shippedLate: null,
      eventIds: [],
    });
    expect('sku' in context.items[1]!).toBe(false);
  });

  it('should leave out the marketplace and the deadline it cannot know, and apply the policy override', () => {
    const context = createOrderContext(
      {
        orderId: '111-2',
        placedAt,
        items: [{ orderItemId: 'A', quantity: 1 }],
        policy: { buyerCancelWindowMs: 60_000 },
      },
      { autoCancelAfterMs: 2 * DAY },
    );
    expect('marketplaceId' in context).toBe(false);
    expect(context.latestShipDate).toBeNull();
    expect(context.autoCancelAt).toBeNull();
    expect(context.policy).toEqual({ buyerCancelWindowMs: 60_000, autoCancelAfterMs: 2 * DAY });
    expect(context.buyerCancelUntil).toBe(Date.parse(placedAt) + 60_000);
  });

  it('should set no auto-cancel for orders Amazon ships or without a latest ship date, else the date plus the delay', () => {
    expect(autoCancelAtOf('AFN', 1_000, 7 * DAY)).toBeNull();
    expect(autoCancelAtOf('MFN', null, 7 * DAY)).toBeNull();
    expect(autoCancelAtOf('MFN', 1_000, 7 * DAY)).toBe(1_000 + 7 * DAY);
  });
});

describe("the machine's state keys", () => {
  it('should name each leaf state with the status the product brief gives it', () => {
    expect(statusOfStateKey).toEqual({
      buyerCancellable: 'buyer-cancellable',
      unshipped: 'unshipped',
      labelGenerated: 'label-generated',
      shipped: 'shipped',
      canceled: 'canceled',
      autoCanceled: 'auto-canceled',
    });
    expect(stateKeys).toEqual({
      placed: 'placed',
      ...Object.fromEntries(Object.keys(statusOfStateKey).map((key) => [key, key])),
    });
    expect(placedStateKeys).toEqual(['buyerCancellable', 'unshipped', 'labelGenerated']);
  });

  it('should nest the open states under placed and leave the others at the top', () => {
    for (const key of placedStateKeys) expect(stateValueOf(key)).toEqual({ placed: key });
    for (const key of ['shipped', 'canceled', 'autoCanceled'] as const) expect(stateValueOf(key)).toBe(key);
  });
});
