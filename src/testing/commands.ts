import fc from 'fast-check';
import type { Effect, OrderEventInput, OrderInput } from '../domain/index.js';
import {
  advanceSpecArbitrary,
  eventTemplateArbitrary,
  instantMs,
  labelPathTemplateArbitrary,
  orderInputArbitrary,
  resolveAdvance,
  resolveEvent,
  type AdvanceSpec,
  type EventTemplate,
} from './arbitraries.js';
import type { OrderDriver } from './drivers.js';
import {
  createModelOrder,
  modelNextDeadline,
  stepModel,
  type ModelEffect,
  type ModelEvent,
  type ModelInput,
  type ModelOrder,
  type ModelVerdict,
} from './model.js';
import { assertEqual, normalizeEffects, observeModel, observeSnapshot } from './observe.js';

/** The model side of a model-based run: the reference order and the clock. */
interface ModelState {
  order: ModelOrder;
  now: number;
}

/** The real side: the driver under test and, for restore runs, a twin that is never restored. */
interface RealState {
  driver: OrderDriver;
  twin?: OrderDriver;
  /** Compare effects and refusal codes too (default true); acceptance is always compared. */
  strict: boolean;
}

type OrderCommand = fc.Command<ModelState, RealState>;

function agree(
  model: ModelState,
  real: RealState,
  effects: { real: Effect[]; model: ModelEffect[]; twin?: Effect[] },
  what: string,
): void {
  const observed = observeSnapshot(real.driver.snapshot());
  assertEqual(observed, observeModel(model.order), `${what}: ${real.driver.label} and the reference model`);
  if (real.strict)
    assertEqual(
      normalizeEffects(effects.real),
      effects.model,
      `${what}: effects of ${real.driver.label} and of the model`,
    );
  if (real.twin) {
    assertEqual(
      observed,
      observeSnapshot(real.twin.snapshot()),
      `${what}: the restored and the uninterrupted ${real.driver.label}`,
    );
    assertEqual(
      normalizeEffects(effects.real),
      normalizeEffects(effects.twin ?? []),
      `${what}: effects of the restored and the uninterrupted ${real.driver.label}`,
    );
  }
}

/** Moves both sides' clocks to `to` (never backwards). */
function advanceBoth(
  model: ModelState,
  real: RealState,
  to: number,
): { real: Effect[]; model: ModelEffect[]; twin: Effect[] } {
  if (to <= model.now) return { real: [], model: [], twin: [] };
  // Deadlines are applied at their own instants, one by one, as a sweeper and a live actor apply them.
  const effects: ModelEffect[] = [];
  for (let due = modelNextDeadline(model.order); due !== null && due <= to; due = modelNextDeadline(model.order)) {
    const stepped = stepModel(model.order, { type: 'clock.tick', at: due });
    model.order = stepped.order;
    effects.push(...stepped.effects);
  }
  model.now = to;
  return { real: real.driver.advanceTo(to), model: effects, twin: real.twin?.advanceTo(to) ?? [] };
}

/** Applies, on both sides, the deadlines already due at the current time (a live actor applies them itself). */
function catchUp(model: ModelState, real: RealState): { real: Effect[]; model: ModelEffect[]; twin: Effect[] } {
  const effects: ModelEffect[] = [];
  for (
    let due = modelNextDeadline(model.order);
    due !== null && due <= model.now;
    due = modelNextDeadline(model.order)
  ) {
    const stepped = stepModel(model.order, { type: 'clock.tick', at: due });
    model.order = stepped.order;
    effects.push(...stepped.effects);
  }
  return { real: real.driver.advanceTo(model.now), model: effects, twin: real.twin?.advanceTo(model.now) ?? [] };
}

