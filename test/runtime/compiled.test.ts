import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { OrderContext } from '../../src/domain/index.js';
import { compiled } from '../../src/runtime/compiled.js';
import { assertProperty } from '../../src/testing/index.js';
import { labelledOrder, newOrder, run, unshippedOrder } from '../support/orders.js';

const fast = compiled(OrderContext);
const contexts = [
  newOrder().context,
  unshippedOrder().context,
  labelledOrder().context,
  run(unshippedOrder(), {
    type: 'seller.cancel',
    at: Date.parse('2026-11-26T11:00:00+08:00'),
    reason: 'NoInventory',
  }).at(-1)!.snapshot.context,
].map((context) => JSON.parse(JSON.stringify(context)) as Record<string, unknown>);

/** Both parsers' answer, as plain data: the parsed value, or every issue with its path, code and message. */
function answer(schema: z.ZodMiniType, value: unknown): unknown {
  const result = z.safeParse(schema, value);
  return result.success ? { data: result.data } : { issues: result.error.issues };
}

/** Sets `value` at `path` in a deep copy of `context` (arrays and objects along the way are copied). */
function withValue(context: Record<string, unknown>, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(context) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) return copy;
    at = at[key] as Record<string | number, unknown>;
  }
  at[path.at(-1)!] = value;
  return copy;
}

/** Every path into a context: its keys, and the keys of the items, cancellations and records inside it. */
function pathsOf(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [path, ...entries.flatMap(([key, inner]) => pathsOf(inner, [...path, key]))];
}

describe('the compiled OrderContext that restoreOrder parses with', () => {
  it('should give the same data for every valid context', () => {
    for (const context of contexts) expect(answer(fast, context)).toEqual(answer(OrderContext, context));
  });

  it('should give the same data or the same issues as the schema when any part of a context is replaced', () => {
    const cases = fc
      .constantFrom(...contexts)
      .chain((context) =>
        fc.tuple(
          fc.constant(context),
          fc.constantFrom(...pathsOf(context).filter((path) => path.length > 0)),
          fc.oneof(fc.anything(), fc.constant(undefined), fc.constant(null), fc.string(), fc.integer()),
        ),
      );
    assertProperty(
      'compiled OrderContext answers as OrderContext',
      fc.property(cases, ([context, path, value]) => {
        const input = withValue(context, path, value);
        expect(answer(fast, input)).toEqual(answer(OrderContext, input));
      }),
      { numRuns: 500 },
    );
  });
});
