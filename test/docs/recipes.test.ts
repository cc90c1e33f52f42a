import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyEvent, createOrder, nextDeadline, orderStatus, restoreOrder, serializeOrder, type OrderEvent } from '../../src/index.js';
import { codeBlocks, root, runTypeScript, scratchDirectory, type Block } from './blocks.js';
import { documentsWithCode } from './documents.js';
import type { StoredOrder } from './memory-database.js';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const placedAt = Date.parse('2026-12-01T00:00:00Z');

const blocks = documentsWithCode.flatMap((document) => codeBlocks(document, readFileSync(resolve(root, document), 'utf8')));
const { dir, remove } = scratchDirectory();
afterAll(remove);

/** The back-end recipe of docs/core.md: the block that defines `handleOrderEvent(orderId, event)` over a `db`. */
function backEndRecipe(): Block {
  const recipe = blocks.find((block) => block.name.startsWith('docs/core.md:') && /function handleOrderEvent\b/.test(block.code));
  if (!recipe) throw new Error('docs/core.md has no block that defines handleOrderEvent.');
  return recipe;
}

interface Step {
  verdict: { accepted: boolean; code?: string };
  order: StoredOrder;
  outbox: object[];
}

/**
 * Runs the recipe's code as written, with an in-memory `db` in place of the one its ts-context declares: each order
 * is stored as placed, then its events go through `handleOrderEvent` one by one. Returns, after each step, the
 * verdict, the stored order and the whole outbox.
 */
function runRecipe(orders: Record<string, string>, events: [orderId: string, event: OrderEvent][]): Step[] {
  const recipe = backEndRecipe();
  const source = [
    `import { memoryDatabase } from ${JSON.stringify(resolve(root, 'test/docs/memory-database.ts'))};`,
    'const db = memoryDatabase();',
    recipe.code,
    `for (const [id, snapshot] of Object.entries(${JSON.stringify(orders)})) db.orders.set(id, { id, snapshot, wakeAt: null });`,
    'async function main() {',
    '  const steps = [];',
    `  for (const [orderId, event] of ${JSON.stringify(events)} as [string, OrderEvent][]) {`,
    '    const verdict = await handleOrderEvent(orderId, event);',
    '    steps.push({ verdict: { accepted: verdict.accepted, code: verdict.code }, order: db.orders.get(orderId), outbox: [...db.outbox] });',
    '  }',
    '  process.stdout.write(JSON.stringify(steps));',
    '}',
    'main().catch((error) => { console.error(error); process.exit(1); });',
  ].join('\n');
  return JSON.parse(runTypeScript(dir, `${recipe.name}-recipe`, source)) as Step[];
}

describe('the back-end recipe of docs/core.md, run as written', () => {
  const input = { orderId: 'o1', placedAt, latestShipDate: placedAt + 2 * DAY, items: [{ orderItemId: 'A', quantity: 2 }] };
  const placed = serializeOrder(createOrder(input).snapshot);
  // Auto-cancel deadline: latest ship date + 7 days = placement + 9 days.
  const late = { type: 'seller.confirmShipment', at: placedAt + 10 * DAY } as const;

  it('should save the auto-cancel and its effects when a late shipment is refused', () => {
    const [step] = runRecipe({ o1: placed }, [['o1', late]]);
    // What time alone does by the event's instant: the snapshot and effects a refused step returns.
    const tick = applyEvent(restoreOrder(placed), { type: 'clock.tick', at: late.at });
    expect(step!.verdict.accepted).toBe(false);
    expect(orderStatus(restoreOrder(step!.order.snapshot))).toBe('auto-canceled');
    expect(step!.order).toEqual({ id: 'o1', snapshot: serializeOrder(tick.snapshot), wakeAt: nextDeadline(tick.snapshot) });
    expect(tick.effects).toHaveLength(3);
    expect(step!.outbox).toEqual(JSON.parse(JSON.stringify(tick.effects)));
    expect(step!.outbox.map((effect) => (effect as { type: string }).type)).toEqual(expect.arrayContaining(['buyer.notified', 'seller.notified', 'items.refunded']));
  });

  it('should save every step, accepted or refused, in order', () => {
    const events: [string, OrderEvent][] = [
      ['o1', { type: 'seller.generateLabel', at: placedAt + DAY }],
      // Refused: a label exists.
      ['o1', { type: 'seller.cancel', at: placedAt + DAY + HOUR, reason: 'NoInventory' }],
      ['o1', { type: 'seller.confirmShipment', at: placedAt + 2 * DAY }],
    ];
    const steps = runRecipe({ o1: placed }, events);
    // The same events applied one after another: what each step of the recipe should have saved.
    let snapshot = restoreOrder(placed);
    const outbox: object[] = [];
    const expected = events.map(([, event]) => {
      const result = applyEvent(snapshot, event);
      snapshot = result.snapshot;
      outbox.push(...(JSON.parse(JSON.stringify(result.effects)) as object[]));
      return { accepted: result.verdict.accepted, order: { id: 'o1', snapshot: serializeOrder(snapshot), wakeAt: nextDeadline(snapshot) }, outbox: [...outbox] };
    });
    expect(expected.map((step) => step.accepted)).toEqual([true, false, true]);
    expect(steps.map((step) => ({ accepted: step.verdict.accepted, order: step.order, outbox: step.outbox }))).toEqual(expected);
    expect(orderStatus(restoreOrder(steps[2]!.order.snapshot))).toBe('shipped');
  });
});

describe('back-end recipes in README.md and docs/', () => {
  it('should not save a step only when the verdict accepted it', () => {
    // A refused step may still have moved the order on (a deadline that fell before its instant) and emitted effects.
    const gated = blocks.filter((block) => /if\s*\([^)]*verdict\.accepted[^)]*\)/.test(block.code) && /\b(?:save\w*|transaction|enqueue\w*)\s*\(/.test(block.code));
    expect(gated.map((block) => block.name)).toEqual([]);
  });
});
