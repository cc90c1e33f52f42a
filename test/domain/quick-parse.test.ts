import fc from 'fast-check';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { OrderContext } from '../../src/domain/index.js';
import { quickParser } from '../../src/domain/quick-parse.js';
import { applyEvent, createOrder } from '../../src/index.js';
import { orderScenarioArbitrary, propertyParameters } from '../../src/testing/index.js';

const quickContext = quickParser(OrderContext);

/** Every context an order passes through in a scenario: after its creation and after each event. */
function contextsOf(scenario: { input: Parameters<typeof createOrder>[0]; events: unknown[] }): OrderContext[] {
  let snapshot = createOrder(scenario.input).snapshot;
  const contexts = [snapshot.context];
  for (const event of scenario.events) {
    snapshot = applyEvent(snapshot, event as never).snapshot;
    contexts.push(snapshot.context);
  }
  return contexts;
}

/** A value that is odd somewhere: each kind a stored field might wrongly hold. */
const odd = fc.constantFrom<unknown>(
  undefined,
  null,
  -1,
  0,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  -(2 ** 53),
  1081,
  -1081,
  '',
  'x',
  'x'.repeat(129),
  'marketplace',
  'NoInventory',
  'pending',
  'AFN',
  true,
  [],
  [{}],
  {},
  { extra: 1 },
  new Date(0),
  Object.create(null),
);

/** The paths of every value inside a JSON-like value, the root's `[]` included. */
function pathsOf(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  const paths = [path];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsOf(item, [...path, index])));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...path, key]));
  return paths;
}

