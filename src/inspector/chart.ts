import { orderMachine } from '../../machines/order/index.js';
import { defaultPolicy, loadOptional, statusOfStateKey, type Policy } from '../domain/index.js';
import { describeStatechart, type ChartEdge } from '../runtime/index.js';

type Chart = ReturnType<typeof describeStatechart>;

/**
 * The SVG element id of a state's node (or of the cluster of a compound state).
 * @example
 * document.getElementById(stateElementId('labelGenerated'))?.classList.add('active');
 */
export function stateElementId(key: string): string {
  return `state-${key}`;
}

/**
 * The SVG element id of a transition: `edge-<source>-<target or source>-<event>-<n>`.
 * @example
 * edgeElementId({ source: 'unshipped', target: 'labelGenerated', event: 'seller.generateLabel' }); // 'edge-unshipped-labelGenerated-seller.generateLabel-0'
 */
export function edgeElementId(edge: Pick<ChartEdge, 'source' | 'target' | 'event'>, n = 0): string {
  return `edge-${edge.source}-${edge.target ?? edge.source}-${edge.event}-${n}`;
}

const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const html = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const attrs = (entries: Record<string, string | number | undefined>) =>
  `[${Object.entries(entries)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) =>
      typeof value === 'string' && value.startsWith('<') ? `${key}=${value}` : `${key}=${quote(String(value))}`,
    )
    .join(', ')}]`;

const palette = {
  ink: '#1f2933',
  muted: '#52606d',
  line: '#9aa5b1',
  deadline: '#b7791f',
  cluster: '#f5f7fa',
};

/** A state's label for people: the product brief's name (`label-generated`), else its key. */
function stateLabel(key: string): string {
  return (statusOfStateKey as Record<string, string>)[key] ?? key;
}

/** An event's name in lines no longer than about 20 characters: a long name breaks after its dot. */
function eventLines(event: string): string[] {
  const dot = event.indexOf('.');
  return event.length > 20 && dot > 0 ? [event.slice(0, dot + 1), event.slice(dot + 1)] : [event];
}
const eventLabel = (event: string) => eventLines(event).map(html).join('<BR/>');

/** One drawn edge: the transitions it shows (several when they share a source and a target), and its id. */
interface DrawnEdge {
  id: string;
  edges: ChartEdge[];
  ids: string[];
  tail: string;
  head: string;
  loop: boolean;
}

/** The node an edge from a state leaves: a compound state's exit anchor (on its cluster's far side), else itself. */
const exitNode = (key: string) => `exit-${key}`;

/**
 * The three points a compound state's loop is drawn through: it leaves the cluster's border from `out` (inside), turns
 * at `turn` (outside, below the cluster) and comes back across the border to `in` (inside).
 */
const loopNodes = (key: string) => ({ out: `loop-out-${key}`, turn: `loop-${key}`, in: `loop-in-${key}` });

/** The id of the part of a compound state's loop that leaves the cluster; the rendered SVG folds it into the loop. */
const outwardId = (id: string) => `${id}-out`;

/**
 * A loop's label when its events are every event of one namespace (`marketplace.orderCanceled`,
 * `marketplace.orderShipped`, `marketplace.statusReported`): the namespace and `.*`, else undefined.
 */
function namespaceLabel(loop: ChartEdge[], all: ChartEdge[]): string | undefined {
  const events = new Set(loop.map((edge) => edge.event));
  const namespaces = new Set([...events].map((event) => event.slice(0, event.indexOf('.') + 1)));
  const [namespace] = namespaces;
  if (namespaces.size !== 1 || !namespace || events.size < 2) return undefined;
  const everyOne = all.filter((edge) => edge.event.startsWith(namespace)).every((edge) => events.has(edge.event));
  return everyOne ? `${namespace}*` : undefined;
}

/**
 * How the chart draws the machine's transitions: one drawn edge per source and target (its label lists the events),
 * deadline transitions each on their own (dashed), and one loop per state for its self-transitions. A transition of
 * a compound state leaves from the compound state's own exit anchor, never from one of its children (its loop is
 * drawn apart, across the cluster's border: see statechartDot).
 */
