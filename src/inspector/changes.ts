/*
 * Context changes: what a step changed in an order's context, and how to apply them again. Shared by the
 * inspector's server (which diffs), the CLI and the page's bundled script (which apply), so it imports nothing.
 */

/** One change to the order's context made by a step: a dotted path for people, the keys to apply it, before and after. */
export interface ContextChange {
  path: string;
  /** The path as keys (array indexes are numbers); `after` absent means the key was removed. */
  keys: Array<string | number>;
  before?: unknown;
  after?: unknown;
}

/**
 * A diff of two JSON values down to their leaves: objects and arrays are walked, anything else compared.
 * @example
 * diffContext({ shippedAt: null }, { shippedAt: 5 }); // [{ path: 'shippedAt', keys: ['shippedAt'], before: null, after: 5 }]
 */
export function diffContext(before: unknown, after: unknown, keys: Array<string | number> = []): ContextChange[] {
  const changes: ContextChange[] = [];
  const path = [...keys];
  const walkable = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
  // One shared key stack; a change copies it only when emitted (contexts are walked once per step).
  const walk = (left: unknown, right: unknown): void => {
    if (Object.is(left, right)) return;
    if (walkable(left) && walkable(right) && Array.isArray(left) === Array.isArray(right)) {
      const isArray = Array.isArray(left);
      for (const name of Object.keys(left)) {
        path.push(isArray ? Number(name) : name);
        // A key absent on one side is reported without that side, so the change survives JSON.
        if (!Object.hasOwn(right, name)) changes.push({ path: path.join('.'), keys: [...path], before: left[name] });
        else walk(left[name], right[name]);
        path.pop();
      }
      for (const name of Object.keys(right)) {
        if (Object.hasOwn(left, name)) continue;
        path.push(isArray ? Number(name) : name);
        changes.push({ path: path.join('.'), keys: [...path], after: right[name] });
        path.pop();
      }
      return;
    }
    changes.push({ path: path.join('.'), keys: [...path], before: left, after: right });
  };
  walk(before, after);
  return changes;
}

/**
 * Applies context changes (from `diffContext`) to a copy of `context`.
 * @example
 * applyChanges({ shippedAt: null }, [{ path: 'shippedAt', keys: ['shippedAt'], before: null, after: 5 }]); // { shippedAt: 5 }
 */
export function applyChanges<T>(context: T, changes: readonly ContextChange[]): T {
  const copy = structuredClone(context) as unknown;
  for (const change of changes) {
    if (change.keys.length === 0) continue;
    let holder = copy as Record<string | number, unknown>;
    for (const key of change.keys.slice(0, -1)) {
      // Own properties only, defined rather than assigned: a key such as `__proto__` is data here.
      const inner = Object.hasOwn(holder, key) ? holder[key] : undefined;
      if (typeof inner !== 'object' || inner === null)
        Object.defineProperty(holder, key, {
          value: typeof key === 'number' ? [] : {},
          writable: true,
          enumerable: true,
          configurable: true,
        });
      holder = holder[key] as Record<string | number, unknown>;
    }
    const last = change.keys.at(-1)!;
    if ('after' in change)
      Object.defineProperty(holder, last, {
        // A copy of an object: a later change inside it must not rewrite this change (a step's "after").
        value: typeof change.after === 'object' && change.after !== null ? structuredClone(change.after) : change.after,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    else if (Array.isArray(holder) && typeof last === 'number') holder.length = Math.min(holder.length, last);
    else delete holder[last];
  }
  return copy as T;
}