/** One event of any type; its instant and quantities are resolved when it runs. */
class EventCommand implements OrderCommand {
  private sent: OrderEventInput | undefined;
  constructor(readonly template: EventTemplate) {}
  /** Always runs: every command applies in every state (a refusal is an outcome to compare). */
  check = () => true;
  run(model: ModelState, real: RealState): void {
    const event = resolveEvent(this.template, model.order, model.now);
    this.sent = event;
    // The event happens at its instant: the clock gets there first (timers fire), then the event arrives.
    const time = advanceBoth(model, real, instantMs(event.at));
    const expected = stepModel(model.order, event as ModelEvent);
    const result = real.driver.send(event);
    const twin = real.twin?.send(event);
    model.order = expected.order;
    // An event may start a deadline that is already past (a Pending order let go late): it applies at once.
    const due = catchUp(model, real);
    agree(
      model,
      real,
      {
        real: [...time.real, ...result.effects, ...due.real],
        model: [...time.model, ...expected.effects, ...due.model],
        twin: [...time.twin, ...(twin?.effects ?? []), ...due.twin],
      },
      fc.stringify(event),
    );
    if (result.verdict) {
      // Whether the event was accepted is the machine's decision, compared in every mode: a guard that refuses
      // what the rules allow (or the reverse) shows here even when it changes nothing else (a voided label).
      // Refusal codes are the rules' wording, compared in strict mode.
      const flags = {
        ...(result.verdict.late ? { late: true as const } : {}),
        ...(result.verdict.duplicate ? { duplicate: true as const } : {}),
      };
      const code = (verdict: { accepted: boolean; code?: string | undefined }) =>
        verdict.accepted || !real.strict ? {} : { code: verdict.code as ModelVerdict['code'] };
      const verdict: ModelVerdict = { accepted: result.verdict.accepted, ...code(result.verdict), ...flags };
      const { code: _code, ...expectedWithoutCode } = expected.verdict;
      assertEqual(
        verdict,
        { ...expectedWithoutCode, ...code(expected.verdict) },
        `${fc.stringify(event)}: verdict of ${real.driver.label} and of the model`,
      );
    }
  }
  /** How fast-check prints the command in a counterexample. */
  toString = () => `${this.template.type}(${this.sent ? fc.stringify(this.sent) : fc.stringify(this.template)})`;
}

/** Time passes by some milliseconds or up to a deadline ± 1 ms; live actors wake themselves. */
class AdvanceTimeCommand implements OrderCommand {
  private to: number | undefined;
  constructor(readonly spec: AdvanceSpec) {}
  /** Always runs: every command applies in every state (a refusal is an outcome to compare). */
  check = () => true;
  run(model: ModelState, real: RealState): void {
    const to = resolveAdvance(this.spec, model.order, model.now);
    this.to = to;
    const effects = advanceBoth(model, real, to);
    agree(model, real, effects, `AdvanceTime to ${to}`);
  }
  /** How fast-check prints the command in a counterexample. */
  toString = () => `AdvanceTime(${this.to ?? fc.stringify(this.spec)})`;
}

/** Serializes the order and resumes from the text; nothing observable may change. */
class RestoreCommand implements OrderCommand {
  /** Always runs: every command applies in every state (a refusal is an outcome to compare). */
  check = () => true;
  run(model: ModelState, real: RealState): void {
    real.driver.restore();
    agree(model, real, { real: [], model: [], twin: [] }, 'serialize and restore');
  }
  /** How fast-check prints the command in a counterexample. */
  toString = () => 'SerializeRestore';
}

/** Several commands run as one (each compared with the model as it runs), shrunk as a whole. */
class SequenceCommand implements OrderCommand {
  constructor(private readonly steps: readonly OrderCommand[]) {}
  /** Always runs: every command applies in every state (a refusal is an outcome to compare). */
  check = () => true;
  run(model: ModelState, real: RealState): void {
    for (const step of this.steps) step.run(model, real);
  }
  /** How fast-check prints the command in a counterexample. */
  toString = () => this.steps.map(String).join(', ');
}