function drawnEdges(chart: Chart): DrawnEdge[] {
  const { states, edges } = chart;
  const compound = new Set(states.filter((state) => state.kind === 'compound').map((state) => state.key));
  const seen = new Map<string, number>();
  const ids = edges.map((edge) => {
    const base = edgeElementId(edge);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return edgeElementId(edge, n);
  });
  const drawn = new Map<string, DrawnEdge>();
  edges.forEach((edge, index) => {
    const loop = !edge.deadline && (edge.target === null || edge.target === edge.source);
    const target = edge.target ?? edge.source;
    const tail = compound.has(edge.source) ? exitNode(edge.source) : edge.source;
    const head = loop ? tail : target;
    const group = edge.deadline ? `deadline:${ids[index]!}` : `${tail}->${head}`;
    const existing = drawn.get(group);
    if (existing) {
      existing.edges.push(edge);
      existing.ids.push(ids[index]!);
    } else drawn.set(group, { id: ids[index]!, edges: [edge], ids: [ids[index]!], tail, head, loop });
  });
  return [...drawn.values()];
}

/**
 * The order statechart as Graphviz DOT, read from the machine definition: compound states are clusters,
 * node and edge ids carry state keys so a page can highlight the active state without re-rendering, and
 * deadline transitions are labelled with the policy's durations. A compound state's own transitions leave from an
 * invisible anchor at its cluster's far side (clipped to the cluster's border), so none seems to leave a child; one to
 * a state inside it cannot be clipped there and is classed `inward`, for renderStatechart to start it on the border; its
 * loop leaves the cluster's bottom border and comes back to it, labelled outside (`marketplace.*` when it takes every
 * event of a namespace), drawn as two edges through a turning point below the cluster, `<id>-out` and `<id>`.
 * @example
 * const dot = statechartDot({ buyerCancelWindowMs: 30 * 60_000, autoCancelAfterMs: 7 * 86_400_000 });
 */
