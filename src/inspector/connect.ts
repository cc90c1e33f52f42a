import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { InspectionEvent, Observer } from 'xstate';
import type WebSocket from 'ws';
import * as z from 'zod';
import { issueSentence, loadOptional } from '../domain/index.js';
import { InspectorError } from './errors.js';
import { RESYNC_EVENT } from './orders.js';

/** A `require` for the optional peer dependency ws, loaded when a connection is made (it is CommonJS). */
const require = createRequire(import.meta.url);

/** Options of `connectInspector`. */
export interface ConnectInspectorOptions {
  /** First wait before reconnecting, in ms; doubled after each failed attempt. Default 250. */
  minDelayMs?: number;
  /** Longest wait between attempts, in ms. Default 10 000. */
  maxDelayMs?: number;
  /** How many messages to hold until the first connection opens; older ones are dropped first. Default 10 000. */
  maxQueued?: number;
  /** Told when the connection opens or closes (e.g. to log it). */
  onStatus?: (status: 'open' | 'closed', detail: { attempt: number; delayMs?: number }) => void;
}

/** A connection to the offline inspector that survives its restarts; pass `inspect` to `createOrderActor`. */
export interface InspectorConnection {
  /** The inspection observer: `createOrderActor(input, { inspect: connection.inspect })`. */
  inspect: Observer<InspectionEvent>;
  /** Whether the WebSocket is open now. */
  readonly connected: boolean;
  /** How many times it has reconnected after losing the connection. */
  readonly reconnects: number;
  /** Closes the connection and stops reconnecting. */
  stop(): void;
}

const Options = z.strictObject({
  minDelayMs: z.number().int().positive().default(250),
  maxDelayMs: z.number().int().positive().default(10_000),
  maxQueued: z.number().int().nonnegative().default(10_000),
  onStatus: z.function().optional(),
});

/**
 * The subset of `@statelyai/inspect`'s WebSocket messages the inspector reads, in the same shape; `createdAt`
 * (epoch ms as text, as `@statelyai/inspect` sends it) says when an actor started, e.g. from a restored snapshot.
 */
type Message =
  | { type: '@xstate.actor'; name: string; sessionId: string; parentId?: string; snapshot: unknown }
  | { type: '@xstate.event'; sessionId: string; sourceId?: string; event: unknown; createdAt?: string }
  | { type: '@xstate.snapshot'; sessionId: string; event: unknown; snapshot: unknown; createdAt?: string };

/** How long one turn of sending may take before it yields to the app's own work, in ms. */
const SLICE_MS = 4;

/**
 * How many messages may wait to be written. An app that sends faster than they are written (its own work never
 * leaves the event loop a turn) then writes the oldest one inside `send`, one for each new one: memory stays bounded.
 */
export const MAX_BACKLOG = 10_000;

/** Whether an inspection event is an actor's start (its `xstate.init`), which is sent with its instant. */
const isInit = (event: unknown): boolean => (event as { type?: unknown } | null)?.type === 'xstate.init';

interface Tracked {
  actor: Message;
  snapshot?: Message;
}

/** An XState inspection event as the WebSocket message `createWebSocketInspector` would send for it. */
function toMessage(event: InspectionEvent): Message | null {
  switch (event.type) {
    case '@xstate.actor': {
      const actorRef = event.actorRef as typeof event.actorRef & { id?: unknown; logic?: { id?: unknown } };
      // A machine actor's name is its machine's id (`order`), as @statelyai/inspect reports it.
      const name =
        typeof actorRef.logic?.id === 'string' ? actorRef.logic.id : String(actorRef.id ?? actorRef.sessionId);
      // The snapshot cannot be read while the actor starts; its first '@xstate.snapshot' follows.
      return { type: '@xstate.actor', name, sessionId: actorRef.sessionId, snapshot: { status: 'active' } };
    }
    case '@xstate.event':
      return {
        type: '@xstate.event',
        sessionId: event.actorRef.sessionId,
        ...(event.sourceRef ? { sourceId: event.sourceRef.sessionId } : {}),
        event: event.event,
        ...(isInit(event.event) ? { createdAt: String(Date.now()) } : {}),
      };
    case '@xstate.snapshot':
      return {
        type: '@xstate.snapshot',
        sessionId: event.actorRef.sessionId,
        event: event.event,
        snapshot: event.snapshot,
        ...(isInit(event.event) ? { createdAt: String(Date.now()) } : {}),
      };
    default:
      return null;
  }
}

/**
 * Connects live actors to the offline inspector (`order-lifecycle inspect`) from Node, like
 * `@statelyai/inspect`'s `createWebSocketInspector` (same messages), but it reconnects with backoff
 * when the inspector restarts or the connection drops, and then resends each live order's current
 * state, so the page shows every running order again. The app's `send` only queues references: messages are
 * serialized and sent afterwards, a few milliseconds per turn of the event loop. Needs the optional peer
 * dependency ws (else MissingDependencyError).
 * @example
 * const connection = connectInspector('ws://127.0.0.1:4820');
 * const actor = createOrderActor(input, { inspect: connection.inspect });
 * // ... later
 * connection.stop();
 */
