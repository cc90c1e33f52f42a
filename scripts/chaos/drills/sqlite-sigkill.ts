/**
 * SIGKILL of writers and sweepers on SQLite: three writers (four orders each at a time) and two sweepers (one in
 * batches of 10, the other of 100, which the service steps on two threads) share one file; a random one of them
 * is killed at a random moment, again and again, and started again at once. A writer started again sends what it
 * had not seen answered with the same key and `eventId`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  allReady,
  byRole,
  killFigure,
  judgeStore,
  killAtRandom,
  outcome,
  plural,
  replayFigures,
  sqliteDrill,
  trace,
  writeFigures,
} from '../drill.js';
import { Fleet } from '../processes.js';

export const sqliteSigkill = sqliteDrill('sqlite-sigkill', 'sqlite sigkill', async (context, { spec, ledger }) => {
  const { pkg, short, seed } = context;
  const fleet = context.track(new Fleet((from, message) => ledger.record(from.name, message)));
  const writers = ['w1', 'w2', 'w3'];
  const start = (name: string) =>
    name.startsWith('w')
      ? fleet.start(name, {
          kind: 'worker',
          name,
          seed,
          store: spec,
          write: ledger.resume(name, {
            writerIndex: writers.indexOf(name),
            concurrency: 4,
            clientRetries: 20,
            paceMs: 40,
          }),
        })
      : fleet.start(name, {
          kind: 'worker',
          name,
          seed,
          store: spec,
          sweep: { from: ledger.nextSweep(name), batch: name === 's1' ? 10 : 100, pauseMs: 100 },
        });
  await allReady([...writers, 's1', 's2'].map(start));
  trace('ready');
  const kills = short ? 5 : 40;
  const killed = await killAtRandom(context, fleet, { kills, pauseMs: [100, 800], restart: start });
  trace(`killed; ${ledger.acknowledged} acknowledged`);
  await sleep(1_000); // the last one started again does some work too
  await fleet.stopAll(30_000);
  trace(`stopped; ${ledger.acknowledged} acknowledged`);
  const verdict = await judgeStore(pkg, spec, ledger);
  return outcome(
    `${killFigure(killed, kills, { notes: [byRole(killed, { w: 'writer', s: 'sweeper' })] })}, ${writeFigures(verdict)}; ${replayFigures(verdict)}; ${plural(ledger.ticks, 'tick')} by ${plural(ledger.sweepsDone, 'sweep')}`,
    [...fleet.deaths, ...ledger.unexpected, ...ledger.sweepFailures, ...verdict.problems],
  );
});
