/**
 * The drills' workload, the same in every process: what writer `w` sends for its `n`th order, and at which
 * instant a sweeper's `k`th sweep runs. A writer that was killed is started again at the first order it had not
 * finished and sends again, with the same idempotency key and `eventId`, every request it had not seen answered.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { OrderEventInput, OrderInput } from '../../src/index.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** The first order's purchase: 2026-11-26T10:00:00+08:00. */
export const BASE = Date.parse('2026-11-26T10:00:00+08:00');

/** One request a writer sends: a place, or an event with an `eventId`; every other request also has a key. */
export type WriteRequest =
  | { id: string; orderId: string; kind: 'place'; input: OrderInput; key?: string }
  | { id: string; orderId: string; kind: 'apply'; event: OrderEventInput; key?: string };

/** The id of writer `writer`'s `n`th order. */
export const orderIdOf = (writer: string, n: number) => `chaos-${writer}-${n}`;

/** Which order of its writer a request id (`<writer>-<n>-<step>`) belongs to. */
export function orderIndexOf(requestId: string): number {
  return Number(requestId.split('-').at(-2));
}

/**
 * The requests of writer `writer`'s `n`th order, in the order they are sent: the place, then a life that ends
 * cancelled by the buyer, shipped, cancelled on the buyer's request, or left to the sweeper (which ticks its buyer
 * window and, 9 days later, auto-cancels it). Some events are refused by the rules; they are recorded all the same.
 */
export function orderWrites(writer: string, writerIndex: number, n: number): WriteRequest[] {
  const orderId = orderIdOf(writer, n);
  const placedAt = BASE + n * MINUTE + writerIndex * 7_000;
  const at = (minutes: number) => placedAt + minutes * MINUTE;
  const input: OrderInput = {
    orderId,
    placedAt,
    latestShipDate: placedAt + 2 * DAY,
    items: [
      { orderItemId: 'A', sku: 'MUG-RED', quantity: 2 },
      { orderItemId: 'B', quantity: 1 },
    ],
  };
  const events: OrderEventInput[][] = [
    [
      { type: 'buyer.cancel', at: at(10) },
      { type: 'seller.generateLabel', at: at(40) }, // refused: the order is cancelled
    ],
    [
      { type: 'seller.generateLabel', at: at(40) },
      { type: 'buyer.requestCancellation', at: at(50), source: 'message', subject: 'please cancel' },
      { type: 'seller.confirmShipment', at: at(120) },
    ],
    [
      { type: 'buyer.requestCancellation', at: at(45), source: 'order-flag' },
      { type: 'seller.cancel', at: at(50), reason: 'BuyerCanceled' },
    ],
    [],
  ];
  const id = (step: number) => `${writer}-${n}-${step}`;
  const keyed = (step: number) => ((n + step) % 2 === 0 ? { key: `key-${id(step)}` } : {});
  return [
    { id: id(0), orderId, kind: 'place', input, ...keyed(0) },
    ...events[n % events.length]!.map((event, i): WriteRequest => ({
      id: id(i + 1),
      orderId,
      kind: 'apply',
      event: { ...event, eventId: id(i + 1) },
      ...keyed(i + 1),
    })),
  ];
}

/** The instant of a sweeper's `k`th sweep: two hours apart, so that sweeps soon run ahead of the writers. */
export const sweepInstant = (k: number) => BASE + k * 2 * HOUR;

/** A seeded random source (pure-rand's xoroshiro128+), advanced in place. */
export class Random {
  private readonly rng: RandomGenerator;
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }
  /** A whole number in `[min, max]`. */
  int(min: number, max: number): number {
    return uniformInt(this.rng, Math.round(min), Math.round(max));
  }
  pick<T>(values: readonly T[]): T {
    return values[this.int(0, values.length - 1)]!;
  }
  /** True `perMille` times in 1,000. */
  chance(perMille: number): boolean {
    return this.int(0, 999) < perMille;
  }
}

/** A seed of its own for each process of a run: the run's seed mixed with the process's name. */
export function seedFor(seed: number, name: string): number {
  let hash = seed | 0;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x9e3779b1);
  return hash >>> 0;
}