export function connectInspector(url: string, options: ConnectInspectorOptions = {}): InspectorConnection {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new InspectorError(
      `Invalid inspector address ${JSON.stringify(url)}: expected a ws:// URL such as "ws://127.0.0.1:4820".`,
    );
  }
  if (target.protocol !== 'ws:' && target.protocol !== 'wss:') {
    throw new InspectorError(
      `Invalid inspector address ${JSON.stringify(url)}: expected a ws:// or wss:// URL, not ${target.protocol}.`,
    );
  }
  const parsed = Options.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'options';
    throw new InspectorError(
      `Invalid connectInspector option ${field} ${JSON.stringify((options as Record<string, unknown>)[field])}: ${issueSentence(issue, options, { got: false })}.`,
    );
  }
  const { minDelayMs, maxDelayMs, maxQueued } = parsed.data;
  const Socket = loadOptional('ws', 'connectInspector', () => require('ws') as typeof WebSocket);
  // The inspector keys orders by this id, so a reconnection continues the same orders.
  target.searchParams.set('client', randomUUID());

  const sessions = new Map<string, Tracked>();
  let queue: string[] = [];
  let socket: WebSocket | null = null;
  let open = false;
  let everOpened = false;
  let stopped = false;
  let attempt = 0;
  let reconnects = 0;
  let timer: NodeJS.Timeout | undefined;

  const encode = (message: Message): string | null => {
    try {
      // Snapshots serialize with their own toJSON; an order's events and context are data (parsed by zod).
      return JSON.stringify(message);
    } catch {
      return null; // a cyclic context cannot be inspected; the actor itself is unaffected
    }
  };

  const track = (message: Message) => {
    if (message.type === '@xstate.actor') sessions.set(message.sessionId, { actor: message });
    else if (message.type === '@xstate.snapshot') {
      const tracked = sessions.get(message.sessionId);
      const status = (message.snapshot as { status?: string } | undefined)?.status;
      if (tracked && status && status !== 'active') sessions.delete(message.sessionId);
      else if (tracked) tracked.snapshot = message;
    }
  };

  const resync = () => {
    for (const { actor, snapshot } of sessions.values()) {
      if (!snapshot || snapshot.type !== '@xstate.snapshot') continue;
      for (const message of [
        actor,
        {
          type: '@xstate.snapshot',
          sessionId: snapshot.sessionId,
          snapshot: snapshot.snapshot,
          event: { type: RESYNC_EVENT },
        } satisfies Message,
      ]) {
        const text = encode(message);
        if (text !== null) socket!.send(text);
      }
    }
  };

  const connect = () => {
    if (stopped) return;
    const ws = new Socket(target);
    socket = ws;
    ws.on('open', () => {
      open = true;
      attempt = 0;
      if (everOpened) {
        reconnects += 1;
        resync();
      } else {
        for (const text of queue) ws.send(text);
      }
      queue = [];
      everOpened = true;
      options.onStatus?.('open', { attempt });
    });
    ws.on('error', () => {
      // 'close' follows and schedules the next attempt.
    });
    ws.on('close', () => {
      open = false;
      socket = null;
      if (stopped) return;
      attempt += 1;
      const delayMs = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(attempt - 1, 20));
      options.onStatus?.('closed', { attempt, delayMs });
      timer = setTimeout(connect, delayMs);
      timer.unref?.();
    });
  };

  const deliver = (message: Message) => {
    track(message);
    if (open) {
      const text = encode(message);
      if (text !== null) socket!.send(text);
    } else if (!everOpened) {
      // Before the first connection, keep the messages so the inspector sees each order from its creation.
      const text = encode(message);
      if (text !== null) queue.push(text);
      if (queue.length > maxQueued) queue.shift();
    }
    // After a drop, messages are not queued: the current state is resent on reconnection.
  };

  // The app's `send` only appends the inspection event's message (references to its event and snapshot, which
  // XState never changes); serializing and sending happen afterwards, in order, a few milliseconds per turn of the
  // event loop, so the inspector stays off the app's hot path.
  let backlog: Message[] = [];
  let head = 0;
  let scheduled = false;
  /** Writes the oldest waiting message. */
  const deliverOldest = () => {
    const message = backlog[head]!;
    backlog[head] = undefined as unknown as Message;
    head += 1;
    // A backlog that never empties (an app always sending) drops its written front now and then.
    if (head >= 1024 && head * 2 >= backlog.length) {
      backlog = backlog.slice(head);
      head = 0;
    }
    deliver(message);
  };
  const drain = (budgetMs: number) => {
    scheduled = false;
    const started = performance.now();
    while (head < backlog.length) {
      deliverOldest();
      if (performance.now() - started >= budgetMs) break;
    }
    if (head < backlog.length) schedule();
    else {
      backlog = [];
      head = 0;
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => drain(SLICE_MS));
  };
  connect();

  return {
    // Sent as the actor steps (a snapshot is serialized once, with its own toJSON), in order.
    inspect: {
      next: (event: InspectionEvent) => {
        const message = toMessage(event);
        if (!message) return;
        backlog.push(message);
        if (backlog.length - head > MAX_BACKLOG) deliverOldest();
        schedule();
      },
    },
    get connected() {
      return open;
    },
    get reconnects() {
      return reconnects;
    },
    stop: () => {
      // What the app sent before stopping still goes out, ahead of the close.
      drain(Infinity);
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
