import * as z from 'zod';
import { MACHINE_VERSION } from '../../machines/order/index.js';
import {
  issueSentence,
  OrderLifecycleError,
  outcomeMessage,
  statusOfStateKey,
  type Effect,
  type OrderContext,
  type OrderStatus,
  type Policy,
  type StateKey,
  type Verdict,
} from '../domain/index.js';
import {
  applyEvent,
  createOrder,
  restoreOrder,
  restoredVerdict,
  RESTORED_EVENT,
  SNAPSHOT_SCHEMA_VERSION,
  stateKey,
  type OrderSnapshot,
} from '../runtime/index.js';
import { applyChanges, diffContext, type ContextChange } from './changes.js';
import type { LoadedRecording } from './recording.js';

export { applyChanges, diffContext, type ContextChange };

/**
 * One step of an order as the page shows it: the event, its verdict, effects, the state after it, and
 * what it changed in the context (the context itself is kept once per order, so memory and the bytes
 * sent to the page grow with the steps, not with their square).
 */
export interface StepView {
  index: number;
  /**
   * `created` for the order's creation, `restored` when an actor started from a saved snapshot (its event is
   * `{ type: 'order.restored', at }`), `joined` when the inspector first saw (or saw again) a running order.
   */
  kind: 'created' | 'event' | 'joined' | 'restored';
  event: Record<string, unknown> | null;
  at: number | null;
  verdict: Verdict;
  effects: Effect[];
  state: StateKey;
  status: OrderStatus;
  /** The context changes against the previous step; empty for the first step. */
  changes: ContextChange[];
  /** Live only: the verdict and state are this package's prediction; the app's snapshot has not arrived. */
  pending?: boolean;
  /** Live only: the app's actor reached another state than this package's machine predicts. */
  mismatch?: string;
}

/** An order shown by the inspector: a live actor in another process, or a recorded order to replay. */
export interface OrderView {
  id: string;
  source: 'live' | 'recording';
  /** What the page calls it: the recording's name, or the order id of a live actor. */
  name: string;
  /** Live only: the session id in the app (`x:0`) of the latest actor that ran this order. */
  session?: string;
  orderId: string;
  policy: Policy;
  /** The context at the first step; `contextAt(order, index)` applies the steps' changes to it. */
  context: OrderContext;
  steps: StepView[];
  /** Live only: the app's WebSocket closed. */
  disconnected: boolean;
}

/**
 * A change to the orders, as the server forwards it to the page: a new order (whole), a new or corrected
 * step (only that step), a confirmation of a predicted step, a connection change, a forgotten order.
 */
export type OrderChange =
  | { type: 'order'; order: OrderView }
  | { type: 'step'; id: string; step: StepView }
  | { type: 'confirm'; id: string; index: number }
  | { type: 'connection'; id: string; disconnected: boolean }
  | { type: 'forgot'; id: string };

const SessionId = z.string().min(1).max(200);
const EventObject = z.looseObject({ type: z.string().min(1).max(200) });

/**
 * The messages of `@statelyai/inspect`'s `createWebSocketInspector`, as far as the inspector reads them.
 * @example
 * InspectionMessage.safeParse(JSON.parse(text)).success;
 */
export const InspectionMessage = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('@xstate.actor'),
    sessionId: SessionId,
    name: z.string().optional(),
    snapshot: z.unknown().optional(),
  }),
  z.looseObject({
    type: z.literal('@xstate.event'),
    sessionId: SessionId,
    sourceId: z.string().nullish(),
    event: EventObject,
  }),
  z.looseObject({
    type: z.literal('@xstate.snapshot'),
    sessionId: SessionId,
    event: EventObject,
    snapshot: z.looseObject({ value: z.unknown(), context: z.unknown(), status: z.string().optional() }),
  }),
]);
export type InspectionMessage = z.infer<typeof InspectionMessage>;

/**
 * The order's context after step `index`: its first context with every later step's changes applied.
 * @example
 * const context = contextAt(inspector.orders()[0], 3);
 */
export function contextAt(order: Pick<OrderView, 'context' | 'steps'>, index: number): OrderContext {
  return applyChanges(
    order.context,
    order.steps.slice(1, index + 1).flatMap((step) => step.changes),
  );
}

interface PendingStep {
  step: StepView;
  /** The context before the step, to diff the app's snapshot against. */
  before: OrderContext;
  /** Canonical JSON of the event, to match the app's snapshot message with it. */
  event: string;
  /** The predicted context: an app snapshot equal to it needs no check and no diff. */
  predicted: OrderContext;
}

