import type { AnyStateMachine } from 'xstate';
import { timeGuards } from '../../machines/order/index.js';
import { defaultPolicy, formatDuration, statusOfStateKey, type Policy, type StateKey } from '../domain/index.js';

/** A state of the chart: its key, the product brief's label, its parent key and kind. */
interface ChartState {
  id: string;
  key: string;
  parent: string | null;
  kind: 'compound' | 'atomic' | 'final';
  initial: boolean;
}

/** A transition of the chart; `deadline` is set for the transitions time alone takes. */
export interface ChartEdge {
  source: string;
  target: string | null;
  event: string;
  guard: string | null;
  actions: string[];
  deadline: string | null;
}

/** The statechart read from a machine definition: its states and transitions, for diagrams. */
export interface Chart {
  states: ChartState[];
  edges: ChartEdge[];
}

/**
 * "30 min", "7 days", "5 sec": a policy duration for people, as the package writes every duration (`formatDuration`).
 * @example
 * policyDuration(defaultPolicy.autoCancelAfterMs); // '7 days'
 */
function policyDuration(ms: number): string {
  return formatDuration(ms, 'en', 4);
}

type GuardLike =
  string | { type: string } | (((...args: unknown[]) => boolean) & { guards?: GuardLike[]; stateValue?: unknown });

function guardName(guard: GuardLike | undefined): string | null {
  if (guard === undefined) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    if (guard.guards) return guard.guards.map(guardName).join(' && ');
    if (guard.stateValue !== undefined) return `in(${String(guard.stateValue).replace(/^#order\./, '')})`;
    return guard.name || 'guard';
  }
  return guard.type;
}

function stateInOf(guard: GuardLike | undefined): string | null {
  if (typeof guard !== 'function') return null;
  if (guard.stateValue !== undefined)
    return String(guard.stateValue)
      .replace(/^#[^.]+\./, '')
      .split('.')
      .pop()!;
  for (const inner of guard.guards ?? []) {
    const found = stateInOf(inner);
    if (found) return found;
  }
  return null;
}

function deadlineLabel(guard: string | null, policy: Policy): string | null {
  if (guard?.includes('isAutoCancelDue')) {
    return `${policyDuration(policy.autoCancelAfterMs)} after latest ship date${guard.includes('hasShippedAny') ? ', some units shipped' : ''}`;
  }
  if (guard?.includes('hasBuyerWindowClosed')) return `${policyDuration(policy.buyerCancelWindowMs)} after purchase`;
  return null;
}

/**
 * The machine's states and transitions, read from its definition (not drawn by hand), with deadline
 * transitions labelled by the policy's durations. The docs' diagram and the inspector draw from it.
 * @example
 * const { states, edges } = describeStatechart(orderMachine);
 */
export function describeStatechart(machine: AnyStateMachine, policy: Policy = defaultPolicy): Chart {
  const states: ChartState[] = [];
  const edges: ChartEdge[] = [];
  const visit = (node: AnyStateMachine['root'], parent: string | null, initial: boolean) => {
    const kind = node.type === 'final' ? 'final' : node.type === 'compound' ? 'compound' : 'atomic';
    states.push({ id: node.id, key: node.key, parent, kind, initial });
    const draw = (
      event: string,
      transition: {
        guard?: unknown;
        target?: ReadonlyArray<{ key: string }> | undefined;
        actions?: readonly unknown[];
      },
    ) => {
      const guard = guardName(transition.guard as GuardLike | undefined);
      const deadline = deadlineLabel(guard, policy);
      // Time is checked at the head of every list (see the machine); it is drawn once, from `placed`'s `*`.
      if (
        guard &&
        timeGuards.some((name) => guard.includes(name)) &&
        !(event === '*' && deadline) &&
        event !== 'always'
      )
        return;
      if (event === 'clock.tick' && !guard) return;
      // A parent's transition guarded by in(child) is drawn from that child, which says the in(…) already.
      const child = stateInOf(transition.guard as GuardLike | undefined);
      const shown = child && guard ? guard.replace(/^in\([^)]*\)( && )?/, '') || null : guard;
      edges.push({
        source: child ?? node.key,
        target: transition.target?.[0]?.key ?? null,
        event,
        guard: shown,
        actions: (transition.actions ?? []).map((action: unknown) =>
          typeof action === 'string' ? action : ((action as { type?: string }).type ?? 'action'),
        ),
        deadline,
      });
    };
    for (const [event, transitions] of node.transitions) for (const transition of transitions) draw(event, transition);
    for (const transition of node.always ?? []) draw('always', transition);
    const initialKey = node.initial?.target?.[0]?.key;
    for (const child of Object.values(node.states)) visit(child, node.key, child.key === initialKey);
  };
  const rootInitial = machine.root.initial?.target?.[0]?.key;
  for (const child of Object.values(machine.root.states)) visit(child, null, child.key === rootInitial);
  return { states, edges };
}

function mermaidLabel(edge: ChartEdge): string {
  const when = edge.deadline ? `at ${edge.deadline}` : edge.event === 'always' ? 'when' : edge.event;
  const guard = edge.guard && !edge.deadline ? ` [${edge.guard}]` : '';
  return `${when}${guard}`.replace(/:/g, '#58;');
}

/**
 * The statechart as a Mermaid `stateDiagram-v2`, generated from the machine definition: states show the
 * product brief's names, deadline transitions the policy's durations. docs/statechart.md and
 * `order-lifecycle diagram --format mermaid` print it.
 * @example
 * const mermaid = statechartMermaid(orderMachine); // 'stateDiagram-v2\n  state "placed" as placed {…'
 */
export function statechartMermaid(machine: AnyStateMachine, policy: Policy = defaultPolicy): string {
  const { states, edges } = describeStatechart(machine, policy);
  const lines = ['stateDiagram-v2'];
  const name = (key: string) => statusOfStateKey[key as StateKey] ?? key;
  const render = (parent: string | null, indent: string) => {
    for (const state of states.filter((candidate) => candidate.parent === parent)) {
      if (state.kind === 'compound') {
        lines.push(`${indent}state "${state.key}" as ${state.key} {`);
        render(state.key, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}state "${name(state.key)}" as ${state.key}`);
      }
      if (state.initial) lines.push(`${indent}[*] --> ${state.key}`);
      if (state.kind === 'final') lines.push(`${indent}${state.key} --> [*]`);
    }
  };
  render(null, '  ');
  for (const edge of edges) {
    lines.push(`  ${edge.source} --> ${edge.target ?? edge.source}: ${mermaidLabel(edge)}`);
  }
  return lines.join('\n');
}
