/**
 * A drill's verdict, computed from the database after the drill with the built package's own
 * createOrder/applyEvent/serializeOrder/restoreOrder: every acknowledged write is in the history exactly once,
 * each stored order equals a replay of its history, each history row's effects are in the outbox once, and
 * (with drainers) every effect was delivered at least once, in order per order, and never handed out again
 * after its delivery was recorded.
 */
import type { OrderStore, OutboxEntry } from '../../src/store/index.js';
import type { BuiltPackage } from './package.js';
import type { ChildMessage, WriterPlan } from './protocol.js';
import { orderIndexOf } from './workload.js';

/** What the runner saw acknowledged, and how each writer resumes after a kill. */
export class Ledger {
  /** Acknowledged places: order id → when the writer had its answer (epoch ms). */
  readonly places = new Map<string, number>();
  /** Acknowledged events: eventId → order id. */
  readonly applies = new Map<string, string>();
  /** Sweeps that ended with nothing due and nothing failed: when they started, and at which instant. */
  readonly sweeps: Array<{ startedAt: number; instant: number }> = [];
  sweepsDone = 0;
  ticks = 0;
  /** Transient errors callers saw, by name and call (the request was sent again). */
  readonly transient = new Map<string, number>();
  /** Errors no caller should see here. */
  readonly unexpected: string[] = [];
  readonly sweepFailures: string[] = [];
  private readonly writers = new Map<string, { done: Set<number>; acked: Set<string>; sweptTo: number }>();

  get acknowledged(): number {
    return this.places.size + this.applies.size;
  }

  private process(name: string) {
    let state = this.writers.get(name);
    if (!state) this.writers.set(name, (state = { done: new Set(), acked: new Set(), sweptTo: -1 }));
    return state;
  }

  /** Takes in one message of process `name` (its logical name: the same after a restart). */
  record(name: string, message: ChildMessage): void {
    switch (message.t) {
      case 'ack':
        if (message.kind === 'place') this.places.set(message.order, message.at);
        else this.applies.set(message.id, message.order);
        this.process(name).acked.add(message.id);
        break;
      case 'order-done':
        this.process(name).done.add(message.n);
        break;
      case 'swept':
        this.sweepsDone++;
        this.ticks += message.applied;
        this.process(name).sweptTo = message.k;
        if (message.remaining === 0 && message.failed.length === 0)
          this.sweeps.push({ startedAt: message.startedAt, instant: message.instant });
        for (const failed of message.failed) this.sweepFailures.push(`${failed.orderId}: ${failed.message}`);
        break;
      case 'error':
        if (message.transient)
          this.transient.set(
            `${message.name} (${message.op})`,
            (this.transient.get(`${message.name} (${message.op})`) ?? 0) + 1,
          );
        else
          this.unexpected.push(
            `${name} ${message.op}${message.id ? ` ${message.id}` : ''}: ${message.name}${message.code ? ` (${message.code})` : ''}: ${message.message}`,
          );
        break;
    }
  }

  /** Where writer `name` starts again: the first order it had not finished, skipping what was answered since. */
  resume(name: string, plan: Omit<WriterPlan, 'from' | 'doneOrders' | 'acked'>): WriterPlan {
    const { done, acked } = this.process(name);
    let from = 0;
    while (done.has(from)) from++;
    return {
      ...plan,
      from,
      doneOrders: [...done].filter((n) => n > from),
      acked: [...acked].filter((id) => orderIndexOf(id) >= from && !done.has(orderIndexOf(id))),
    };
  }

  /** The sweep a restarted sweeper `name` starts with: the one after its last answered sweep. */
  nextSweep(name: string): number {
    return this.process(name).sweptTo + 1;
  }

  /** "12 StoreConnectionError (apply), 1 StoreConnectionError (drain)", or "none". */
  transientSummary(): string {
    return [...this.transient].map(([name, count]) => `${count} ${name}`).join(', ') || 'none';
  }
}

export interface Verdict {
  orders: number;
  historyRows: number;
  outboxRows: number;
  acknowledged: number;
  lost: number;
  doubled: number;
  /** Orders whose stored state, versions, verdicts or outbox disagree with a replay of their history. */
  disagreeing: number;
  problems: string[];
}

/** Every order id in the store, page by page. */
async function allOrderIds(store: OrderStore): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const page = await store.listOrders({ limit: 1000, ...(ids.length > 0 ? { afterId: ids.at(-1)! } : {}) });
    ids.push(...page.map((order) => order.orderId));
    if (page.length < 1000) return ids;
  }
}