export function statechartDot(policy: Policy = defaultPolicy): string {
  const chart = describeStatechart(orderMachine, policy);
  const { states } = chart;
  const children = (parent: string | null) => states.filter((state) => state.parent === parent);
  const isCompound = (key: string) => states.find((candidate) => candidate.key === key)?.kind === 'compound';
  // Whether a state is `ancestor` or lies inside it.
  const within = (key: string | null | undefined, ancestor: string): boolean =>
    key === ancestor || (!!key && within(states.find((state) => state.key === key)?.parent, ancestor));
  // An edge into a cluster is drawn to its initial leaf and clipped at the cluster's border.
  const entry = (key: string): { node: string; cluster?: string } => {
    if (!isCompound(key)) return { node: key };
    const inner = children(key);
    const initial = inner.find((child) => child.initial) ?? inner[0]!;
    return { node: entry(initial.key).node, cluster: `cluster_${key}` };
  };

  const lines: string[] = [
    'digraph order {',
    // newrank: a compound state's loop ranks its turning point (outside the cluster) with a child; nodesep and pad are
    // small enough that the chart, loop included, fits the inspector's pane at 1280x800 with 12 px labels.
    `  graph ${attrs({ rankdir: 'LR', compound: 'true', newrank: 'true', bgcolor: 'transparent', fontname: 'Helvetica', fontsize: 12, nodesep: 0.2, ranksep: 0.3, pad: 0.03 })};`,
    `  node ${attrs({ shape: 'box', style: 'rounded,filled', fillcolor: 'white', color: palette.line, fontname: 'Helvetica', fontsize: 12, fontcolor: palette.ink, margin: '0.12,0.05', height: 0.4, penwidth: 1.4 })};`,
    `  edge ${attrs({ fontname: 'Helvetica', fontsize: 12, color: palette.line, fontcolor: palette.ink, arrowsize: 0.7 })};`,
  ];

  const drawn = drawnEdges(chart);
  // Graphviz keeps no room beside a state for its loop's label: a state is made as wide as its loop's longest line
  // (12 pt Helvetica, about 6 pt a character), so the label never reaches into the next column's labels.
  const loopWidth = new Map<string, number>();
  for (const edge of drawn)
    if (edge.loop && !isCompound(edge.edges[0]!.source))
      loopWidth.set(
        edge.tail,
        (Math.max(...edge.edges.flatMap((each) => eventLines(each.event).map((line) => line.length))) * 6) / 72,
      );
  const drawState = (key: string, indent: string, parentCluster: string | null) => {
    const state = states.find((candidate) => candidate.key === key)!;
    if (state.kind === 'compound') {
      lines.push(`${indent}subgraph ${quote(`cluster_${key}`)} {`);
      lines.push(
        `${indent}  graph ${attrs({ id: stateElementId(key), class: 'state compound', label: stateLabel(key), labeljust: 'l', style: 'rounded,filled', fillcolor: palette.cluster, color: palette.line, fontcolor: palette.muted, fontsize: 13, penwidth: 1.4, margin: 10 })};`,
      );
      lines.push(
        `${indent}  ${quote(`initial-${key}`)} ${attrs({ shape: 'point', width: 0.12, color: palette.ink, label: '', id: `initial-${key}` })};`,
      );
      for (const child of children(key)) drawState(child.key, `${indent}  `, key);
      if (loops.has(key)) {
        const loop = loopNodes(key);
        for (const node of [loop.out, loop.in])
          lines.push(`${indent}  ${quote(node)} ${attrs({ shape: 'point', width: 0.01, style: 'invis', id: node })};`);
      }
      // The anchor the compound state's own transitions leave from: after its last child, so on the cluster's far side.
      lines.push(
        `${indent}  ${quote(exitNode(key))} ${attrs({ shape: 'box', width: loopWidth.get(exitNode(key))?.toFixed(2) ?? 0.01, height: 0.01, fixedsize: 'true', style: 'invis', label: '', id: exitNode(key) })};`,
      );
      const inner = children(key);
      const initial = inner.find((child) => child.initial);
      if (initial)
        lines.push(
          `${indent}  ${quote(`initial-${key}`)} -> ${quote(entry(initial.key).node)} ${attrs({ arrowsize: 0.6 })};`,
        );
      const last = inner[inner.length - 1];
      if (last) lines.push(`${indent}  { rank="same"; ${quote(entry(last.key).node)}; ${quote(exitNode(key))}; }`);
      lines.push(`${indent}}`);
      return;
    }
    lines.push(
      `${indent}${quote(key)} ${attrs({
        id: stateElementId(key),
        class: `state ${state.kind}`,
        label: stateLabel(key),
        peripheries: state.kind === 'final' ? 2 : undefined,
        width: loopWidth.get(key)?.toFixed(2),
        tooltip: parentCluster ? `${parentCluster}.${key}` : key,
      })};`,
    );
  };

  // The compound states with a loop of their own.
  const loops = new Set(
    drawn.filter((edge) => edge.loop && isCompound(edge.edges[0]!.source)).map((edge) => edge.edges[0]!.source),
  );
  lines.push(
    `  ${quote('initial')} ${attrs({ shape: 'point', width: 0.14, color: palette.ink, label: '', id: 'initial' })};`,
  );
  for (const state of children(null)) drawState(state.key, '  ', null);
  const rootInitial = children(null).find((state) => state.initial);
  if (rootInitial) {
    const to = entry(rootInitial.key);
    lines.push(`  ${quote('initial')} -> ${quote(to.node)} ${attrs({ lhead: to.cluster, arrowsize: 0.6 })};`);
  }

  const describe = (edge: ChartEdge) =>
    `${edge.event}${edge.guard ? ` [${edge.guard}]` : ''}${edge.actions.length ? ` / ${edge.actions.join(', ')}` : ''}`;
  const guard = (edge: ChartEdge) =>
    edge.guard ? `<BR/><FONT COLOR="${palette.muted}">[${html(edge.guard)}]</FONT>` : '';
  for (const drawnEdge of drawn) {
    const [first] = drawnEdge.edges as [ChartEdge];
    const deadline = first.deadline;
    // A loop lists its events once each (their guards are in the tooltip); an edge lists each event with its guard.
    const events = drawnEdge.loop
      ? [...new Set(drawnEdge.edges.map((edge) => eventLabel(edge.event)))]
      : drawnEdge.edges.map((edge) => `${eventLabel(edge.event)}${guard(edge)}`);
    const label = deadline
      ? `<<B>${html(deadline)
          .replace(/, /g, ',<BR/>')
          .replace(/ after /, ' after<BR/>')}</B>>`
      : `<${events.join('<BR/>').replace(/ &amp;&amp; /g, ' &amp;&amp;<BR/>')}>`;
    const source = first.source;
    const target = first.target ?? first.source;
    if (drawnEdge.loop && loops.has(source)) {
      // A loop of a compound state cannot be one Graphviz edge: an edge is clipped at a cluster it leaves or enters,
      // never at one that holds both its ends. It leaves the border from an anchor ranked with the next-to-last
      // child, turns at a point below the cluster ranked with the last child, and comes back across the border to an
      // anchor there; the turning point is a tall invisible box whose centre both halves reach, so the loop has depth.
      const loop = loopNodes(source);
      const inner = children(source);
      const last = entry(inner[inner.length - 1]!.key).node;
      const before = entry((inner[inner.length - 2] ?? inner[0]!).key).node;
      const cluster = `cluster_${source}`;
      const wildcard = namespaceLabel(drawnEdge.edges, chart.edges);
      lines.push(
        `  ${quote(loop.turn)} ${attrs({ shape: 'box', width: 0.01, height: 0.3, fixedsize: 'true', style: 'invis', label: '', id: loop.turn })};`,
        `  { rank="same"; ${quote(before)}; ${quote(loop.out)}; }`,
        `  { rank="same"; ${quote(last)}; ${quote(loop.in)}; ${quote(loop.turn)}; }`,
        `  ${quote(loop.out)} -> ${quote(loop.turn)} ${attrs({ id: outwardId(drawnEdge.id), class: 'transition self', ltail: cluster, headclip: 'false', arrowhead: 'none' })};`,
        `  ${quote(loop.turn)} -> ${quote(loop.in)} ${attrs({
          id: drawnEdge.id,
          class: 'transition self',
          xlabel: wildcard === undefined ? label : `<${html(wildcard)}>`,
          lhead: cluster,
          tailclip: 'false',
          tooltip: drawnEdge.edges.map(describe).join('\n'),
        })};`,
      );
      continue;
    }
    // Graphviz cannot clip an edge at a cluster that holds both its ends: an edge of a compound state to a state
    // inside it is marked `inward`, and renderStatechart starts it on the cluster's border (see startOnBorder).
    const inward = isCompound(source) && !drawnEdge.loop && target !== source && within(target, source);
    const leavesCluster = isCompound(source) && !inward;
    const head = drawnEdge.loop ? { node: drawnEdge.head } : entry(target);
    lines.push(
      `  ${quote(drawnEdge.tail)} -> ${quote(head.node)} ${attrs({
        id: drawnEdge.id,
        class: `transition${deadline ? ' deadline' : ''}${drawnEdge.loop ? ' self' : ''}${inward ? ' inward' : ''}`,
        label,
        ltail: leavesCluster && !drawnEdge.loop ? `cluster_${source}` : undefined,
        lhead: drawnEdge.loop ? undefined : head.cluster,
        style: deadline ? 'dashed' : undefined,
        color: deadline ? palette.deadline : undefined,
        fontcolor: deadline ? palette.deadline : undefined,
        tooltip: drawnEdge.edges.map(describe).join('\n'),
      })};`,
    );
  }
  lines.push('}');
  return lines.join('\n');
}