/**
 * The seller's label path as one command: time reaches the end of the buyer's window, a label is bought, voided,
 * then 0 to 2 more label events (void again, buy again, confirm shipment). With event types drawn uniformly a
 * label is rarely voided (the window must close, the order stay open and a label exist first); a guard that
 * refuses a void changes nothing but the verdict, the clock and the remembered ids, so it needs many voids.
 */
function labelRoundTripArbitrary(): fc.Arbitrary<OrderCommand> {
  return fc
    .tuple(
      fc.constantFrom(0, 1),
      labelPathTemplateArbitrary(),
      labelPathTemplateArbitrary(),
      fc.array(labelPathTemplateArbitrary(), { maxLength: 2 }),
    )
    .map(
      ([offset, buy, voiding, rest]) =>
        new SequenceCommand([
          new AdvanceTimeCommand({ to: 'windowEnd', offset }),
          new EventCommand({ ...buy, type: 'seller.generateLabel' }),
          new EventCommand({ ...voiding, type: 'seller.voidLabel' }),
          ...rest.map((template) => new EventCommand(template)),
        ]),
    );
}

/** Options of `modelBasedProperty`. */
export interface ModelRunOptions {
  /** Order inputs; defaults to `orderInputArbitrary()`. */
  inputs?: fc.Arbitrary<OrderInput>;
  /** Policy the machine applies on top of each input, which the model must apply too. */
  policy?: { buyerCancelWindowMs?: number; autoCancelAfterMs?: number };
  /** Add serialize-and-restore commands and compare with a twin that is never restored. */
  restore?: boolean;
  /** Compare effects and refusal codes (default true); states, quantities, records and acceptance are always compared. */
  strict?: boolean;
  maxCommands?: number;
}

/** The commands: events of every type (as templates), the seller's label path, AdvanceTime, and SerializeRestore when asked. */
function orderCommandsArbitrary(
  options: Pick<ModelRunOptions, 'restore' | 'maxCommands'> = {},
): fc.Arbitrary<Iterable<OrderCommand>> {
  const commands: fc.Arbitrary<OrderCommand>[] = [
    eventTemplateArbitrary().map((template) => new EventCommand(template)),
    eventTemplateArbitrary().map((template) => new EventCommand(template)),
    eventTemplateArbitrary().map((template) => new EventCommand(template)),
    labelRoundTripArbitrary(),
    advanceSpecArbitrary().map((spec) => new AdvanceTimeCommand(spec)),
  ];
  if (options.restore) commands.push(fc.constant(new RestoreCommand()));
  return fc.commands(commands, { maxCommands: options.maxCommands ?? 24, size: '+1' });
}

/**
 * A model-based property: an order from `inputs`, then random commands; after every command the driver
 * and the reference model agree on the state, remaining quantities, cancellation records, the verdict code
 * and the effects.
 * @example
 * fc.assert(modelBasedProperty(() => liveActorDriver()));
 */
export function modelBasedProperty(
  makeDriver: () => OrderDriver,
  options: ModelRunOptions = {},
): fc.IPropertyWithHooks<[OrderInput, Iterable<OrderCommand>]> {
  return fc.property(options.inputs ?? orderInputArbitrary(), orderCommandsArbitrary(options), (input, commands) => {
    const order = createModelOrder(input as ModelInput, options.policy);
    const driver = makeDriver();
    const twin = options.restore ? makeDriver() : undefined;
    driver.start(input, order.placedAt);
    twin?.start(input, order.placedAt);
    const real: RealState = { driver, strict: options.strict ?? true, ...(twin ? { twin } : {}) };
    const model: ModelState = { order, now: order.placedAt };
    try {
      agree(model, real, { real: [], model: [], twin: [] }, 'the new order');
      fc.modelRun(() => ({ model, real }), commands);
    } finally {
      driver.stop();
      twin?.stop();
    }
  });
}
