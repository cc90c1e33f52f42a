import { orderMachine } from '../../machines/order/index.js';
import { defaultPolicy, loadOptional, statusOfStateKey, type Policy } from '../domain/index.js';
import { describeStatechart, type ChartEdge } from '../runtime/index.js';

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

/**
 * The order statechart as Graphviz DOT, read from the machine definition: compound states are clusters,
 * node and edge ids carry state keys so a page can highlight the active state without re-rendering, and
 * deadline transitions are labelled with the policy's durations.
 * @example
 * const dot = statechartDot({ buyerCancelWindowMs: 30 * 60_000, autoCancelAfterMs: 7 * 86_400_000 });
 */
export function statechartDot(policy: Policy = defaultPolicy): string {
  const { states, edges } = describeStatechart(orderMachine, policy);
  const children = (parent: string | null) => states.filter((state) => state.parent === parent);
  // An edge from or to a cluster is drawn from one of its leaves and clipped at the cluster's border.
  const anchor = (key: string): { node: string; cluster?: string } => {
    const state = states.find((candidate) => candidate.key === key);
    if (state?.kind !== 'compound') return { node: key };
    const inner = children(key);
    const initial = inner.find((child) => child.initial) ?? inner[0]!;
    return { node: anchor(initial.key).node, cluster: `cluster_${key}` };
  };

  const lines: string[] = [
    'digraph order {',
    `  graph ${attrs({ rankdir: 'LR', compound: 'true', bgcolor: 'transparent', fontname: 'Helvetica', fontsize: 12, nodesep: 0.35, ranksep: 0.6, pad: 0.2 })};`,
    `  node ${attrs({ shape: 'box', style: 'rounded,filled', fillcolor: 'white', color: palette.line, fontname: 'Helvetica', fontsize: 13, fontcolor: palette.ink, margin: '0.18,0.08', penwidth: 1.4 })};`,
    `  edge ${attrs({ fontname: 'Helvetica', fontsize: 12, color: palette.line, fontcolor: palette.ink, arrowsize: 0.7 })};`,
  ];

  const drawState = (key: string, indent: string, parentCluster: string | null) => {
    const state = states.find((candidate) => candidate.key === key)!;
    if (state.kind === 'compound') {
      lines.push(`${indent}subgraph ${quote(`cluster_${key}`)} {`);
      lines.push(
        `${indent}  graph ${attrs({ id: stateElementId(key), class: 'state compound', label: stateLabel(key), labeljust: 'l', style: 'rounded,filled', fillcolor: palette.cluster, color: palette.line, fontcolor: palette.muted, fontsize: 12, penwidth: 1.4, margin: 14 })};`,
      );
      lines.push(
        `${indent}  ${quote(`initial-${key}`)} ${attrs({ shape: 'point', width: 0.12, color: palette.ink, label: '', id: `initial-${key}` })};`,
      );
      for (const child of children(key)) drawState(child.key, `${indent}  `, key);
      const initial = children(key).find((child) => child.initial);
      if (initial)
        lines.push(
          `${indent}  ${quote(`initial-${key}`)} -> ${quote(anchor(initial.key).node)} ${attrs({ arrowsize: 0.6 })};`,
        );
      lines.push(`${indent}}`);
      return;
    }
    lines.push(
      `${indent}${quote(key)} ${attrs({
        id: stateElementId(key),
        class: `state ${state.kind}`,
        label: stateLabel(key),
        peripheries: state.kind === 'final' ? 2 : undefined,
        tooltip: parentCluster ? `${parentCluster}.${key}` : key,
      })};`,
    );
  };

  lines.push(
    `  ${quote('initial')} ${attrs({ shape: 'point', width: 0.14, color: palette.ink, label: '', id: 'initial' })};`,
  );
  for (const state of children(null)) drawState(state.key, '  ', null);
  const rootInitial = children(null).find((state) => state.initial);
  if (rootInitial) {
    const to = anchor(rootInitial.key);
    lines.push(`  ${quote('initial')} -> ${quote(to.node)} ${attrs({ lhead: to.cluster, arrowsize: 0.6 })};`);
  }

  const seen = new Map<string, number>();
  const ids = edges.map((edge) => {
    const base = edgeElementId(edge);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return edgeElementId(edge, n);
  });
  const isLoop = (edge: ChartEdge) => !edge.deadline && (edge.target === null || edge.target === edge.source);
  const describe = (edge: ChartEdge) =>
    `${edge.event}${edge.guard ? ` [${edge.guard}]` : ''}${edge.actions.length ? ` / ${edge.actions.join(', ')}` : ''}`;
  // Graphviz overlaps the labels of several self-loops on one node: each node gets one loop listing them all.
  const drawnLoops = new Set<string>();
  edges.forEach((edge, index) => {
    const from = anchor(edge.source);
    const loops = isLoop(edge)
      ? edges.filter((other) => isLoop(other) && anchor(other.source).node === from.node)
      : [edge];
    if (isLoop(edge)) {
      if (drawnLoops.has(from.node)) return;
      drawnLoops.add(from.node);
    }
    const to = anchor(edge.target ?? edge.source);
    const label = edge.deadline
      ? `<<B>${html(edge.deadline)}</B>>`
      : `<${loops.map((each) => `${html(each.event)}${each.guard ? `<BR/><FONT POINT-SIZE="11" COLOR="${palette.muted}">[${html(each.guard)}]</FONT>` : ''}`).join('<BR/>')}>`;
    lines.push(
      `  ${quote(from.node)} -> ${quote(to.node)} ${attrs({
        id: ids[index],
        class: `transition${edge.deadline ? ' deadline' : ''}${isLoop(edge) ? ' self' : ''}`,
        label,
        ltail: from.cluster,
        lhead: isLoop(edge) ? undefined : to.cluster,
        tailport: isLoop(edge) ? 'n' : undefined,
        headport: isLoop(edge) ? 'n' : undefined,
        style: edge.deadline ? 'dashed' : undefined,
        color: edge.deadline ? palette.deadline : undefined,
        fontcolor: edge.deadline ? palette.deadline : undefined,
        tooltip: loops.map(describe).join('\n'),
      })};`,
    );
  });
  lines.push('}');
  return lines.join('\n');
}

/**
 * Which drawn edge shows each transition: the self-loops of one state share one drawn loop, so a page
 * highlighting `edge-unshipped-unshipped-seller.cancel-0` finds it under the first loop's id.
 * @example
 * edgeAliases()['edge-unshipped-unshipped-seller.cancel-0']; // 'edge-unshipped-unshipped-buyer.requestCancellation-0'
 */
export function edgeAliases(policy: Policy = defaultPolicy): Record<string, string> {
  const { edges } = describeStatechart(orderMachine, policy);
  const seen = new Map<string, number>();
  const firstLoop = new Map<string, string>();
  const aliases: Record<string, string> = {};
  for (const edge of edges) {
    const base = edgeElementId(edge);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    if (edge.deadline || (edge.target !== null && edge.target !== edge.source)) continue;
    const id = edgeElementId(edge, n);
    const first = firstLoop.get(edge.source);
    if (first === undefined) firstLoop.set(edge.source, id);
    else aliases[id] = first;
  }
  return aliases;
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
 * optional peer dependency @hpcc-js/wasm-graphviz, else the promise rejects with MissingDependencyError.
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
  const svg = (await graphviz).dot(statechartDot(policy));
  // The XML prologue and doctype are useless inline in HTML.
  const inline = svg.slice(svg.indexOf('<svg'));
  rendered.set(key, inline);
  return inline;
}
