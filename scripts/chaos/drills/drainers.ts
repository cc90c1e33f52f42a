/**
 * Drainers killed mid-drain, on SQLite: the runner writes orders whose events leave effects in the outbox, then
 * three drainer processes deliver them with a lease of 300 ms; 3% of deliveries take longer than the lease (so
 * another drainer claims the row meanwhile and the late outcome must not count) and 5% fail. The runner SIGKILLs
 * a random drainer at a random moment and starts it again, until the kills are done or nothing is left to deliver;
 * then the drainers finish the work, and a final drain in the runner delivers what they left.
 */
import {
  allReady,
  count,
  until,
  DeliveryLog,
  deliveryFigures,
  finalDrain,
  judgeStore,
  killAtRandom,
  killFigure,
  outcome,
  plural,
  replayFigures,
  sqliteDrill,
  trace,
  writeFigures,
} from '../drill.js';
import { openStore } from '../package.js';
import { Fleet } from '../processes.js';
import { DAY, orderWrites, sweepInstant } from '../workload.js';

export const drainerSigkill = sqliteDrill('drainer-sigkill', 'drainer sigkill', async (context, { spec, ledger }) => {
  const { pkg, short, seed } = context;
  // The orders, written here: 16 at a time (so that they share commits), then one sweep that auto-cancels the
  // orders nobody shipped or cancelled.
  const orders = short ? 200 : 2_000;
  const service = await pkg.service.createOrderService({ store: openStore(pkg, spec) });
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let n = next++; n < orders; n = next++) {
        for (const request of orderWrites('d', 0, n)) {
          const options = request.key === undefined ? {} : { idempotencyKey: request.key };
          if (request.kind === 'place') await service.place(request.input, options);
          else await service.apply(request.orderId, request.event, options);
          ledger.record('runner', {
            t: 'ack',
            id: request.id,
            order: request.orderId,
            kind: request.kind,
            at: Date.now(),
          });
        }
      }
    }),
  );
  await service.sweep(sweepInstant(0) + orders * 60_000 + 10 * DAY);
  await service.close();

  const log = new DeliveryLog();
  const fleet = context.track(
    new Fleet((from, message) => {
      ledger.record(from.name, message);
      log.recordFrom(from.name, message);
    }),
  );
  const start = (name: string) =>
    fleet.start(name, {
      kind: 'worker',
      name,
      seed,
      store: spec,
      drain: {
        batch: 8,
        leaseMs: 300,
        backoffMs: 10,
        pauseMs: 50,
        slowPerMille: 30,
        slowMs: [350, 600],
        failPerMille: 50,
      },
    });
  trace(`${orders} orders written`);
  await allReady(['d1', 'd2', 'd3'].map(start));
  trace('drainers ready');
  const effects = await (async () => {
    const store = openStore(pkg, spec);
    const n = (await store.outboxEntries()).length;
    await store.close();
    return n;
  })();
  const delivered = () => [...log.rows.values()].filter((row) => row.ends.length > 0).length;
  let midDelivery = 0;
  const kills = short ? 4 : 20;
  const killed = await killAtRandom(context, fleet, {
    kills,
    pauseMs: [100, 600],
    restart: start,
    enough: () => delivered() >= effects,
    onKill: (name) => (midDelivery += log.midDelivery(name) ? 1 : 0),
  });
  // The drainers go on (those started again too) until everything was delivered, or for at most 20 s (5 s short).
  await until(() => delivered() >= effects, short ? 5_000 : 20_000);
  const byDrainers = delivered();
  trace(`kills done; ${byDrainers} delivered by the drainers`);
  await fleet.stopAll(30_000);
  const deliveries = await finalDrain(pkg, spec, log);
  const verdict = await judgeStore(pkg, spec, ledger);
  const by =
    byDrainers >= effects ? 'all by the drainers' : `${count(byDrainers)} by the drainers, the rest by a final drain`;
  const figures = deliveryFigures(deliveries, [by, `${plural(deliveries.injectedFailures, 'failure')} injected`]);
  return outcome(
    `${killFigure(killed, kills, { of: '3 drainers', notes: [`${count(midDelivery)} mid-delivery`], ...(delivered() >= effects ? { why: 'everything was delivered first' } : {}) })}, ${figures}; ${writeFigures(verdict)}; ${replayFigures(verdict)}`,
    [...fleet.deaths, ...ledger.unexpected, ...verdict.problems, ...deliveries.problems],
  );
});