/**
 * Which drawn edge shows each transition: the self-loops of one state share one drawn loop, and the transitions
 * with the same source and target one edge, so a page highlighting `edge-unshipped-unshipped-seller.cancel-0`
 * finds it under the first one's id.
 * @example
 * edgeAliases()['edge-unshipped-unshipped-seller.cancel-0']; // 'edge-unshipped-unshipped-buyer.cancel-0'
 */
export function edgeAliases(policy: Policy = defaultPolicy): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const drawn of drawnEdges(describeStatechart(orderMachine, policy)))
    for (const id of drawn.ids) if (id !== drawn.id) aliases[id] = drawn.id;
  return aliases;
}

/**
 * Graphviz's SVG with the outward half of each compound state's loop (the edge `<id>-out`) moved into the loop's own
 * group, before its other half: one element per loop, so a page highlights the whole of it by its id.
 */
function foldLoops(svg: string): string {
  const outward =
    /<!-- [^>]*-->\n<g id="([^"]+)&#45;out" class="[^"]*">\n<title>[^<]*<\/title>\n(<path [^>]*\/>)\n<\/g>\n/g;
  let folded = svg;
  for (const [whole, id, path] of svg.matchAll(outward)) {
    const group = folded.indexOf(`<g id="${id!}" `);
    const first = group < 0 ? -1 : folded.indexOf('<path ', group);
    if (first < 0) continue;
    folded = folded.slice(0, first) + `${path!}\n` + folded.slice(first);
    folded = folded.replace(whole, '');
  }
  return folded;
}

