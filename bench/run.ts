/**
 * `npm run bench`: each measurement is printed next to a baseline measured in the same run, as a ratio,
 * so the numbers mean something on a shared, noisy machine. No thresholds here: see docs/performance.md.
 */
import { Bench } from 'tinybench';
import { createActor, initialTransition, transition } from 'xstate';
import { applyEvent, createOrder, createOrderActor, orderMachine, restoreOrder, serializeOrder, type OrderEventInput } from '../src/index.js';

const MINUTE = 60_000;
const placedAt = Date.parse('2026-11-26T10:00:00+08:00');
const input = {
  orderId: '113-1234567-1234567',
  placedAt,
  latestShipDate: placedAt + 2 * 24 * 60 * MINUTE,
  items: [
    { orderItemId: 'A', sku: 'MUG-RED', quantity: 2 },
    { orderItemId: 'B', sku: 'MUG-BLUE', quantity: 1 },
  ],
};
const journey: OrderEventInput[] = [
  { type: 'buyer.requestCancellation', at: placedAt + 45 * MINUTE, source: 'order-flag', orderItemIds: ['A'] },
  { type: 'seller.cancel', at: placedAt + 50 * MINUTE, reason: 'BuyerCanceled', items: [{ orderItemId: 'A', quantity: 1 }] },
  { type: 'seller.generateLabel', at: placedAt + 60 * MINUTE },
  { type: 'seller.cancel', at: placedAt + 61 * MINUTE, reason: 'NoInventory' },
  { type: 'seller.confirmShipment', at: placedAt + 90 * MINUTE },
];
const parsedJourney = journey.map((event) => ({ ...event, at: event.at as number })) as never[];

const start = createOrder(input).snapshot;
const saved = serializeOrder(start);

const bench = new Bench({ time: 400, warmupTime: 100 });
bench
  .add('baseline: xstate initialTransition + transition x5', () => {
    let [snapshot] = initialTransition(orderMachine, input);
    for (const event of parsedJourney) [snapshot] = transition(orderMachine, snapshot, event);
  })
  .add('createOrder + applyEvent x5 (validated, judged)', () => {
    let snapshot = createOrder(input).snapshot;
    for (const event of journey) snapshot = applyEvent(snapshot, event).snapshot;
  })
  .add('baseline: JSON round trip of the context', () => {
    JSON.parse(JSON.stringify({ state: 'unshipped', context: start.context }));
  })
  .add('serializeOrder + restoreOrder', () => {
    restoreOrder(serializeOrder(start));
  })
  .add('baseline: createActor(orderMachine) + send x5', () => {
    const actor = createActor(orderMachine, { input }).start();
    for (const event of parsedJourney) actor.send(event);
    actor.stop();
  })
  .add('createOrderActor + send x5 (timers, validation)', () => {
    const actor = createOrderActor(input, { clock: { now: () => placedAt, setTimeout: () => 0, clearTimeout: () => undefined } });
    for (const event of journey) actor.send(event);
    actor.stop();
  });

await bench.run();

function stats(name: string): { latency: { mean: number }; throughput: { mean: number } } {
  const result = bench.tasks.find((task) => task.name === name)!.result;
  if (!('latency' in result)) throw new Error(`Benchmark "${name}" did not complete: ${result.state}.`);
  return result;
}
const mean = (name: string) => stats(name).latency.mean;
const rows = bench.tasks.map((task) => ({ task: task.name, 'mean µs': (mean(task.name) * 1000).toFixed(1), 'ops/s': Math.round(stats(task.name).throughput.mean) }));
console.table(rows);

const pairs: Array<[string, string, string]> = [
  ['pure step overhead', 'createOrder + applyEvent x5 (validated, judged)', 'baseline: xstate initialTransition + transition x5'],
  ['persistence overhead', 'serializeOrder + restoreOrder', 'baseline: JSON round trip of the context'],
  ['live actor overhead', 'createOrderActor + send x5 (timers, validation)', 'baseline: createActor(orderMachine) + send x5'],
];
for (const [label, ours, baseline] of pairs) {
  console.log(`${label}: ${(mean(ours) / mean(baseline)).toFixed(2)}x the baseline`);
}

// Memory: retained heap per stored order snapshot against the same context as a plain object.
function retainedPerItem(make: (index: number) => unknown, count = 20_000): number {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const kept = Array.from({ length: count }, (_, index) => make(index));
  globalThis.gc?.();
  const after = process.memoryUsage().heapUsed;
  if (kept.length !== count) throw new Error('unreachable');
  return (after - before) / count;
}
if (globalThis.gc) {
  const baseline = retainedPerItem(() => JSON.parse(JSON.stringify(start.context)));
  const snapshots = retainedPerItem(() => restoreOrder(saved));
  const texts = retainedPerItem((index) => saved.replace('113-1234567-1234567', `113-1234567-${index}`));
  console.log(`memory per restored snapshot: ${Math.round(snapshots)} B, ${(snapshots / baseline).toFixed(2)}x a plain context (${Math.round(baseline)} B)`);
  console.log(`memory per serialized order: ${Math.round(texts)} B, ${(texts / baseline).toFixed(2)}x a plain context`);
} else {
  console.log('memory: run with node --expose-gc (npm run bench does) to measure retained heap');
}