/**
 * Judges the store after a drill against what was acknowledged. Lost: an acknowledged place or event missing
 * from the history, or an order still due at an instant that an acknowledged sweep (started after the order's
 * place was acknowledged) finished with nothing left due. Doubled: an `eventId` twice in the history, a place
 * twice, or two ticks at one instant of an order.
 */
export async function judge(pkg: BuiltPackage, store: OrderStore, ledger: Ledger): Promise<Verdict> {
  const { createOrder, applyEvent, serializeOrder, restoreOrder } = pkg.core;
  const problems: string[] = [];
  let lost = 0;
  let doubled = 0;
  let historyRows = 0;
  const disagreeing = new Set<string>();
  const disagree = (orderId: string, what: string) => {
    disagreeing.add(orderId);
    problems.push(`${orderId}: ${what}`);
  };
  const outbox = new Map<string, OutboxEntry[]>();
  const entries = await store.outboxEntries();
  for (const entry of entries) outbox.set(entry.orderId, [...(outbox.get(entry.orderId) ?? []), entry]);
  const stored = await allOrderIds(store);
  const orderIds = [...new Set([...stored, ...ledger.places.keys(), ...ledger.applies.values()])].sort();
  /** Each eventId's history rows: seq and whether the rules accepted the event. */
  const eventIds = new Map<string, Array<{ seq: number; accepted: boolean }>>();
  const deadlines = new Map<string, number | null>();

  for (const orderId of orderIds) {
    const row = await store.getOrder(orderId);
    const history = await store.history(orderId);
    historyRows += history.length;
    if (!row) {
      if (ledger.places.has(orderId)) {
        lost++;
        problems.push(`${orderId}: its place was acknowledged, but there is no such order`);
      }
      if (history.length > 0) disagree(orderId, `${history.length} history rows without an order`);
      if (outbox.has(orderId)) disagree(orderId, 'outbox rows without an order');
      continue;
    }
    deadlines.set(orderId, row.nextDeadline);
    const seqs = history.map((h) => h.seq);
    if (seqs.join() !== seqs.map((_, i) => i + 1).join()) disagree(orderId, `history seqs ${seqs.join()}`);
    if (row.seq !== history.length) disagree(orderId, `row seq ${row.seq} but ${history.length} history rows`);
    const events = history.map(
      (h) => JSON.parse(h.event) as { type: string; at?: number; eventId?: string; input?: unknown },
    );
    const places = events.filter((e) => e.type === 'order.place').length;
    if (places !== 1) {
      doubled += Math.max(0, places - 1);
      disagree(orderId, `${places} places in its history`);
    }
    const ticks = new Map<number, number>();
    for (const [index, event] of events.entries()) {
      if (event.eventId !== undefined) {
        const accepted = (JSON.parse(history[index]!.verdict) as { accepted?: boolean }).accepted === true;
        eventIds.set(event.eventId, [...(eventIds.get(event.eventId) ?? []), { seq: history[index]!.seq, accepted }]);
      }
      if (event.type === 'clock.tick') ticks.set(event.at!, (ticks.get(event.at!) ?? 0) + 1);
    }
    for (const [at, count] of ticks) {
      if (count === 1) continue;
      doubled += count - 1;
      problems.push(`${orderId}: ${count} ticks at ${new Date(at).toISOString()}`);
    }
    if (events[0]?.type !== 'order.place') {
      disagree(orderId, `its history starts with ${events[0]?.type ?? 'nothing'}`);
      continue;
    }
    // The replay: the package's own createOrder and applyEvent over the history, compared row by row.
    try {
      const created = createOrder(events[0].input as Parameters<typeof createOrder>[0]);
      let snapshot = created.snapshot;
      let version = 1;
      const expected = new Map<number, string[]>([[1, created.effects.map((e) => JSON.stringify(e))]]);
      if (history[0]!.effects !== JSON.stringify(created.effects))
        disagree(orderId, 'place effects differ from a replay');
      for (const [index, record] of history.entries()) {
        if (index === 0) continue;
        const step = applyEvent(snapshot, events[index] as Parameters<typeof applyEvent>[1]);
        if (serializeOrder(step.snapshot) !== serializeOrder(snapshot)) version++;
        snapshot = step.snapshot;
        if (record.version !== version)
          disagree(orderId, `history seq ${record.seq} version ${record.version}, replay ${version}`);
        if (record.verdict !== JSON.stringify(step.verdict))
          disagree(orderId, `history seq ${record.seq} verdict differs from a replay`);
        if (record.effects !== JSON.stringify(step.effects))
          disagree(orderId, `history seq ${record.seq} effects differ from a replay`);
        expected.set(
          record.seq,
          step.effects.map((e) => JSON.stringify(e)),
        );
      }
      if (row.snapshot !== serializeOrder(snapshot))
        disagree(orderId, 'stored snapshot differs from a replay of its history');
      if (row.version !== version) disagree(orderId, `stored version ${row.version}, replay ${version}`);
      restoreOrder(row.snapshot);
      const written = new Map<number, string[]>();
      for (const entry of outbox.get(orderId) ?? [])
        written.set(entry.seq, [...(written.get(entry.seq) ?? []), entry.effect]);
      for (const [seq, effects] of expected) {
        const got = written.get(seq) ?? [];
        if (JSON.stringify(got) !== JSON.stringify(effects)) {
          if (got.length > effects.length) doubled += got.length - effects.length;
          disagree(orderId, `outbox holds ${got.length} effects of history seq ${seq}, the history ${effects.length}`);
        }
        written.delete(seq);
      }
      for (const seq of written.keys())
        disagree(orderId, `outbox rows of history seq ${seq}, which is not in the history`);
    } catch (error) {
      disagree(orderId, `replay failed: ${(error as Error).message}`);
    }
  }

  for (const [eventId, rows] of eventIds) {
    if (rows.length === 1) continue;
    doubled += rows.length - 1;
    const how = rows.map((row) => `seq ${row.seq} ${row.accepted ? 'accepted' : 'refused'}`).join(', ');
    problems.push(`event ${eventId} is ${rows.length} times in its history (${how})`);
  }
  for (const [eventId, orderId] of ledger.applies) {
    if (eventIds.has(eventId)) continue;
    lost++;
    problems.push(`${orderId}: acknowledged event ${eventId} is not in its history`);
  }
  // An acknowledged sweep that found nothing left due at its instant vouches for every order placed before it.
  const sweeps = [...ledger.sweeps].sort((a, b) => a.startedAt - b.startedAt);
  const latestAfter = sweeps.map((s) => s.instant);
  for (let i = latestAfter.length - 2; i >= 0; i--) latestAfter[i] = Math.max(latestAfter[i]!, latestAfter[i + 1]!);
  for (const [orderId, placedAck] of ledger.places) {
    const first = sweeps.findIndex((s) => s.startedAt > placedAck);
    const deadline = deadlines.get(orderId);
    if (first < 0 || deadline === undefined || deadline === null || deadline > latestAfter[first]!) continue;
    lost++;
    problems.push(
      `${orderId}: still due at ${new Date(deadline).toISOString()}, yet a sweep at ${new Date(latestAfter[first]!).toISOString()} begun after its place was acknowledged found nothing due`,
    );
  }
  return {
    orders: stored.length,
    historyRows,
    outboxRows: entries.length,
    acknowledged: ledger.acknowledged,
    lost,
    doubled,
    disagreeing: disagreeing.size,
    problems,
  };
}