/** A deep copy of `value` with the value at `path` replaced, or a key added beside it when `add` names one. */
function mutated(value: unknown, path: Array<string | number>, replacement: unknown, add?: string): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) return add === undefined ? replacement : copy;
  type Node = Record<string | number, unknown>;
  const parent = path.slice(0, -1).reduce((node, key) => node[key] as Node, copy as Node);
  const last = path[path.length - 1]!;
  const target = parent[last];
  if (add !== undefined && target !== null && typeof target === 'object' && !Array.isArray(target))
    (target as Node)[add] = replacement;
  else if (replacement === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

describe('the quick parser of a stored order context (quickParser)', () => {
  it('should give what OrderContext gives, field for field and in its order, for every context an order passes through', () => {
    const seed = Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31);
    console.log(`quickParser(OrderContext) on real contexts: seed ${seed} (FC_SEED=${seed} replays it)`);
    fc.assert(
      fc.property(orderScenarioArbitrary(), (scenario) => {
        for (const context of contextsOf(scenario)) {
          const stored = JSON.parse(JSON.stringify(context));
          const quick = quickContext(stored);
          expect(quick).toBeDefined();
          expect(JSON.stringify(quick)).toBe(JSON.stringify(OrderContext.parse(stored)));
          expect(quick).toStrictEqual(OrderContext.parse(stored));
        }
      }),
      { ...propertyParameters({ numRuns: 150 }), seed },
    );
  });

  it('should never take a context the schema refuses, and give the schema’s output when it takes one, whatever field is odd', () => {
    const seed = Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31);
    console.log(`quickParser(OrderContext) on odd contexts: seed ${seed} (FC_SEED=${seed} replays it)`);
    const oddContext = orderScenarioArbitrary({ maxEvents: 8 }).chain((scenario) => {
      const contexts = contextsOf(scenario).map((context) => JSON.parse(JSON.stringify(context)) as unknown);
      return fc
        .constantFrom(...contexts)
        .chain((context) =>
          fc
            .tuple(fc.constantFrom(...pathsOf(context)), odd, fc.option(fc.constantFrom('extra', 'sku', 'note')))
            .map(([path, value, add]) => mutated(context, path, value, add ?? undefined)),
        );
    });
    let refused = 0;
    fc.assert(
      fc.property(oddContext, (value) => {
        const quick = quickContext(value);
        const schema = OrderContext.safeParse(value);
        if (!schema.success) refused++;
        if (quick === undefined) return;
        expect(schema.success).toBe(true);
        expect(JSON.stringify(quick)).toBe(JSON.stringify(schema.data));
        expect(quick).toStrictEqual(schema.data);
      }),
      { ...propertyParameters({ numRuns: 400 }), seed },
    );
    // Most odd values are refused by the schema: the property above saw the refusals it guards against.
    expect(refused).toBeGreaterThan(0);
  });

  it('should parse every part of a stored context itself but the policy, whose refinement is zod’s', () => {
    expect(quickContext.zodParts).toEqual(['policy']);
  });

  it('should leave to the schema an optional field that is present but undefined, and a context that is not a plain object', () => {
    const context = JSON.parse(JSON.stringify(createOrder(sampleInput).snapshot.context));
    expect(quickContext({ ...context, marketplaceId: undefined })).toBeUndefined();
    expect(quickContext(Object.assign(Object.create(null), context))).toBeUndefined();
    expect(quickContext([context])).toBeUndefined();
    expect(quickContext({ ...context, unknownField: 1 })).toBeUndefined();
    expect(quickContext(context)).toStrictEqual(OrderContext.parse(context));
  });

  it('should copy the value rather than hand back the caller’s objects, as the schema does', () => {
    const context = JSON.parse(JSON.stringify(createOrder(sampleInput).snapshot.context));
    const quick = quickContext(context)!;
    expect(quick).not.toBe(context);
    expect(quick.items).not.toBe(context.items);
    expect(quick.items[0]).not.toBe(context.items[0]);
    expect(quick.policy).not.toBe(context.policy);
  });

  it('should hand a refinement to zod: a policy whose auto-cancel is not longer than the window is refused', () => {
    const context = JSON.parse(JSON.stringify(createOrder(sampleInput).snapshot.context));
    const policy = { buyerCancelWindowMs: 60_000, autoCancelAfterMs: 60_000 };
    expect(quickContext({ ...context, policy })).toBeUndefined();
    expect(quickContext({ ...context, policy: { ...policy, autoCancelAfterMs: 120_000 } })?.policy).toEqual({
      ...policy,
      autoCancelAfterMs: 120_000,
    });
  });

  it('should read bounds from the schema: lengths, inclusive and exclusive limits, safe integers only', () => {
    const quick = quickParser(
      z.strictObject({
        name: z.string().check(z.minLength(2), z.maxLength(3)),
        count: z.number().check(z.int(), z.positive(), z.maximum(10)),
        offset: z.number().check(z.int(), z.minimum(-1), z.lt(1)),
        tags: z.array(z.enum(['a', 'b'])).check(z.minLength(1)),
        kind: z.union([z.literal('x'), z.enum(['y'])]),
        note: z.optional(z.nullable(z.string())),
      }),
    );
    expect(quick.zodParts).toEqual([]);
    const good = { name: 'ab', count: 10, offset: -1, tags: ['a'], kind: 'y' };
    expect(quick(good)).toEqual(good);
    expect(quick({ ...good, note: null })).toEqual({ ...good, note: null });
    // Each bound itself is inside it.
    for (const edge of [
      { name: 'abc' },
      { count: 1 },
      { offset: 0 },
      { tags: ['a', 'b'] },
      { kind: 'x' },
      { note: 'n' },
    ])
      expect(quick({ ...good, ...edge })).toEqual({ ...good, ...edge });
    const { count: _count, ...withoutCount } = good;
    expect(quick(withoutCount)).toBeUndefined();
    for (const bad of [
      { name: 'a' },
      { name: 'abcd' },
      { count: 0 },
      { count: 11 },
      { count: 2.5 },
      { offset: 1 },
      { offset: -2 },
      { tags: [] },
      { tags: ['c'] },
      { kind: 'z' },
      { note: 3 },
    ])
      expect(quick({ ...good, ...bad })).toBeUndefined();
  });

  it('should hand zod a part it does not cover, and give zod’s output for it', () => {
    const quick = quickParser(
      z.strictObject({
        at: z.pipe(
          z.string(),
          z.transform((text) => text.length),
        ),
        n: z.number(),
      }),
    );
    // A number without int() and a transform are zod's: each of those fields is parsed by zod, the object quickly.
    expect(quick.zodParts).toEqual(['at', 'n']);
    expect(quick({ at: 'abc', n: 1.5 })).toEqual({ at: 3, n: 1.5 });
    expect(quick({ at: 3, n: 1 })).toBeUndefined();
  });
});

const sampleInput = {
  orderId: '113-1234567-1234567',
  marketplaceId: 'ATVPDKIKX0DER',
  placedAt: '2026-11-26T10:00:00+08:00',
  latestShipDate: '2026-11-28T23:59:59+08:00',
  items: [{ orderItemId: 'A', sku: 'MUG', quantity: 2 }],
};

