import { describe, expect, it } from 'vitest';
import { InvalidInputError, orderStatus, replayRecording } from '../../src/index.js';
import { minute, orderInput } from '../support/orders.js';

describe('replayRecording', () => {
  it('should replay a recorded order step by step from its creation', () => {
    const steps = replayRecording({
      input: orderInput(),
      events: [
        { type: 'seller.generateLabel', at: minute(40) },
        { type: 'seller.cancel', at: minute(41), reason: 'NoInventory' },
      ],
    });
    expect(steps.map((step) => orderStatus(step.snapshot))).toEqual([
      'buyer-cancellable',
      'label-generated',
      'label-generated',
    ]);
    expect(steps.map((step) => step.verdict.code ?? null)).toEqual([null, null, 'LABEL_GENERATED']);
    expect(steps[0]!.event).toBeNull();
  });

  it.each([
    [
      'a bad event, by its index',
      {
        input: orderInput(),
        events: [
          { type: 'clock.tick', at: minute(1) },
          { type: 'clock.tick', at: 'soon' },
        ],
      },
      /events\.1\.at: .*"soon"/,
    ],
    ['a bad input field', { input: { ...orderInput(), orderId: '' }, events: [] }, /input\.orderId: .*""/],
    ['a missing events list', { input: orderInput() }, /events: .*got nothing/],
    ['an event that is not an object', { input: orderInput(), events: [7] }, /events\.0: .*got 7/],
  ])('should name %s in its error', (_, recording, message) => {
    expect(() => replayRecording(recording)).toThrow(InvalidInputError);
    expect(() => replayRecording(recording)).toThrow(message);
  });
});
