/*
 * Values as the page shows them: instants as dates in the browser's time zone, objects and arrays as trees
 * whose children are built when first opened (a context's history can be long).
 */
import { h } from './dom.js';
import { isInstant, localDate, preview } from './format.js';

/** The trees open by path, kept across redraws; the order's items start open. */
const openPaths = new Set<string>(['items']);

/**
 * A value that is not an object: a date, a string, a number, `null`, or `—` for none.
 * @example
 * leaf(1_764_122_400_000, 'placedAt'); // <time class="value date">2026-11-26 10:00:00 GMT+8</time>
 */
export function leaf(value: unknown, key?: string | number): HTMLElement {
  if (isInstant(key, value))
    return h(
      'time',
      {
        className: 'value date',
        datetime: new Date(value).toISOString(),
        title: `${new Date(value).toISOString()} (${value})`,
      },
      localDate(value),
    );
  if (value === undefined) return h('span', { className: 'value none' }, '—');
  const kind = value === null ? 'null' : typeof value;
  return h('span', { className: `value ${kind}` }, JSON.stringify(value) ?? String(value));
}

/**
 * A value as a tree: objects and arrays are `<details>`, their children built when first opened, and their open
 * state kept across redraws (by `path`).
 * @example
 * valueTree(context.items, 'items', 'items');
 */
export function valueTree(value: unknown, key: string | number | undefined, path: string): HTMLElement {
  if (typeof value !== 'object' || value === null) return leaf(value, key);
  const details = h(
    'details',
    { className: 'tree', 'data-path': path },
    h('summary', {}, h('span', { className: 'summary-size' }, preview(value))),
  );
  let built = false;
  const build = () => {
    if (built) return;
    built = true;
    const entries = Array.isArray(value) ? value.map((inner, index) => [index, inner] as const) : Object.entries(value);
    details.append(
      h(
        'ul',
        {},
        ...entries.map(([name, inner]) =>
          h(
            'li',
            { 'data-key': String(name) },
            h('span', { className: 'key' }, `${String(name)}: `),
            valueTree(inner, name, path ? `${path}.${String(name)}` : String(name)),
          ),
        ),
      ),
    );
  };
  if (openPaths.has(path)) {
    build();
    details.open = true;
  }
  details.addEventListener('toggle', () => {
    if (details.open) {
      build();
      openPaths.add(path);
    } else openPaths.delete(path);
  });
  return details;
}

/**
 * An order's context as a list of its fields, each a tree.
 * @example
 * byId('context').replaceChildren(contextTree(state.contextAt(order, cursor)));
 */
export function contextTree(context: Record<string, unknown>): HTMLElement {
  return h(
    'ul',
    { className: 'tree root' },
    ...Object.entries(context).map(([name, value]) =>
      h('li', { 'data-key': name }, h('span', { className: 'key' }, `${name}: `), valueTree(value, name, name)),
    ),
  );
}
