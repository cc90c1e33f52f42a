import { describe, expect, it } from 'vitest';
import { assign, createMachine, fromCallback, initialTransition, setup, spawnChild, transition } from 'xstate';
import { orderMachine } from '../../machines/order/index.js';
import { createOrder, parseEvent } from '../../src/runtime/index.js';
import { pureInitialTransition, pureTransition } from '../../src/runtime/pure.js';
import { orderInput, placedAt } from '../support/orders.js';

const MINUTE = 60_000;
const journey = [
  { type: 'clock.tick', at: placedAt + 31 * MINUTE },
  { type: 'seller.generateLabel', at: placedAt + 40 * MINUTE },
  { type: 'seller.voidLabel', at: placedAt + 41 * MINUTE },
  { type: 'buyer.cancel', at: placedAt + 42 * MINUTE },
] as const;

/** A machine that spawns a child registered under a system id on every `spawn` event. */
const spawning = setup({
  actors: { child: fromCallback(() => () => {}) },
}).createMachine({
  context: { count: 0 },
  on: {
    spawn: {
      actions: [spawnChild('child', { systemId: 'the-child' }), assign({ count: ({ context }) => context.count + 1 })],
    },
    bump: { actions: assign({ count: ({ context }) => context.count + 1 }) },
  },
});

/** A machine whose initial state invokes a child with a system id. */
const invoking = setup({ actors: { child: fromCallback(() => () => {}) } }).createMachine({
  context: { count: 0 },
  invoke: { src: 'child', systemId: 'invoked' },
  on: { bump: { actions: assign({ count: ({ context }) => context.count + 1 }) } },
});

describe("the pure step on a kept scope (pureTransition), against XState's transition()", () => {
  it('should reach the same snapshot and the same actions on the order machine, event after event', () => {
    const input = orderInput();
    const [ours, ourActions] = pureInitialTransition(orderMachine, input);
    const [theirs, theirActions] = initialTransition(orderMachine, input);
    expect(ours.context).toEqual(theirs.context);
    expect(ourActions.map((action) => action.type)).toEqual(theirActions.map((action) => action.type));
    let a = ours;
    let b = theirs;
    for (const event of journey) {
      const parsed = parseEvent(event);
      const [nextA, actionsA] = pureTransition(orderMachine, a, parsed);
      const [nextB, actionsB] = transition(orderMachine, b, parsed);
      expect(nextA.value).toEqual(nextB.value);
      expect(nextA.context).toEqual(nextB.context);
      // The same actions with the same parameters (each scope's own actor ids aside).
      const plain = (actions: typeof actionsA) => actions.map(({ type, params }) => ({ type, params }));
      expect(plain(actionsA)).toEqual(plain(actionsB));
      a = nextA;
      b = nextB;
    }
  });

  it('should give each step its own list of actions, not the previous step’s', () => {
    const { snapshot } = createOrder(orderInput());
    const [, first] = pureTransition(orderMachine, snapshot, parseEvent(journey[1]));
    const kept = [...first];
    pureTransition(orderMachine, snapshot, parseEvent(journey[1]));
    expect(first).toEqual(kept);
  });

  it('should step a machine that spawns a child with a system id again and again, as transition() does', () => {
    let snapshot = initialTransition(spawning)[0];
    for (let i = 0; i < 3; i++) {
      const [ours] = pureTransition(spawning, snapshot, { type: 'spawn' });
      const [theirs] = transition(spawning, snapshot, { type: 'spawn' });
      expect(Object.keys(ours.children)).toEqual(Object.keys(theirs.children));
      expect(ours.context).toEqual(theirs.context);
      snapshot = ours;
    }
    const [bumped] = pureTransition(spawning, snapshot, { type: 'bump' });
    expect(bumped.context.count).toBe(4);
  });

  it('should start and step a machine whose initial state invokes a child with a system id', () => {
    const [initial] = pureInitialTransition(invoking, undefined);
    expect(Object.keys(initial.children)).toHaveLength(1);
    const [again] = pureInitialTransition(invoking, undefined);
    expect(Object.keys(again.children)).toHaveLength(1);
    const [bumped] = pureTransition(invoking, initial, { type: 'bump' });
    expect(bumped.context.count).toBe(1);
  });

  it('should still step a machine with neither children nor input', () => {
    const plain = createMachine({ initial: 'a', states: { a: { on: { go: 'b' } }, b: {} } });
    const [start] = pureInitialTransition(plain, undefined);
    expect(pureTransition(plain, start, { type: 'go' })[0].value).toBe('b');
  });
});
