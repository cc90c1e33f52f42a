import { describe, expect, it } from 'vitest';
import { edgeAliases, renderStatechart, statechartDot } from '../../src/inspector/chart.js';
import { defaultPolicy } from '../../src/index.js';

/** A box in the SVG's own units (points), from every number pair of a shape's `d` or `points`. */
interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function boxOf(shapes: string): Box {
  const numbers = [...shapes.matchAll(/-?\d+(?:\.\d+)?/g)].map((match) => Number(match[0]));
  const xs = numbers.filter((_, index) => index % 2 === 0);
  const ys = numbers.filter((_, index) => index % 2 === 1);
  return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
}

const inside = (box: Box, x: number, y: number, margin = 0) =>
  x >= box.left - margin && x <= box.right + margin && y >= box.top - margin && y <= box.bottom + margin;

/** The states' boxes and each drawn edge's first two points (its start and the first control point). */
function parseChart(svg: string) {
  const decode = (id: string) => id.replace(/&#45;/g, '-');
  const states = new Map<string, Box>();
  const edges = new Map<string, { start: [number, number]; control: [number, number] }>();
  for (const match of svg.matchAll(/<g id="([^"]+)" class="([^"]+)">([\s\S]*?)<\/g>/g)) {
    const id = decode(match[1]!);
    const body = match[3]!;
    if (id.startsWith('state-')) {
      const shapes = [...body.matchAll(/<(?:path|polygon)[^>]*(?: d| points)="([^"]+)"/g)].map((shape) => shape[1]);
      states.set(id.slice('state-'.length), boxOf(shapes.join(' ')));
    } else if (id.startsWith('edge-')) {
      const d = /<path[^>]* d="M(-?[\d.]+),(-?[\d.]+)C(-?[\d.]+),(-?[\d.]+)/.exec(body);
      if (!d) throw new Error(`edge ${id} has no path`);
      edges.set(id, {
        start: [Number(d[1]), Number(d[2])],
        control: [Number(d[3]), Number(d[4])],
      });
    }
  }
  return { states, edges };
}

const parents: Record<string, string> = { buyerCancellable: 'placed', unshipped: 'placed', labelGenerated: 'placed' };
const lineage = (key: string): string[] => (parents[key] ? [key, ...lineage(parents[key])] : [key]);

/** How far a point is from a box's outline, inside or out. */
function toBorder(box: Box, x: number, y: number): number {
  const outside = Math.hypot(Math.max(box.left - x, 0, x - box.right), Math.max(box.top - y, 0, y - box.bottom));
  return outside > 0 ? outside : Math.min(x - box.left, box.right - x, y - box.top, box.bottom - y);
}

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The points of an SVG path of cubic Béziers (`M x,y C x,y x,y x,y ...`), each curve sampled at `steps` points. */
function pathPoints(d: string, steps = 20): [number, number][] {
  const [start, ...rest] = [...d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((pair): [number, number] => [
    Number(pair[1]),
    Number(pair[2]),
  ]);
  const points = [start!];
  for (let index = 0; index + 2 < rest.length; index += 3) {
    const [p0, p1, p2, p3] = [points[points.length - 1]!, rest[index]!, rest[index + 1]!, rest[index + 2]!];
    const curve: [number, number][] = [];
    for (let step = 1; step <= steps; step++) {
      const t = step / steps;
      const [a, b, c, e] = [(1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3];
      curve.push([a * p0[0] + b * p1[0] + c * p2[0] + e * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + e * p3[1]]);
    }
    points.push(...curve);
  }
  return points;
}

/**
 * Every drawn edge of a compound state (`edge-placed-...`) that `select` takes by its class, read from its whole
 * group: where its line starts, where it ends (the tip of its arrowhead, else the end of its last path), the points
 * along its line, and the boxes of its label's lines (Helvetica is counted generously at 0.6 em a character).
 */
function compoundEdges(svg: string, select: (className: string) => boolean) {
  const compound = new Set(Object.values(parents));
  const drawn = new Map<
    string,
    { start: [number, number]; end: [number, number]; line: [number, number][]; labels: Box[] }
  >();
  // Graphviz writes a comment before each node's and each edge's group: one chunk per drawn element, nested groups included.
  for (const chunk of svg.split('<!-- ')) {
    const group = /<g id="(edge[^"]+)" class="([^"]*)">/.exec(chunk);
    const id = group?.[1]?.replace(/&#45;/g, '-');
    if (!id || !compound.has(id.split('-')[1]!) || !select(group![2]!)) continue;
    const ds = [...chunk.matchAll(/<path[^>]* d="([^"]+)"/g)].map((match) => match[1]!);
    const paths = ds.map((d) =>
      [...d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((pair): [number, number] => [Number(pair[1]), Number(pair[2])]),
    );
    const start = paths[0]![0]!;
    const last = paths[paths.length - 1]!;
    const lineEnd = last[last.length - 1]!;
    const arrow = /<polygon[^>]* points="([^"]+)"/.exec(chunk);
    const tips = arrow
      ? [...arrow[1]!.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((pair): [number, number] => [
          Number(pair[1]),
          Number(pair[2]),
        ])
      : [lineEnd];
    const end = tips.reduce((far, point) =>
      Math.hypot(point[0] - lineEnd[0], point[1] - lineEnd[1]) > Math.hypot(far[0] - lineEnd[0], far[1] - lineEnd[1])
        ? point
        : far,
    );
    const labels = [
      ...chunk.matchAll(
        /<text[^>]*text-anchor="(\w+)" x="(-?[\d.]+)" y="(-?[\d.]+)"[^>]*font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/g,
      ),
    ].map(([, anchor, x, y, size, text]) => {
      const width = text!.replace(/&#?\w+;/g, '-').length * Number(size) * 0.6;
      const left = Number(x) - (anchor === 'middle' ? width / 2 : anchor === 'end' ? width : 0);
      return { left, right: left + width, top: Number(y) - Number(size), bottom: Number(y) + Number(size) * 0.3 };
    });
    drawn.set(id, { start, end, line: ds.flatMap((d) => pathPoints(d)), labels });
  }
  return drawn;
}

/** Every drawn loop of a compound state (`edge-placed-placed-...`). */
const compoundLoops = (svg: string) => compoundEdges(svg, (className) => /\bself\b/.test(className));

/** Every drawn edge of a compound state to a state inside it (`edge-placed-unshipped-...`). */
const inwardEdges = (svg: string) =>
  new Map([...compoundEdges(svg, () => true)].filter(([id]) => parents[id.split('-')[2]!] === id.split('-')[1]));

const policies = [
  ['the default policy', defaultPolicy],
  [
    'a 5 sec buyer window and 36 hr auto-cancel',
    { ...defaultPolicy, buyerCancelWindowMs: 5_000, autoCancelAfterMs: 36 * 3_600_000 },
  ],
] as const;

describe('the statechart drawing (inspector and diagram --format svg)', () => {
  it('starts every transition on its source state or compound state, heading away from no other state', async () => {
    const { states, edges } = parseChart(await renderStatechart(defaultPolicy));
    expect(states.size).toBe(7);
    expect(edges.size).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const [id, { start, control }] of edges) {
      const source = id.split('-')[1]!;
      const own = states.get(source);
      if (!own) throw new Error(`no state ${source} for ${id}`);
      const [x, y] = start;
      // The start lies on or in its source's box (Graphviz clips at the border; allow for the pen's width).
      if (!inside(own, x, y, 2.5)) problems.push(`${id} starts at ${x},${y}, outside ${source}`);
      // Followed backwards from its start, the line does not come out of another state (a child of a compound
      // source counts as another state: an edge of `placed` must not seem to leave `buyerCancellable`).
      const length = Math.hypot(start[0] - control[0], start[1] - control[1]) || 1;
      const back: [number, number] = [(start[0] - control[0]) / length, (start[1] - control[1]) / length];
      for (const [key, box] of states) {
        if (lineage(source).includes(key)) continue;
        for (let t = 0; t <= 60; t += 2) {
          if (inside(box, x + back[0] * t, y + back[1] * t)) {
            problems.push(`${id} seems to leave ${key}`);
            break;
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // The transitions of `placed` itself are drawn, each from `placed`.
    for (const id of [
      'edge-placed-canceled-always-0',
      'edge-placed-shipped-always-0',
      'edge-placed-autoCanceled-*-0',
      'edge-placed-shipped-*-0',
      'edge-placed-placed-marketplace.orderCanceled-0',
    ])
      expect(edges.has(id), id).toBe(true);
  });

  it.each(policies)(
    "draws a compound state's loop from its border back to its border, outside its children, labelled clear of them (%s)",
    async (_, policy) => {
      const svg = await renderStatechart(policy);
      const { states } = parseChart(svg);
      const loops = compoundLoops(svg);
      expect([...loops.keys()]).toEqual(['edge-placed-placed-marketplace.orderCanceled-0']);
      const placed = states.get('placed')!;
      const children = Object.keys(parents).map((key) => [key, states.get(key)!] as const);
      const problems: string[] = [];
      for (const [id, { start, end, labels }] of loops) {
        for (const [name, [x, y]] of [
          ['starts', start],
          ['ends', end],
        ] as const) {
          // On the cluster's border, allowing for the pen's width: not somewhere inside `placed`.
          if (toBorder(placed, x, y) > 3) problems.push(`${id} ${name} at ${x},${y}, off the border of placed`);
          for (const [key, box] of children)
            if (inside(box, x, y)) problems.push(`${id} ${name} at ${x},${y}, inside ${key}`);
        }
        expect(labels.length, id).toBeGreaterThan(0);
        for (const label of labels)
          for (const [key, box] of children)
            if (overlaps(label, box)) problems.push(`${id}'s label ${JSON.stringify(label)} overlaps ${key}`);
      }
      expect(problems).toEqual([]);
      // The loop is one element (its two halves folded together) and says what it takes: every marketplace event.
      expect(svg).not.toContain('&#45;out"');
      expect(statechartDot()).toContain('xlabel=<marketplace.*>');
    },
  );

  it.each(policies)(
    "starts an edge of a compound state to a state inside it on the compound state's border, its line and label clear of every other state (%s)",
    async (_, policy) => {
      const svg = await renderStatechart(policy);
      const { states } = parseChart(svg);
      const inward = inwardEdges(svg);
      expect([...inward.keys()]).toEqual(['edge-placed-unshipped-marketplace.orderShipped-0']);
      const children = Object.keys(parents).map((key) => [key, states.get(key)!] as const);
      const problems: string[] = [];
      for (const [id, { start, line, labels }] of inward) {
        const [source, target] = id.split('-').slice(1, 3) as [string, string];
        const [x, y] = start;
        // On the cluster's border, allowing for the pen's width: not at an empty spot inside it, nor in a child.
        if (toBorder(states.get(source)!, x, y) > 3)
          problems.push(`${id} starts at ${x},${y}, off the border of ${source}`);
        for (const [key, box] of children) {
          if (inside(box, x, y, 1)) problems.push(`${id} starts at ${x},${y}, inside ${key}`);
          if (key !== target && line.some(([px, py]) => inside(box, px, py)))
            problems.push(`${id} runs through ${key}`);
        }
        expect(labels.length, id).toBeGreaterThan(0);
        for (const label of labels)
          for (const [key, box] of states)
            if (key !== source && overlaps(label, box))
              problems.push(`${id}'s label ${JSON.stringify(label)} overlaps ${key}`);
      }
      expect(problems).toEqual([]);
      // It is still one element under the transition's own id, so a page can highlight it.
      expect(svg.match(/id="edge&#45;placed&#45;unshipped&#45;marketplace\.orderShipped&#45;0"/g)).toHaveLength(1);
    },
  );

  it('draws every transition under its own id or an alias of a drawn one', async () => {
    const { edges } = parseChart(await renderStatechart(defaultPolicy));
    const aliases = edgeAliases();
    for (const [alias, drawn] of Object.entries(aliases)) {
      expect(edges.has(alias), alias).toBe(false);
      expect(edges.has(drawn), drawn).toBe(true);
    }
    // A buyer-cancellable loop is its own, not shared with the loops of `placed`.
    expect(aliases['edge-buyerCancellable-buyerCancellable-buyer.requestCancellation-0']).toBe(
      'edge-buyerCancellable-buyerCancellable-buyer.cancel-0',
    );
    expect(statechartDot()).toContain('"exit-placed" -> "canceled"');
  });

  it("labels the deadlines with the policy's durations in words, not milliseconds", () => {
    const dot = statechartDot({ ...defaultPolicy, buyerCancelWindowMs: 5_000, autoCancelAfterMs: 36 * 3_600_000 });
    expect(dot).toContain('5 sec after<BR/>purchase');
    expect(dot).toContain('1 day 12 hr after<BR/>latest ship date');
    expect(dot).not.toMatch(/\d ms\b/);
  });
});