/** How far above (or below) its anchor an inward edge starts to turn, in points: the radius of its bend. */
const inwardBend = 20;

/**
 * Graphviz's SVG with each inward edge (class `inward`: a compound state's transition to a state inside it) starting
 * on the compound state's border. Graphviz draws it from the invisible anchor inside the cluster, which is no border;
 * the line is made to start on the border straight above the anchor (below it, when the bottom border is nearer), run
 * to within `inwardBend` of the anchor and turn there, pulled by the anchor, into the rest of Graphviz's route.
 */
function startOnBorder(svg: string): string {
  const inward =
    /(<g id="edge&#45;(\w+)&#45;[^"]*" class="[^"]*\binward\b[^"]*">[\s\S]*?<path [^>]*?d=")M(-?[\d.]+),(-?[\d.]+)C-?[\d.]+,-?[\d.]+ /g;
  const round = (value: number) => Number(value.toFixed(2));
  return svg.replace(inward, (whole, head: string, key: string, startX: string, startY: string) => {
    const outline = new RegExp(
      `<g id="state&#45;${key}" class="cluster[^"]*">\\n<title>[^<]*</title>\\n<path [^>]*?d="([^"]+)"`,
    ).exec(svg);
    if (!outline) return whole;
    const ys = [...outline[1]!.matchAll(/-?[\d.]+,(-?[\d.]+)/g)].map((pair) => Number(pair[1]));
    const [top, bottom] = [Math.min(...ys), Math.max(...ys)];
    const [x, y] = [Number(startX), Number(startY)];
    const border = y - top <= bottom - y ? top : bottom;
    // Where the straight part ends and the turn begins; the turn's first control point is the anchor itself.
    const turn = y - Math.sign(y - border) * Math.min(inwardBend, Math.abs(y - border));
    const third = (turn - border) / 3;
    return `${head}M${x},${border}C${x},${round(border + third)} ${x},${round(turn - third)} ${x},${round(turn)} ${x},${y} `;
  });
}

/**
 * What the chart takes of @hpcc-js/wasm-graphviz, declared here so that the package's types do not name it (an app
 * without it would fail to compile them); the module's own type is checked against it where it is imported.
 */
interface GraphvizModule {
  Graphviz: { load(): Promise<{ dot(source: string): string }> };
}

let graphvizModule: Promise<GraphvizModule> | undefined;
let graphviz: Promise<{ dot(source: string): string }> | undefined;
const rendered = new Map<string, string>();

/**
 * The optional peer dependency @hpcc-js/wasm-graphviz (ESM, so imported), or a MissingDependencyError naming
 * `feature`. A failed import is not kept: a later call tries again.
 */
export function loadGraphviz(feature: string): Promise<GraphvizModule> {
  graphvizModule ??= loadOptional('@hpcc-js/wasm-graphviz', feature, () => import('@hpcc-js/wasm-graphviz')).catch(
    (error: unknown) => {
      graphvizModule = undefined;
      throw error;
    },
  );
  return graphvizModule;
}

/**
 * Renders the order statechart to SVG with Graphviz compiled to WebAssembly (loaded on first use, offline): the
 * optional peer dependency @hpcc-js/wasm-graphviz, else the promise rejects with MissingDependencyError. Graphviz's
 * drawing is finished here: a compound state's loop is one element, and its edges to states inside it start on its border.
 * @example
 * const svg = await renderStatechart(defaultPolicy); // '<svg ...><g id="state-unshipped" ...'
 */
export async function renderStatechart(policy: Policy = defaultPolicy): Promise<string> {
  const key = `${policy.buyerCancelWindowMs}/${policy.autoCancelAfterMs}`;
  const cached = rendered.get(key);
  if (cached !== undefined) return cached;
  graphviz ??= loadGraphviz('renderStatechart')
    .then(({ Graphviz }) => Graphviz.load())
    .catch((error: unknown) => {
      graphviz = undefined;
      throw error;
    });
  const svg = startOnBorder(foldLoops((await graphviz).dot(statechartDot(policy))));
  // The XML prologue and doctype are useless inline in HTML.
  const inline = svg.slice(svg.indexOf('<svg'));
  rendered.set(key, inline);
  return inline;
}
