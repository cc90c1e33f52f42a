import * as z from 'zod';
import { MACHINE_VERSION } from '../../machines/order/index.js';
import {
  formatInstant,
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
import { applyEvent, createOrder, restoreOrder, SNAPSHOT_SCHEMA_VERSION, stateKey, type OrderSnapshot } from '../runtime/index.js';
import type { LoadedRecording } from './recording.js';

/** One change to the order's context made by a step: a dotted path, the value before and after. */
export interface ContextChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** One step of an order as the page shows it: the event, its verdict, effects, and the state after it. */
export interface StepView {
  index: number;
  /** `created` for the order's creation, `joined` when the inspector first saw a running order. */
  kind: 'created' | 'event' | 'joined';
  event: Record<string, unknown> | null;
  at: number | null;
  verdict: Verdict;
  effects: Effect[];
  state: StateKey;
  status: OrderStatus;
  context: OrderContext;
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
  /** The recording's name, or the live actor's session id. */
  name: string;
  orderId: string;
  policy: Policy;
  steps: StepView[];
  /** Live only: the app's WebSocket closed. */
  disconnected: boolean;
}

const SessionId = z.string().min(1).max(200);
const EventObject = z.looseObject({ type: z.string().min(1).max(200) });

/**
 * The messages of `@statelyai/inspect`'s `createWebSocketInspector`, as far as the inspector reads them.
 * @example
 * InspectionMessage.safeParse(JSON.parse(text)).success;
 */
export const InspectionMessage = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('@xstate.actor'), sessionId: SessionId, name: z.string().optional(), snapshot: z.unknown().optional() }),
  z.looseObject({ type: z.literal('@xstate.event'), sessionId: SessionId, sourceId: z.string().nullish(), event: EventObject }),
  z.looseObject({
    type: z.literal('@xstate.snapshot'),
    sessionId: SessionId,
    event: EventObject,
    snapshot: z.looseObject({ value: z.unknown(), context: z.unknown(), status: z.string().optional() }),
  }),
]);
export type InspectionMessage = z.infer<typeof InspectionMessage>;

const joinedMessage = {
  en: 'The inspector joined while this order was already running; its state is taken from the app.',
  'zh-CN': '检查器连接时该订单已在运行;其状态取自应用。',
};

/**
 * A diff of two JSON values down to their leaves: objects and arrays are walked, anything else compared.
 * @example
 * diffContext({ shippedAt: null }, { shippedAt: 5 }); // [{ path: 'shippedAt', before: null, after: 5 }]
 */
export function diffContext(before: unknown, after: unknown, path = ''): ContextChange[] {
  if (Object.is(before, after)) return [];
  const walkable = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
  if (walkable(before) && walkable(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => diffContext(before[key], after[key], path ? `${path}.${key}` : key));
  }
  return [{ path, before, after }];
}

interface LiveSession {
  view: OrderView;
  /** The snapshot the next event is judged against (the app's, or this package's prediction). */
  current: OrderSnapshot;
}