/**
 * Wraps a store's outbox calls so that `report` hears every claimed row with its claim token and whether each
 * outcome counted: the drills check the fencing with them.
 */
export function reportOutboxCalls(store: OrderStore, report: (message: ChildMessage) => void): void {
  const token = (claim: unknown) => (typeof claim === 'number' ? claim : null);
  const claim = store.claimOutbox.bind(store);
  store.claimOutbox = async (options) => {
    const rows = await claim(options);
    if (rows.length > 0) report({ t: 'claimed', rows: rows.map((row) => [row.id, token(row.claim)]) });
    return rows;
  };
  const complete = store.completeOutbox.bind(store);
  store.completeOutbox = async (entry) => {
    const ok = await complete(entry);
    report({ t: 'outcome', op: 'complete', id: entry.id, claim: token(entry.claim), ok: ok !== false });
    return ok;
  };
  const fail = store.failOutbox.bind(store);
  store.failOutbox = async (entry, update) => {
    const ok = await fail(entry, update);
    report({ t: 'outcome', op: 'fail', id: entry.id, claim: token(entry.claim), ok: ok !== false });
    return ok;
  };
}

interface RowDeliveries {
  order: string;
  claims: number[];
  starts: number[];
  ends: number[];
  failures: number;
  completed: number[];
  stale: number;
}

/** Every claim, hand-out and outcome of the outbox rows, as the drainers reported them. */
export class DeliveryLog {
  readonly rows = new Map<number, RowDeliveries>();
  /** Claims that came without a claim token (a store without fencing). */
  untokened = 0;
  /** Deliveries each process has begun and not ended: a kill then lands mid-delivery. */
  readonly open = new Map<string, Set<number>>();

  /** Takes in a message of process `name`, and keeps its deliveries in progress. */
  recordFrom(name: string, message: ChildMessage): void {
    this.record(message);
    const open = this.open.get(name) ?? new Set<number>();
    this.open.set(name, open);
    if (message.t === 'deliver') open.add(message.id);
    if (message.t === 'delivered' || message.t === 'deliver-fail') open.delete(message.id);
  }

