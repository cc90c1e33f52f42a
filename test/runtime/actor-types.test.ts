import { describe, expect, expectTypeOf, it } from 'vitest';
import { SimulatedClock, type ActorRef, type AnyActorRef } from 'xstate';
import {
  createOrderActor,
  orderStatus,
  type OrderActor,
  type OrderEvent,
  type OrderSnapshot,
} from '../../src/index.js';
import { orderInput, placedAt } from '../support/orders.js';

/**
 * `useSelector` of @xstate/react 6, as it is typed: the actor needs `subscribe` and `getSnapshot`, and the selector
 * gets what `getSnapshot` returns. The repository does not depend on @xstate/react; examples/seller-console
 * type-checks the real hook (`npx tsc --noEmit -p .` there). This one selects once, which is enough to type it.
 */
function useSelector<TActor extends Pick<AnyActorRef, 'subscribe' | 'getSnapshot'> | undefined, T>(
  actor: TActor,
  selector: (snapshot: TActor extends { getSnapshot(): infer TSnapshot } ? TSnapshot : undefined) => T,
): T {
  return selector(actor?.getSnapshot());
}

describe('the type of a live order actor', () => {
  it("should be one of xstate's actor refs, whose snapshot is an OrderSnapshot", () => {
    expectTypeOf<OrderActor>().toExtend<AnyActorRef>();
    expectTypeOf<OrderActor>().toExtend<ActorRef<OrderSnapshot, OrderEvent>>();
  });

  it("should give useSelector's selector an OrderSnapshot, without a cast", () => {
    const clock = new SimulatedClock();
    clock.set(placedAt);
    const actor = createOrderActor(orderInput(), { clock });
    const snapshot = useSelector(actor, (s) => s);
    expectTypeOf(snapshot).toEqualTypeOf<OrderSnapshot>();
    expect(orderStatus(snapshot)).toBe('buyer-cancellable');
    actor.stop();
  });
});
