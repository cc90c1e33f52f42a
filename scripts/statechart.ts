import { orderMachine } from '../machines/order/index.js';
import { statusOfStateKey, type StateKey } from '../src/domain/index.js';
import { describeStatechart, type ChartEdge } from '../src/runtime/graph.js';

function label(edge: ChartEdge): string {
  const when = edge.deadline ? `at ${edge.deadline}` : edge.event === 'always' ? 'when' : edge.event;
  const guard = edge.guard && !edge.deadline ? ` [${edge.guard}]` : '';
  return `${when}${guard}`.replace(/:/g, '#58;');
}

/** The statechart as a Mermaid stateDiagram, generated from the machine definition. */
export function renderStatechartMermaid(): string {
  const { states, edges } = describeStatechart(orderMachine);
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
    lines.push(`  ${edge.source} --> ${edge.target ?? edge.source}: ${label(edge)}`);
  }
  return lines.join('\n');
}

/** docs/statechart.md in full. */
export function renderStatechartDoc(): string {
  return [
    '# The order statechart',
    '',
    'Generated from `machines/order/machine.ts` by `npm run docs`; a test fails when it is out of date.',
    'Deadline transitions are labelled with the default policy. States show the product brief\'s names;',
    'self-loops are events that are accepted without changing state (they may still change context).',
    'Events not drawn from a state are refused there (see docs/rules.md) and change nothing but time.',
    '',
    '```mermaid',
    renderStatechartMermaid(),
    '```',
    '',
  ].join('\n');
}
