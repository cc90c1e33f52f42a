/* The two DOM helpers every view uses: build an element, find one by id. */

type Attribute = string | number | boolean | ((event: Event) => void) | undefined;
type Child = Node | string | null | undefined | false;

/**
 * An element with attributes (`className`, `on<event>` listeners, `true` for a bare attribute) and children;
 * `undefined`, `false` and `null` leave an attribute or a child out.
 * @example
 * h('span', { className: 'badge live' }, 'live');
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, Attribute> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'className') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/**
 * The page's element with this id (the page's HTML has every id the script asks for).
 * @example
 * byId<HTMLInputElement>('filter-id').value;
 */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}