describe('the quick parser of the snapshots sellerMetrics reads', () => {
  const Snapshots = z.array(z.object({ context: OrderContext }));
  const quickSnapshots = quickParser(Snapshots);

  it('should take the package’s own snapshots, leaving out every key but the context, as z.object does', () => {
    const snapshot = applyEvent(createOrder(sampleInput).snapshot, {
      type: 'seller.generateLabel',
      at: '2026-11-26T11:00:00+08:00',
    }).snapshot;
    const quick = quickSnapshots([snapshot]);
    expect(quick).toBeDefined();
    expect(quick).toStrictEqual(Snapshots.parse([snapshot]));
    expect(Object.keys(quick![0]!)).toEqual(['context']);
  });

  it('should leave to the schema a list that is not one of snapshots', () => {
    for (const value of [null, {}, [null], [{}], [{ context: {} }], 'snapshots'])
      expect(quickSnapshots(value)).toBeUndefined();
  });

  it('should not cover an object whose field is named as an Object.prototype key: zod reads those through the prototype', () => {
    const quick = quickParser(z.object({ toString: z.optional(z.string()), n: z.number().check(z.int()) }));
    expect(quick.zodParts).toEqual(['(root)']);
    // The part is zod's: a plain object's inherited toString is a function, which zod refuses.
    expect(quick({ n: 1 })).toBeUndefined();
    expect(z.object({ toString: z.optional(z.string()) }).safeParse({}).success).toBe(false);
  });
});

describe('which parts a quick parser hands to zod (zodParts)', () => {
  it('should name each uncovered part by its path, inside arrays, unions and nullable fields too', () => {
    const custom = z.string().check(z.refine((text) => text !== 'no'));
    const quick = quickParser(
      z.strictObject({
        list: z.array(z.strictObject({ id: custom, n: z.number().check(z.int()) })),
        either: z.union([z.literal('a'), custom]),
        maybe: z.nullable(z.number()),
        loose: z.looseObject({ a: z.string() }),
        text: z.string().check(z.regex(/x/)),
        bounded: z.number().check(z.int(), z.multipleOf(2)),
        counted: z.array(z.string()).check(z.length(2)),
      }),
    );
    expect(quick.zodParts).toEqual(['list[].id', 'either', 'maybe', 'loose', 'text', 'bounded', 'counted']);
    const good = {
      list: [{ id: 'x', n: 1 }],
      either: 'b',
      maybe: 1.5,
      loose: { a: 'x', b: 1 },
      text: 'x',
      bounded: 4,
      counted: ['a', 'b'],
    };
    expect(quick(good)).toEqual(good);
    expect(quick({ ...good, list: [{ id: 'no', n: 1 }] })).toBeUndefined();
    expect(quick({ ...good, bounded: 3 })).toBeUndefined();
  });

  it('should parse booleans and z.object itself, leaving other keys out, and hand zod an object with a refinement and a float32', () => {
    const quick = quickParser(z.object({ flag: z.boolean(), inner: z.object({ n: z.number().check(z.int()) }) }));
    expect(quick.zodParts).toEqual([]);
    expect(quick({ flag: false, inner: { n: 1, extra: 2 }, extra: 3 })).toStrictEqual({ flag: false, inner: { n: 1 } });
    expect(quick({ flag: 0, inner: { n: 1 } })).toBeUndefined();
    const refined = quickParser(
      z
        .strictObject({ low: z.number().check(z.int()), high: z.number().check(z.int()) })
        .check(z.refine((range) => range.low < range.high)),
    );
    expect(refined.zodParts).toEqual(['(root)']);
    expect(refined({ low: 1, high: 2 })).toEqual({ low: 1, high: 2 });
    expect(refined({ low: 2, high: 1 })).toBeUndefined();
    const float = quickParser(z.strictObject({ ratio: z.float32() }));
    expect(float.zodParts).toEqual(['ratio']);
    expect(float({ ratio: 1.5 })).toEqual({ ratio: 1.5 });
  });

  it('should hand zod a whole array whose own check it does not cover, and not its element’s parts besides', () => {
    const quick = quickParser(z.array(z.strictObject({ id: z.string().check(z.refine(Boolean)) })).check(z.length(1)));
    expect(quick.zodParts).toEqual(['(root)']);
  });
});

