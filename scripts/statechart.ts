import { orderMachine } from '../machines/order/index.js';
import { statechartMermaid } from '../src/runtime/graph.js';

/** The statechart as a Mermaid stateDiagram, generated from the machine definition. */
export function renderStatechartMermaid(): string {
  return statechartMermaid(orderMachine);
}

/** docs/statechart.md in full. */
export function renderStatechartDoc(): string {
  return [
    '# The order statechart',
    '',
    'Generated from `machines/order/machine.ts` by `npm run docs`; a test fails when it is out of date.',
    "Deadline transitions are labelled with the default policy. States show the product brief's names;",
    'self-loops are events that are accepted without changing state (they may still change context).',
    'Events not drawn from a state are refused there (see docs/rules.md) and change nothing but time.',
    '',
    '```mermaid',
    renderStatechartMermaid(),
    '```',
    '',
  ].join('\n');
}