/** A live order: one per order id, however many actors (restarts, reconnections, restores) have run it. */
interface LiveSession {
  view: OrderView;
  /** The connection of the latest actor that ran the order: only its closing marks the order disconnected. */
  connection: string;
  /** The snapshot the next event is judged against (the app's, or this package's prediction). */
  current: OrderSnapshot;
  /** Steps predicted here and not yet confirmed by the app's snapshot, oldest first. */
  pending: PendingStep[];
}

/** How an actor of an order starts, as its first step would show it. */
interface SessionStart {
  kind: StepView['kind'];
  event: Record<string, unknown> | null;
  verdict: Verdict;
  effects: Effect[];
  snapshot: OrderSnapshot;
  /** The step is this package's prediction, until the app's snapshot confirms it. */
  pending: boolean;
}

/** Where each ignored message is reported: one sentence naming the reason. */
export type InspectorLogger = (message: string) => void;

/** The event type `connectInspector` sends with an order's current snapshot after reconnecting. */
export const RESYNC_EVENT = 'inspector.resync';

/**
 * The inspector's orders: live actors fed by inspection messages, and recorded orders. Verdicts and
 * effects of live events are computed here with the package's own pure functions, since an actor's
 * inspection stream carries neither.
 * @example
 * const book = new OrderBook({ log: console.warn });
 * book.receive('conn-1', JSON.stringify(message));
 */
export class OrderBook {
  private readonly orders = new Map<string, OrderView>();
  /** Each actor (connection and session id) to the live order it runs. */
  private readonly live = new Map<string, LiveSession>();
  /** Each live order by its order id: the identity of a live order, whatever actor runs it. */
  private readonly byOrderId = new Map<string, LiveSession>();
  private readonly ignoredSessions = new Set<string>();
  private readonly listeners = new Set<(change: OrderChange) => void>();
  private log: InspectorLogger;
  private readonly maxOrders: number;
  private recordings = 0;

  constructor(options: { log?: InspectorLogger; maxOrders?: number } = {}) {
    this.log = options.log ?? (() => {});
    this.maxOrders = options.maxOrders ?? 500;
  }

  /** Replaces where ignored messages are reported. */
  setLog(log: InspectorLogger): void {
    this.log = log;
  }

  /** Every order, oldest first. */
  list(): OrderView[] {
    return [...this.orders.values()];
  }

  /** The view of one order by its id, if the book holds it. */
  get(id: string): OrderView | undefined {
    return this.orders.get(id);
  }

