import {
  createActor,
  initialTransition,
  transition,
  type AnyActorScope,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
} from 'xstate';

/** What a pure step returns, as XState's `transition()` does: the next snapshot and the actions to execute. */
type Stepped<M extends AnyStateMachine> = [SnapshotFrom<M>, Array<{ type: string; params?: unknown }>];

/** A reusable inert actor scope and the list its action executor fills, or `null` once the machine spawned. */
interface Scope {
  scope: AnyActorScope;
  actions: Array<{ type: string; params?: unknown }>;
  /** A step is running on this scope (a guard that steps the same machine gets XState's own scope instead). */
  busy: boolean;
}

const scopes = new WeakMap<AnyStateMachine, Scope | null>();

/**
 * The scope XState's `transition()` builds on every call (an actor, whose constructor evaluates the machine's
 * initial state, and an actor system), built once per machine from public API and kept. Nothing a pure step
 * does is observable through it: its action executor only collects, every other hook does nothing.
 */
function scopeOf(machine: AnyStateMachine): Scope | null {
  let cached = scopes.get(machine);
  if (cached === undefined) {
    const self = createActor(machine);
    // Building the actor evaluated the initial state; children it spawned sit in this system already.
    if (hasChildren(self.getSnapshot() as { children: object })) {
      scopes.set(machine, null);
      return null;
    }
    const entry: Scope = {
      actions: [],
      busy: false,
      scope: {
        self,
        id: '',
        sessionId: '',
        system: self.system,
        logger: () => {},
        defer: () => {},
        emit: () => {},
        stopChild: () => {},
        actionExecutor: (action: { type: string; params?: unknown }) => {
          entry.actions.push(action);
        },
      } satisfies AnyActorScope,
    };
    cached = entry;
    scopes.set(machine, cached);
  }
  return cached;
}

/** Whether a snapshot holds child actors (an object with no own key has none). */
function hasChildren(snapshot: { children: object }): boolean {
  for (const _ in snapshot.children) return true;
  return false;
}

/** The machine's kept scope, emptied and marked busy for one step; `null` when XState's own must serve. */
function claim(machine: AnyStateMachine): Scope | null {
  const entry = scopeOf(machine);
  if (entry === null || entry.busy) return null;
  entry.busy = true;
  entry.actions = [];
  return entry;
}

/**
 * The step's result, or `null` when it spawned children: they registered in the kept scope's actor system, so
 * the machine is stepped from then on by XState's own functions, with a fresh scope each time, as before. (No
 * closure per call: the step runs millions of times.)
 */
function settle<M extends AnyStateMachine>(machine: M, entry: Scope, next: SnapshotFrom<M>): Stepped<M> | null {
  entry.busy = false;
  if (!hasChildren(next as { children: object })) return [next, entry.actions];
  scopes.set(machine, null);
  return null;
}

/**
 * XState's `transition(machine, snapshot, event)`, without the actor and system it builds per call: the same
 * next snapshot and actions, by the machine's public `transition` on a scope kept per machine.
 * @example
 * const [next, actions] = pureTransition(orderMachine, snapshot, { type: 'clock.tick', at: Date.now() });
 */
export function pureTransition<M extends AnyStateMachine>(
  machine: M,
  snapshot: SnapshotFrom<M>,
  event: EventFromLogic<M>,
): Stepped<M> {
  const entry = hasChildren(snapshot as { children: object }) ? null : claim(machine);
  if (entry !== null) {
    let next: SnapshotFrom<M>;
    try {
      next = machine.transition(snapshot, event, entry.scope) as SnapshotFrom<M>;
    } catch (error) {
      entry.busy = false;
      throw error;
    }
    const stepped = settle(machine, entry, next);
    if (stepped !== null) return stepped;
  }
  return transition(machine, snapshot, event) as Stepped<M>;
}

/**
 * XState's `initialTransition(machine, input)` on the machine's kept scope; see `pureTransition`.
 * @example
 * const [snapshot] = pureInitialTransition(orderMachine, input);
 */
export function pureInitialTransition<M extends AnyStateMachine>(machine: M, input: InputFrom<M>): Stepped<M> {
  const entry = claim(machine);
  if (entry !== null) {
    let next: SnapshotFrom<M>;
    try {
      next = machine.getInitialSnapshot(entry.scope, input) as SnapshotFrom<M>;
    } catch (error) {
      entry.busy = false;
      throw error;
    }
    const stepped = settle(machine, entry, next);
    if (stepped !== null) return stepped;
  }
  return initialTransition(machine, input) as Stepped<M>;
}