describe('the quick parser on schemas a fresh review found it wrong on (each now zod’s answer or left to zod)', () => {
  const sym = Symbol('key');
  enum Numeric {
    A,
    B,
  }
  const cases: Array<[string, z.core.$ZodType, unknown]> = [
    ['two lower bounds, the second looser', z.number().check(z.int(), z.gte(5), z.gte(0)), 3],
    ['two upper bounds, the second looser', z.number().check(z.int(), z.lte(5), z.lte(10)), 7],
    ['a numeric TypeScript enum, by a reverse name', z.enum(Numeric), 'A'],
    ['z.xor, a value two options take', z.xor([z.string(), z.string().check(z.minLength(1))]), 'a'],
    ['an optional field with a default, absent', z.object({ a: z.optional(z._default(z.string(), 'x')) }), {}],
    ['a nullable optional field, absent', z.object({ a: z.nullable(z.optional(z.string())) }), {}],
    ['a required unknown field, absent', z.object({ a: z.unknown() }), {}],
    ['a required field that takes undefined, absent', z.object({ a: z.union([z.string(), z.undefined()]) }), {}],
    [
      'a union whose first option would take the value but for an undefined field',
      z.union([z.object({ a: z.optional(z.string()) }), z.object({ b: z.optional(z.string()) })]),
      { a: undefined, b: 'x' },
    ],
    [
      'a union whose first option would take a null-prototype object',
      z.union([z.object({ x: z.object({}) }), z.object({ x: z.unknown() })]),
      { x: Object.create(null) },
    ],
    ['a field keyed by a symbol', z.object({ [sym]: z.string(), a: z.string() }), { a: 'x' }],
    [
      'an object with an overwrite',
      z.object({ a: z.string() }).check(z.overwrite((v) => ({ ...v, b: 1 }))),
      { a: 'x' },
    ],
    ['an enum with an overwrite', z.enum(['a', 'b']).check(z.overwrite(() => 'b' as const)), 'a'],
    [
      'an object with a property check',
      z.object({ a: z.string() }).check(z.property('a', z.string().check(z.minLength(3)))),
      { a: 'x' },
    ],
  ];

  it('should give zod’s answer or leave it to zod on each of them', () => {
    for (const [name, schema, value] of cases) {
      const quick = quickParser(schema)(value);
      const parsed = z.safeParse(schema, value);
      if (quick === undefined) continue;
      expect(parsed.success, name).toBe(true);
      expect(quick, name).toStrictEqual(parsed.data);
    }
  });

  it('should keep the tightest of several bounds, exclusive over inclusive at the same value, in either order', () => {
    const quick = quickParser(z.number().check(z.int(), z.gte(5), z.gte(0), z.gt(5), z.lte(9), z.lt(20)));
    expect(quick.zodParts).toEqual([]);
    expect([5, 6, 9, 10].map((n) => quick(n))).toEqual([undefined, 6, 9, undefined]);
    const reversed = quickParser(z.number().check(z.int(), z.gt(5), z.gte(5), z.gt(0), z.lt(9), z.lte(9), z.lt(20)));
    expect([5, 6, 8, 9].map((n) => reversed(n))).toEqual([undefined, 6, 8, undefined]);
    const upper = quickParser(z.number().check(z.int(), z.lte(9), z.lt(9)));
    expect([8, 9].map((n) => upper(n))).toEqual([8, undefined]);
    const inclusive = quickParser(z.number().check(z.int(), z.gte(5), z.lte(9)));
    expect([4, 5, 9, 10].map((n) => inclusive(n))).toEqual([undefined, 5, 9, undefined]);
  });

  it('should leave to zod a plain object whose field is an optional over a default, and a union of an enum and an object', () => {
    expect(quickParser(z.object({ a: z.optional(z._default(z.string(), 'x')) })).zodParts).toEqual(['(root)']);
    expect(quickParser(z.union([z.enum(['a']), z.object({ a: z.string() })])).zodParts).toEqual(['(root)']);
    expect(quickParser(z.union([z.enum(['a']), z.literal('b')])).zodParts).toEqual([]);
    // An object is only ever a plain object: an array or a string in its place is a miss, for zod to word.
    const quick = quickParser(z.object({ a: z.string() }));
    for (const value of [['a'], 'a', 1, null, undefined]) expect(quick(value)).toBeUndefined();
  });

  it('should not build forever on a schema that contains itself', () => {
    const Node = z.object({
      id: z.string(),
      get next(): z.ZodMiniOptional<typeof Node> {
        return z.optional(Node);
      },
    });
    const quick = quickParser(Node);
    expect(quick({ id: 'a', next: { id: 'b' } })).toStrictEqual(Node.parse({ id: 'a', next: { id: 'b' } }));
  });
});
