import { describe, expect, it } from 'vitest';
import {
  DAY,
  InvalidInputError,
  MINUTE,
  OrderLifecycleError,
  RestoreError,
  defaultPolicy,
  formatInstant,
  languages,
  marketplacePolicies,
  outcomeMessage,
  parseOrThrow,
  policyPresets,
  refusalCodes,
  refusalMessage,
  resolvePolicy,
  type OutcomeKey,
} from '../../src/domain/index.js';
import { z } from 'zod';

// Tests that pin what the property suite cannot see (wording, presets, error text), written where StrykerJS
// showed mutants surviving. The rules themselves are proved by test/properties.

const outcomeKeys: OutcomeKey[] = [
  'orderPlaced',
  'buyerCanceled',
  'officialRequest',
  'nonStandardRequest',
  'sellerCanceledNotCounted',
  'sellerCanceledCounted',
  'labelGenerated',
  'labelVoided',
  'shipped',
  'shippedLate',
  'timePassed',
];

describe('the message catalogue', () => {
  it('should ship every refusal and outcome in English and Chinese, each different', () => {
    expect(languages).toEqual(['en', 'zh-CN']);
    const all = [...refusalCodes.map((code) => refusalMessage(code)), ...outcomeKeys.map((key) => outcomeMessage(key))];
    for (const message of all) {
      expect(message.en.length).toBeGreaterThan(10);
      expect(message['zh-CN'].length).toBeGreaterThan(5);
      expect(message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(new Set(all.map((message) => message.en)).size).toBe(all.length);
    expect(new Set(all.map((message) => message['zh-CN'])).size).toBe(all.length);
  });

  it('should list every refusal code', () => {
    expect([...refusalCodes].sort()).toEqual([
      'ALREADY_CANCELED',
      'ALREADY_SHIPPED',
      'BUYER_WINDOW_CLOSED',
      'EVENT_BEFORE_PLACEMENT',
      'FULFILLED_BY_AMAZON',
      'LABEL_GENERATED',
      'NO_LABEL',
      'ORDER_PENDING',
      'QUANTITY_EXCEEDS_REMAINING',
      'REFUSED_BY_MACHINE',
      'UNKNOWN_ITEM',
    ]);
  });

  it('should carry the seed guidance for refusals', () => {
    expect(refusalMessage('ALREADY_SHIPPED').en).toMatch(/on its way.*return it for a refund/);
    expect(refusalMessage('ALREADY_SHIPPED')['zh-CN']).toMatch(/运送途中.*退货/);
    expect(refusalMessage('LABEL_GENERATED').en).toMatch(/unable to cancel.*return the item for a refund/);
    expect(refusalMessage('LABEL_GENERATED')['zh-CN']).toMatch(/无法取消.*退货/);
    expect(refusalMessage('ALREADY_CANCELED').en).toMatch(/cannot be undone.*new order/);
    expect(refusalMessage('ALREADY_CANCELED')['zh-CN']).toMatch(/重新下单/);
    expect(refusalMessage('BUYER_WINDOW_CLOSED').en).toMatch(/Request Cancellation/);
    expect(outcomeMessage('nonStandardRequest').en).toMatch(/Your Account > Your Orders > Request Cancellation/);
    expect(outcomeMessage('nonStandardRequest')['zh-CN']).toMatch(/申请取消/);
  });

  it('should fill parameters in both languages and keep unknown placeholders', () => {
    const filled = refusalMessage('QUANTITY_EXCEEDS_REMAINING', { orderItemId: 'ITEM-7', requested: 3, remaining: 1 });
    for (const lang of languages) {
      expect(filled[lang]).toContain('ITEM-7');
      expect(filled[lang]).toContain('3');
      expect(filled[lang]).toContain('1');
      expect(filled[lang]).not.toMatch(/\{\w+\}/);
    }
    expect(refusalMessage('UNKNOWN_ITEM').en).toContain('{orderItemId}');
    const named = outcomeMessage('sellerCanceledCounted', { quantity: 2, reason: 'NoInventory' });
    expect(named.en).toMatch(/2 unit\(s\).*No Inventory/);
    expect(named['zh-CN']).toContain('【无库存】');
  });
});

describe('policies and presets', () => {
  it('should default to the seed: a 30-minute window and auto-cancel after 7 days', () => {
    expect(defaultPolicy).toEqual({ buyerCancelWindowMs: 30 * MINUTE, autoCancelAfterMs: 7 * DAY });
    expect(MINUTE).toBe(60_000);
    expect(DAY).toBe(86_400_000);
    expect(Object.isFrozen(defaultPolicy)).toBe(true);
    expect(policyPresets.default).toBe(defaultPolicy);
    expect(policyPresets.fiveDayAutoCancel).toEqual({ buyerCancelWindowMs: 30 * MINUTE, autoCancelAfterMs: 5 * DAY });
  });

  it('should map the listed marketplaces to the default policy', () => {
    expect(Object.keys(marketplacePolicies).sort()).toEqual(
      [
        'A13V1IB3VIYZZH',
        'A1AM78C64UM0Y8',
        'A1F83G8C2ARO7P',
        'A1PA6795UKMFR9',
        'A1RKKUPIHCS9HS',
        'A1VC38T7YXB528',
        'A2EUQ1WTGCTBG2',
        'APJ6JRA9NG5V4',
        'ATVPDKIKX0DER',
      ].sort(),
    );
    for (const policy of Object.values(marketplacePolicies)) expect(policy).toEqual(defaultPolicy);
  });

  it('should resolve a preset, then the override on top, field by field', () => {
    expect(resolvePolicy()).toEqual(defaultPolicy);
    expect(resolvePolicy('UNKNOWN')).toEqual(defaultPolicy);
    expect(resolvePolicy('ATVPDKIKX0DER', { autoCancelAfterMs: 5 * DAY })).toEqual({
      buyerCancelWindowMs: 30 * MINUTE,
      autoCancelAfterMs: 5 * DAY,
    });
    expect(resolvePolicy(undefined, { buyerCancelWindowMs: 1 })).toEqual({
      buyerCancelWindowMs: 1,
      autoCancelAfterMs: 7 * DAY,
    });
  });

  it('should refuse bad policies naming the field', () => {
    expect(() => resolvePolicy(undefined, { buyerCancelWindowMs: -1 })).toThrow(
      /^Invalid policy: buyerCancelWindowMs: .*\(got -1\)$/,
    );
    expect(() => resolvePolicy(undefined, { autoCancelAfterMs: 30 * MINUTE })).toThrow(
      /Invalid policy: autoCancelAfterMs: autoCancelAfterMs must be longer than buyerCancelWindowMs/,
    );
    expect(() => resolvePolicy(undefined, { autoCancelAfterMs: 30 * MINUTE + 1 })).not.toThrow();
    expect(() => resolvePolicy(undefined, { extra: 1 } as never)).toThrow(InvalidInputError);
  });
});

describe('parse errors and error classes', () => {
  const schema = z.strictObject({ a: z.strictObject({ b: z.number() }), c: z.string().optional() });

  it('should name the path and the offending value, shortened when long', () => {
    expect(() => parseOrThrow(schema, { a: { b: 'x' } }, 'thing')).toThrow(/^Invalid thing: a\.b: .* \(got "x"\)$/);
    expect(() => parseOrThrow(schema, { a: {} }, 'thing')).toThrow(/a\.b: .* \(got nothing\)/);
    expect(() => parseOrThrow(schema, 7, 'thing')).toThrow(/^Invalid thing: \(root\): .* \(got 7\)$/);
    const long = 'y'.repeat(200);
    let message = '';
    try {
      parseOrThrow(schema, { a: { b: long } }, 'thing');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`(got "${'y'.repeat(76)}...)`);
    expect(message).not.toContain('y'.repeat(77));
    // Every issue, in zod's order, each with its own path and value, joined by "; ".
    expect(() => parseOrThrow(schema, { a: { b: 1 }, c: 2, d: 3 }, 'thing')).toThrow(
      /^Invalid thing: c: [^;]* \(got 2\); \(root\): [^;]*"d"[^;]* \(got \{"a":\{"b":1\},"c":2,"d":3\}\)$/,
    );
  });

  it('should describe values that JSON cannot and values nested in non-objects', () => {
    expect(() => parseOrThrow(schema, { a: 5 }, 'thing')).toThrow(/a: .*\(got 5\)/);
    expect(() => parseOrThrow(z.object({ a: z.object({ b: z.number() }) }), { a: null }, 'thing')).toThrow(
      /a: .*\(got null\)/,
    );
    expect(() => parseOrThrow(z.strictObject({ f: z.number() }), { f: () => 1 }, 'thing')).toThrow(
      /f: .*\(got \(\) => 1\)/,
    );
  });

  it('should give each error class its name and keep what was parsed', () => {
    const error = new InvalidInputError('event', 'at: bad');
    expect(error).toBeInstanceOf(OrderLifecycleError);
    expect(error.name).toBe('InvalidInputError');
    expect(error.message).toBe('Invalid event: at: bad');
    expect(error.subject).toBe('event');
    expect(error.details).toBe('at: bad');
    expect(new RestoreError('x').name).toBe('RestoreError');
    expect(new OrderLifecycleError('x').name).toBe('OrderLifecycleError');
  });

  it('should format instants as ISO-8601 in UTC', () => {
    expect(formatInstant(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(formatInstant(Date.UTC(2026, 10, 26, 10, 30))).toBe('2026-11-26T10:30:00.000Z');
  });
});