  /** Calls `listener` with each change (a new order, a new step, ...); returns an unsubscribe function. */
  subscribe(listener: (change: OrderChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds replayed recordings; returns their views. */
  addRecordings(loaded: LoadedRecording[]): OrderView[] {
    return loaded.map(({ name, steps }) => {
      let previous: OrderContext | null = null;
      const views = steps.map((step, index): StepView => {
        const view = this.stepView(
          index,
          step.event === null ? 'created' : index === 0 && step.event['type'] === RESTORED_EVENT ? 'restored' : 'event',
          step.event,
          step.verdict,
          step.effects,
          step.snapshot,
          previous,
        );
        previous = step.snapshot.context;
        return view;
      });
      const first = steps[0]!.snapshot.context;
      this.recordings += 1;
      const view: OrderView = {
        id: `recording-${this.recordings}`,
        source: 'recording',
        name,
        orderId: first.orderId,
        policy: first.policy,
        context: first,
        steps: views,
        disconnected: false,
      };
      this.put(view);
      return view;
    });
  }

  /**
   * Takes one raw WebSocket message from connection `connection`. Anything that is not an inspection
   * message about an order is ignored, with the reason logged; nothing here throws.
   */
  receive(connection: string, data: unknown): void {
    const from = `connection ${connection}`;
    if (typeof data !== 'string') {
      this.log(`Ignored a binary WebSocket message from ${from}: inspection messages are JSON text.`);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      this.log(`Ignored a WebSocket message from ${from} that is not JSON: ${JSON.stringify(data.slice(0, 60))}.`);
      return;
    }
    const parsed = InspectionMessage.safeParse(json);
    if (!parsed.success) {
      const type = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? `field "${issue.path.join('.')}"` : 'the message';
      this.log(
        `Ignored a WebSocket message from ${from} of type ${JSON.stringify(type ?? null)}: ${where}: ${issueSentence(issue, json)}.`,
      );
      return;
    }
    try {
      this.handle(connection, parsed.data);
    } catch (error) {
      // A message this package's functions refuse (a bad input, context or event) must not stop the server.
      const reason = error instanceof Error ? error.message.replace(/\.$/, '') : String(error);
      this.log(
        `Ignored a ${parsed.data.type} message from ${from} for session ${JSON.stringify(parsed.data.sessionId)}: ${reason}.`,
      );
    }
  }

  /**
   * Marks the live orders whose latest actor ran on a closed connection as disconnected; returns their order ids.
   * An order a newer actor on another connection has taken over stays connected. The connection's actors are
   * forgotten; their orders stay, for the next actor of each to continue.
   */
  disconnect(connection: string): string[] {
    const orderIds: string[] = [];
    for (const key of this.live.keys()) if (key.startsWith(`${connection}/`)) this.live.delete(key);
    for (const session of this.byOrderId.values()) {
      if (session.connection !== connection || session.view.disconnected) continue;
      session.view.disconnected = true;
      orderIds.push(session.view.orderId);
      this.emit({ type: 'connection', id: session.view.id, disconnected: true });
    }
    return orderIds;
  }

  private handle(connection: string, message: InspectionMessage): void {
    const key = `${connection}/${message.sessionId}`;
    if (this.ignoredSessions.has(key)) return;
    const session = this.live.get(key);
    switch (message.type) {
      case '@xstate.actor':
        if (message.name !== undefined && message.name !== 'order') {
          this.ignoredSessions.add(key);
          this.log(
            `Ignored actor ${JSON.stringify(message.sessionId)} from connection ${connection}: its machine is ${JSON.stringify(message.name)}, not the order machine.`,
          );
        }
        return;
      case '@xstate.event': {
        if (message.sourceId != null && message.sourceId === message.sessionId) return; // raised by the actor itself
        const { event } = message;
        if (event.type === 'xstate.init') {
          // An actor started from a saved snapshot has no input: its first snapshot says where it starts.
          if (session || !hasInput(event)) return;
          const created = createOrder((event as { input?: unknown }).input as Parameters<typeof createOrder>[0]);
          this.attach(connection, key, message.sessionId, {
            kind: 'created',
            event: null,
            verdict: created.verdict,
            effects: created.effects,
            snapshot: created.snapshot,
            pending: true,
          });
          return;
        }
        if (event.type.startsWith('xstate.') || event.type === RESYNC_EVENT) return;
        if (!session)
          throw new OrderLifecycleError(`event ${JSON.stringify(event.type)} arrived before the order's creation`);
        this.addEvent(session, event);
        return;
      }
      case '@xstate.snapshot': {
        const { event } = message;
        if (message.snapshot.status === 'stopped') {
          // The app stopped this actor (a restart, a page leaving): the order stays, its next actor continues it.
          this.live.delete(key);
          return;
        }
        if (session && event.type !== RESYNC_EVENT) {
          const same = canonical(event);
          const index = session.pending.findIndex((candidate) =>
            candidate.step.kind === 'created' ? event.type === 'xstate.init' : candidate.event === same,
          );
          const candidate = session.pending[index];
          // The common case: the app's actor did exactly what this package predicted. Comparing is far
          // cheaper than checking and diffing a context that grows with the order's history.
          if (
            candidate &&
            stateKeyOf(message.snapshot.value) === candidate.step.state &&
            sameJson(message.snapshot.context, candidate.predicted)
          ) {
            session.pending.splice(index, 1);
            delete candidate.step.pending;
            this.emit({ type: 'confirm', id: session.view.id, index: candidate.step.index });
            return;
          }
        }
        const received = toOrderSnapshot(message.snapshot);
        if (!session) {
          const init = event.type === 'xstate.init';
          if (init && !hasInput(event)) {
            const at = instantOf(message['createdAt']) ?? Date.now();
            this.attach(connection, key, message.sessionId, {
              kind: 'restored',
              event: { type: RESTORED_EVENT, at },
              verdict: restoredVerdict(received, at),
              effects: [],
              snapshot: received,
              pending: false,
            });
            return;
          }
          const verdict: Verdict = init
            ? {
                accepted: true,
                message: outcomeMessage('orderPlaced', {
                  orderId: received.context.orderId,
                  until: received.context.buyerCancelUntil,
                  offset: received.context.utcOffsetMinutes,
                }),
              }
            : { accepted: true, message: outcomeMessage('joined') };
          this.attach(connection, key, message.sessionId, {
            kind: init ? 'created' : 'joined',
            event: init || event.type === RESYNC_EVENT ? null : event,
            verdict,
            effects: [],
            snapshot: received,
            pending: false,
          });
          return;
        }
        if (event.type === RESYNC_EVENT) return this.continueWith(session, connection, joinedStart(received));
        const same = canonical(event);
        let index = session.pending.findIndex((candidate) =>
          candidate.step.kind === 'created' ? event.type === 'xstate.init' : candidate.event === same,
        );
        if (index === -1) {
          // The event message was missed (or never sent, as with a bare `inspector.snapshot(...)`): judge it now.
          if (event.type.startsWith('xstate.')) return;
          this.addEvent(session, event);
          index = session.pending.length - 1;
          if (index === -1) return;
        }
        const [pending] = session.pending.splice(index, 1);
        const { step, before } = pending!;
        const confirmed = this.stepView(
          step.index,
          step.kind,
          step.event,
          step.verdict,
          step.effects,
          received,
          step.index === 0 ? null : before,
        );
        if (step.state !== confirmed.state) {
          confirmed.mismatch = `The app's actor is in ${confirmed.state}, but this package's machine would be in ${step.state}: are both running the same machine version?`;
        }
        const unchanged = !confirmed.mismatch && canonical(confirmed.changes) === canonical(step.changes);
        session.view.steps[step.index] = confirmed;
        if (step.index === 0) session.view.context = received.context;
        if (session.view.steps.at(-1) === confirmed) session.current = received;
        this.emit(
          unchanged
            ? { type: 'confirm', id: session.view.id, index: step.index }
            : { type: 'step', id: session.view.id, step: confirmed },
        );
        return;
      }
    }
  }

  /**
   * An actor of an order id starts (created, restored from a snapshot, or seen running): a new order, or the same
   * order continued when the inspector knows its id already (the app restarted, reconnected or restored it).
   */
  private attach(connection: string, key: string, sessionId: string, start: SessionStart): void {
    const orderId = start.snapshot.context.orderId;
    const known = this.byOrderId.get(orderId);
    if (known) {
      this.live.set(key, known);
      known.view.session = sessionId;
      this.continueWith(known, connection, start);
      return;
    }
    const step = this.stepView(0, start.kind, start.event, start.verdict, start.effects, start.snapshot, null);
    const view: OrderView = {
      id: liveId(orderId),
      source: 'live',
      name: orderId,
      session: sessionId,
      orderId,
      policy: start.snapshot.context.policy,
      context: start.snapshot.context,
      steps: [step],
      disconnected: false,
    };
    const session: LiveSession = { view, connection, current: start.snapshot, pending: [] };
    if (start.pending) {
      step.pending = true;
      session.pending.push({ step, before: start.snapshot.context, event: '', predicted: start.snapshot.context });
    }
    this.live.set(key, session);
    this.byOrderId.set(orderId, session);
    this.put(view);
  }

  /**
   * A known order's new actor (or the same one after a reconnection) reports where it starts: the order continues,
   * with a step only when that start is not where the order was (events the inspector did not see).
   */
  private continueWith(session: LiveSession, connection: string, start: SessionStart): void {
    session.connection = connection;
    if (session.view.disconnected) {
      session.view.disconnected = false;
      this.emit({ type: 'connection', id: session.view.id, disconnected: false });
    }
    // Predictions the app will never confirm (their snapshots went to the closed connection) stand as computed.
    for (const { step } of session.pending.splice(0)) {
      delete step.pending;
      this.emit({ type: 'step', id: session.view.id, step });
    }
    const { snapshot } = start;
    if (stateKey(snapshot) === stateKey(session.current) && sameJson(snapshot.context, session.current.context)) return;
    const step = this.stepView(
      session.view.steps.length,
      start.kind,
      start.event,
      start.verdict,
      start.effects,
      snapshot,
      session.current.context,
    );
    session.view.steps.push(step);
    if (start.pending) {
      step.pending = true;
      session.pending.push({ step, before: session.current.context, event: '', predicted: snapshot.context });
    }
    session.current = snapshot;
    this.emit({ type: 'step', id: session.view.id, step });
  }

  private addEvent(session: LiveSession, event: Record<string, unknown>): void {
    const result = applyEvent(session.current, event as Parameters<typeof applyEvent>[1]);
    const step = this.stepView(
      session.view.steps.length,
      'event',
      event,
      result.verdict,
      result.effects,
      result.snapshot,
      session.current.context,
    );
    // An actor that has ended takes no more snapshots: its refusal is final as computed here.
    if (session.current.status === 'active') {
      step.pending = true;
      session.pending.push({
        step,
        before: session.current.context,
        event: canonical(event),
        predicted: result.snapshot.context,
      });
    }
    session.view.steps.push(step);
    session.current = result.snapshot;
    this.emit({ type: 'step', id: session.view.id, step });
  }

  private stepView(
    index: number,
    kind: StepView['kind'],
    event: Record<string, unknown> | null,
    verdict: Verdict,
    effects: Effect[],
    snapshot: OrderSnapshot,
    previous: OrderContext | null,
  ): StepView {
    const state = stateKey(snapshot);
    // Recordings keep `at` as written (ISO text or epoch ms); live events arrive parsed to epoch ms.
    const raw = event?.['at'];
    const parsedAt = typeof raw === 'number' ? raw : typeof raw === 'string' ? Date.parse(raw) : NaN;
    const at = Number.isFinite(parsedAt) ? parsedAt : null;
    return {
      index,
      kind,
      event,
      at,
      verdict,
      effects,
      state,
      status: statusOfStateKey[state],
      changes: previous === null ? [] : diffContext(previous, snapshot.context),
    };
  }

  private put(view: OrderView): void {
    this.orders.set(view.id, view);
    this.emit({ type: 'order', order: view });
    while (this.orders.size > this.maxOrders) {
      const [oldest] = this.orders.keys();
      this.orders.delete(oldest!);
      for (const [key, session] of this.live) if (session.view.id === oldest) this.live.delete(key);
      for (const [orderId, session] of this.byOrderId) if (session.view.id === oldest) this.byOrderId.delete(orderId);
      this.log(`Forgot order ${oldest}: the inspector keeps at most ${this.maxOrders} orders.`);
      this.emit({ type: 'forgot', id: oldest! });
    }
  }

  private emit(change: OrderChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** Whether two values have the same JSON up to key order (keys holding `undefined` count as absent). */
function sameJson(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!sameJson(a[i], other[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let count = 0;
  for (const key in left) {
    if (left[key] === undefined) continue;
    count += 1;
    if (!sameJson(left[key], right[key])) return false;
  }
  for (const key in right) if (right[key] !== undefined) count -= 1;
  return count === 0;
}

/** The state key of a snapshot's value as received, or null when it is not one of the machine's. */
function stateKeyOf(value: unknown): string | null {
  if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) return null;
  try {
    return stateKey({ value: value as OrderSnapshot['value'] }) ?? null;
  } catch {
    return null;
  }
}

/** An order snapshot received over the wire, checked as `restoreOrder` checks persisted ones. */
function toOrderSnapshot(raw: { value: unknown; context: unknown }): OrderSnapshot {
  return restoreOrder(
    JSON.stringify({
      format: 'order-lifecycle/snapshot',
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      machineVersion: MACHINE_VERSION,
      state:
        typeof raw.value === 'string' || (typeof raw.value === 'object' && raw.value !== null)
          ? (stateKey({ value: raw.value as OrderSnapshot['value'] }) ?? null)
          : null,
      context: raw.context,
    }),
  );
}

/** Whether an `xstate.init` event carries the actor's input (an actor restored from a snapshot has none). */
function hasInput(event: Record<string, unknown>): boolean {
  return event['input'] !== undefined && event['input'] !== null;
}

/** Epoch ms from a message's `createdAt` (`@statelyai/inspect` sends `Date.now()` as text), or null. */
function instantOf(value: unknown): number | null {
  const ms = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isSafeInteger(ms) && ms >= 0 ? ms : null;
}

/** The view id of a live order: its order id, escaped so that two order ids never share one. */
function liveId(orderId: string): string {
  return `live-${orderId.replace(/[^A-Za-z0-9-]/g, (char) => `_${char.codePointAt(0)!.toString(16)}_`)}`;
}

/** The start of an actor the inspector sees running (after a reconnection): a joined step if it moved meanwhile. */
function joinedStart(snapshot: OrderSnapshot): SessionStart {
  return {
    kind: 'joined',
    event: null,
    verdict: { accepted: true, message: outcomeMessage('joined') },
    effects: [],
    snapshot,
    pending: false,
  };
}

/** JSON with sorted keys, so that two serializations of one event compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
