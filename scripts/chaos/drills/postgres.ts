/**
 * Two worker processes on one PostgreSQL schema, each writing (three orders at a time), sweeping and draining,
 * as examples/postgres-worker does next to its copies. `postgres terminate`: the runner ends their backends with
 * pg_terminate_backend, mostly mid-statement or mid-transaction; both processes must stay alive throughout.
 * `postgres sigkill`: the runner SIGKILLs one of them at a random moment and starts it again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  allReady,
  count,
  createTables,
  DeliveryLog,
  deliveryFigures,
  finalDrain,
  judgeStore,
  killAtRandom,
  killFigure,
  outcome,
  plural,
  replayFigures,
  trace,
  writeFigures,
  type Drill,
  type DrillContext,
  type DrillOutcome,
} from '../drill.js';
import type { StoreSpec } from '../package.js';
import { Fleet } from '../processes.js';
import type { WorkerJob } from '../protocol.js';
import { Ledger } from '../verdict.js';

async function workersOnPostgres(context: DrillContext, mode: 'terminate' | 'sigkill'): Promise<DrillOutcome> {
  const { pkg, short, seed, random } = context;
  const schema = `ol_chaos_${process.pid}_${random.int(0, 1e9).toString(36)}`;
  const admin = new pg.Client({ connectionString: context.databaseUrl });
  admin.on('error', () => {});
  await admin.connect();
  context.onCleanup(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });
  const spec: StoreSpec & { kind: 'postgres' } = {
    kind: 'postgres',
    connectionString: context.databaseUrl,
    schema,
    max: 4,
  };
  await createTables(pkg, spec);
  const ledger = new Ledger();
  const log = new DeliveryLog();
  const fleet = context.track(
    new Fleet((from, message) => {
      ledger.record(from.name, message);
      log.recordFrom(from.name, message);
    }),
  );
  const names = ['p1', 'p2'];
  const applicationName = (name: string) => `${schema}_${name}`;
  const start = (name: string) => {
    const job: WorkerJob = {
      kind: 'worker',
      name,
      seed,
      store: { ...spec, applicationName: applicationName(name) },
      write: ledger.resume(name, { writerIndex: names.indexOf(name), concurrency: 3, clientRetries: 20, paceMs: 20 }),
      sweep: { from: ledger.nextSweep(name), batch: 10, pauseMs: 150 },
      drain: {
        batch: 10,
        leaseMs: 1_000,
        backoffMs: 20,
        pauseMs: 100,
        slowPerMille: 10,
        slowMs: [50, 200],
        failPerMille: 20,
      },
    };
    return fleet.start(name, job);
  };
  await allReady(names.map(start));
  trace(`${mode}: workers ready`);

  let figures: string;
  if (mode === 'terminate') {
    const target = short ? 20 : 150;
    let terminated = 0;
    let busy = 0;
    while (terminated < target && Date.now() < context.deadline) {
      await sleep(random.int(30, 200));
      const { rows } = await admin.query<{ pid: number; state: string | null }>(
        'SELECT pid, state FROM pg_stat_activity WHERE application_name = ANY($1::text[])',
        [names.map(applicationName)],
      );
      if (rows.length === 0) continue;
      const working = rows.filter((row) => row.state !== 'idle');
      const victim = working.length > 0 && random.chance(700) ? random.pick(working) : random.pick(rows);
      const { rows: ended } = await admin.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [victim.pid]);
      if (!ended[0]?.ok) continue;
      terminated++;
      if (victim.state !== 'idle') busy++;
    }
    await sleep(1_000); // time to notice the last one
    const alive = fleet.living().length;
    const early = terminated < target ? '; the time limit came first' : '';
    const terminations =
      terminated < target
        ? `${count(terminated)} of ${plural(target, 'backend termination')}`
        : plural(terminated, 'backend termination');
    figures = `${terminations} (${count(busy)} mid-statement or mid-transaction${early}), ${alive} of 2 workers alive`;
  } else {
    let midDelivery = 0;
    const kills = short ? 4 : 40;
    const killed = await killAtRandom(context, fleet, {
      kills,
      pauseMs: [200, 1_200],
      restart: start,
      onKill: (name) => (midDelivery += log.midDelivery(name) ? 1 : 0),
    });
    await sleep(1_000);
    figures = killFigure(killed, kills, { of: '2 workers', notes: [`${count(midDelivery)} mid-delivery`] });
  }
  trace(`${mode}: faults done; ${ledger.acknowledged} acknowledged`);
  await fleet.stopAll(30_000);
  trace(`${mode}: stopped`);
  const deliveries = await finalDrain(pkg, spec, log);
  const verdict = await judgeStore(pkg, spec, ledger);
  return outcome(
    `${figures}, ${writeFigures(verdict)}; ${replayFigures(verdict)}; ${deliveryFigures(deliveries)}; errors callers saw and sent again: ${ledger.transientSummary()}`,
    [...fleet.deaths, ...ledger.unexpected, ...ledger.sweepFailures, ...verdict.problems, ...deliveries.problems],
  );
}

export const postgresTerminate: Drill = {
  name: 'postgres-terminate',
  label: 'postgres terminate',
  usesPostgres: true,
  run: (context) => workersOnPostgres(context, 'terminate'),
};

export const postgresSigkill: Drill = {
  name: 'postgres-sigkill',
  label: 'postgres sigkill',
  usesPostgres: true,
  run: (context) => workersOnPostgres(context, 'sigkill'),
};