/** Where each ignored message is reported: one sentence naming the reason. */
export type InspectorLogger = (message: string) => void;

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
  private readonly live = new Map<string, LiveSession>();
  private readonly ignoredSessions = new Set<string>();
  private readonly listeners = new Set<(order: OrderView) => void>();
  private readonly log: InspectorLogger;
  private readonly maxOrders: number;
  private recordings = 0;

  constructor(options: { log?: InspectorLogger; maxOrders?: number } = {}) {
    this.log = options.log ?? (() => {});
    this.maxOrders = options.maxOrders ?? 500;
  }

  /** Every order, oldest first. */
  list(): OrderView[] {
    return [...this.orders.values()];
  }

  get(id: string): OrderView | undefined {
    return this.orders.get(id);
  }

  /** Calls `listener` with an order each time it is added or changes; returns an unsubscribe function. */
  subscribe(listener: (order: OrderView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds replayed recordings; returns their views. */
  addRecordings(loaded: LoadedRecording[]): OrderView[] {
    return loaded.map(({ name, steps }) => {
      let previous: OrderContext | null = null;
      const views = steps.map((step, index): StepView => {
        const view = this.stepView(index, step.event === null ? 'created' : 'event', step.event, step.verdict, step.effects, step.snapshot, previous);
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
      this.log(`Ignored a WebSocket message from ${from} of type ${JSON.stringify(type ?? null)}: ${where}: ${issue.message.replace(/\.$/, '')}.`);
      return;
    }
    try {
      this.handle(connection, parsed.data);
    } catch (error) {
      // A message this package's functions refuse (a bad input, context or event) must not stop the server.
      const reason = error instanceof Error ? error.message.replace(/\.$/, '') : String(error);
      this.log(`Ignored a ${parsed.data.type} message from ${from} for session ${JSON.stringify(parsed.data.sessionId)}: ${reason}.`);
    }
  }

  /** Marks the live orders of a closed connection as disconnected. */
  disconnect(connection: string): void {
    for (const [key, session] of this.live) {
      if (!key.startsWith(`${connection}/`)) continue;
      session.view.disconnected = true;
      this.emit(session.view);
    }
  }

  private handle(connection: string, message: InspectionMessage): void {
    const key = `${connection}/${message.sessionId}`;
    if (this.ignoredSessions.has(key)) return;
    const session = this.live.get(key);
    switch (message.type) {
      case '@xstate.actor':
        if (message.name !== undefined && message.name !== 'order') {
          this.ignoredSessions.add(key);
          this.log(`Ignored actor ${JSON.stringify(message.sessionId)} from connection ${connection}: its machine is ${JSON.stringify(message.name)}, not the order machine.`);
        }
        return;
      case '@xstate.event': {
        if (message.sourceId != null && message.sourceId === message.sessionId) return; // raised by the actor itself
        const { event } = message;
        if (event.type === 'xstate.init') {
          if (session) return;
          const created = createOrder((event as { input?: unknown }).input as Parameters<typeof createOrder>[0]);
          this.startSession(key, message.sessionId, 'created', null, created.verdict, created.effects, created.snapshot, true);
          return;
        }
        if (event.type.startsWith('xstate.')) return;
        if (!session) throw new OrderLifecycleError(`event ${JSON.stringify(event.type)} arrived before the order's creation`);
        this.addEvent(session, event);
        return;
      }
      case '@xstate.snapshot': {
        const received = toOrderSnapshot(message.snapshot);
        const { event } = message;
        if (!session) {
          const created = event.type === 'xstate.init';
          const verdict: Verdict = created
            ? { accepted: true, message: outcomeMessage('orderPlaced', { orderId: received.context.orderId, until: formatInstant(received.context.buyerCancelUntil) }) }
            : { accepted: true, message: joinedMessage };
          this.startSession(key, message.sessionId, created ? 'created' : 'joined', created ? null : event, verdict, [], received, false);
          return;
        }
        const same = canonical(event);
        let step = session.view.steps.find(
          (candidate) => candidate.pending && (candidate.kind === 'created' ? event.type === 'xstate.init' : canonical(candidate.event) === same),
        );
        if (!step) {
          // The event message was missed (or never sent, as with a bare `inspector.snapshot(...)`): judge it now.
          if (event.type.startsWith('xstate.')) return;
          step = this.addEvent(session, event);
        }
        const predicted = step.state;
        const previous = session.view.steps[step.index - 1]?.context ?? null;
        Object.assign(step, this.stepView(step.index, step.kind, step.event, step.verdict, step.effects, received, previous));
        delete step.pending;
        if (predicted !== step.state) {
          step.mismatch = `The app's actor is in ${step.state}, but this package's machine would be in ${predicted}: are both running the same machine version?`;
        }
        if (session.view.steps.at(-1) === step) session.current = received;
        this.emit(session.view);
        return;
      }
    }
  }

  private startSession(
    key: string,
    sessionId: string,
    kind: StepView['kind'],
    event: Record<string, unknown> | null,
    verdict: Verdict,
    effects: Effect[],
    snapshot: OrderSnapshot,
    pending: boolean,
  ): void {
    const step = this.stepView(0, kind, event, verdict, effects, snapshot, null);
    if (pending) step.pending = true;
    const view: OrderView = {
      id: `live-${key.replace(/[^\w-]/g, '_')}`,
      source: 'live',
      name: sessionId,
      orderId: snapshot.context.orderId,
      policy: snapshot.context.policy,
      steps: [step],
      disconnected: false,
    };
    this.live.set(key, { view, current: snapshot });
    this.put(view);
  }

  private addEvent(session: LiveSession, event: Record<string, unknown>): StepView {
    const result = applyEvent(session.current, event as Parameters<typeof applyEvent>[1]);
    const previous = session.view.steps.at(-1)?.context ?? null;
    const step = this.stepView(session.view.steps.length, 'event', event, result.verdict, result.effects, result.snapshot, previous);
    // An actor that has ended takes no more snapshots: its refusal is final as computed here.
    if (session.current.status === 'active') step.pending = true;
    session.view.steps.push(step);
    session.current = result.snapshot;
    this.emit(session.view);
    return step;
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
      context: snapshot.context,
      changes: previous === null ? [] : diffContext(previous, snapshot.context),
    };
  }

  private put(view: OrderView): void {
    this.orders.set(view.id, view);
    while (this.orders.size > this.maxOrders) {
      const [oldest] = this.orders.keys();
      this.orders.delete(oldest!);
      for (const [key, session] of this.live) if (session.view.id === oldest) this.live.delete(key);
      this.log(`Forgot order ${oldest}: the inspector keeps at most ${this.maxOrders} orders.`);
    }
    this.emit(view);
  }

  private emit(view: OrderView): void {
    for (const listener of this.listeners) listener(view);
  }
}

/** An order snapshot received over the wire, checked as `restoreOrder` checks persisted ones. */
function toOrderSnapshot(raw: { value: unknown; context: unknown }): OrderSnapshot {
  return restoreOrder(
    JSON.stringify({
      format: 'order-lifecycle/snapshot',
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      machineVersion: MACHINE_VERSION,
      state: typeof raw.value === 'string' || (typeof raw.value === 'object' && raw.value !== null) ? stateKey({ value: raw.value as OrderSnapshot['value'] }) ?? null : null,
      context: raw.context,
    }),
  );
}

/** JSON with sorted keys, so that two serializations of one event compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