  /** Whether process `name` is inside a delivery now; forgets its deliveries (it is about to be killed). */
  midDelivery(name: string): boolean {
    const busy = (this.open.get(name)?.size ?? 0) > 0;
    this.open.delete(name);
    return busy;
  }

  private row(id: number): RowDeliveries {
    let row = this.rows.get(id);
    if (!row)
      this.rows.set(id, (row = { order: '', claims: [], starts: [], ends: [], failures: 0, completed: [], stale: 0 }));
    return row;
  }

  record(message: ChildMessage): void {
    switch (message.t) {
      case 'claimed':
        for (const [id, claim] of message.rows) {
          if (claim === null) this.untokened++;
          else this.row(id).claims.push(claim);
        }
        break;
      case 'deliver':
        Object.assign(this.row(message.id), { order: message.order }).starts.push(message.at);
        break;
      case 'delivered':
        this.row(message.id).ends.push(message.at);
        break;
      case 'deliver-fail':
        this.row(message.id).failures++;
        break;
      case 'outcome':
        if (!message.ok) this.row(message.id).stale++;
        else if (message.op === 'complete' && message.claim !== null)
          this.row(message.id).completed.push(message.claim);
        break;
    }
  }
}

export interface DeliveryVerdict {
  effects: number;
  deliveries: number;
  /** Rows handed to a handler that returned more than once (at least once allows it: a kill or a lease that ran out). */
  redelivered: number;
  injectedFailures: number;
  /** Outcomes the store refused because another drainer had claimed the row since (the fencing token at work). */
  staleRefused: number;
  lost: number;
  /** Rows claimed again after a drainer's completion of them counted, or completed twice. */
  undone: number;
  outOfOrder: number;
  problems: string[];
}

/**
 * Judges the deliveries after the final drain: every outbox row is done and was delivered at least once; an
 * order's effect was first handed out only after its earlier effects had been delivered; no row was claimed
 * again after a completion of it counted.
 */
export function judgeDeliveries(log: DeliveryLog, entries: readonly OutboxEntry[]): DeliveryVerdict {
  const problems: string[] = [];
  const verdict: DeliveryVerdict = {
    effects: entries.length,
    deliveries: 0,
    redelivered: 0,
    injectedFailures: 0,
    staleRefused: 0,
    lost: 0,
    undone: 0,
    outOfOrder: 0,
    problems,
  };
  if (log.untokened > 0)
    problems.push(`${log.untokened} claimed rows came without a claim token: this build's store has no outbox fencing`);
  const byOrder = new Map<string, OutboxEntry[]>();
  for (const entry of entries) {
    const row = log.rows.get(entry.id);
    byOrder.set(entry.orderId, [...(byOrder.get(entry.orderId) ?? []), entry]);
    verdict.deliveries += row?.ends.length ?? 0;
    verdict.injectedFailures += row?.failures ?? 0;
    verdict.staleRefused += row?.stale ?? 0;
    if ((row?.ends.length ?? 0) > 1) verdict.redelivered++;
    if (entry.state !== 'done' || !row || row.ends.length === 0) {
      verdict.lost++;
      problems.push(
        `outbox row ${entry.id} (${entry.orderId}) is ${entry.state} after ${row?.ends.length ?? 0} deliveries`,
      );
      continue;
    }
    const completions = [...row.completed].sort((a, b) => a - b);
    const reclaimed = completions.length > 0 ? row.claims.filter((claim) => claim > completions[0]!) : [];
    if (completions.length > 1 || reclaimed.length > 0) {
      verdict.undone++;
      problems.push(
        `outbox row ${entry.id} (${entry.orderId}): completed with claims ${completions.join(', ')}, claimed again with ${reclaimed.join(', ') || 'none'}`,
      );
    }
  }
  for (const [orderId, rows] of byOrder) {
    rows.sort((a, b) => a.id - b.id);
    for (let i = 1; i < rows.length; i++) {
      const before = log.rows.get(rows[i - 1]!.id);
      const after = log.rows.get(rows[i]!.id);
      if (!after || after.starts.length === 0) continue;
      // 5 ms of slack: the two instants come from two processes' clocks.
      const firstStart = Math.min(...after.starts);
      const firstEnd = before && before.ends.length > 0 ? Math.min(...before.ends) : Infinity;
      if (firstStart >= firstEnd - 5) continue;
      verdict.outOfOrder++;
      problems.push(
        `${orderId}: outbox row ${rows[i]!.id} was handed out before row ${rows[i - 1]!.id} had been delivered`,
      );
    }
  }
  return verdict;
}
