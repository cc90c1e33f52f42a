import type { Command } from 'commander';
import { type Lang } from '../domain/index.js';
import { renderCli } from '../domain/locales/cli.js';
import { diffContext, type ContextChange } from '../inspector/index.js';
import { applyEvent, orderStatus, serializeOrder } from '../runtime/index.js';
import { formatOutcome, outcomeJson, type Outcome } from './format.js';
import {
  cliCommand,
  exitCodes,
  jsonOption,
  langOption,
  readEventArgument,
  withEventArguments,
  storedOrder,
  withExamples,
  withService,
  withStoreOptions,
  type StoreOptions,
} from './options.js';

interface ExplainOptions extends StoreOptions {
  lang: Lang;
  json: boolean;
  maxBytes?: string;
}

/** A context change for people: `path: before -> after`, values as JSON. */
function changeText(change: ContextChange): string {
  const show = (value: unknown) => (value === undefined ? '-' : JSON.stringify(value));
  return `${change.path}: ${show(change.before)} -> ${show(change.after)}`;
}

/**
 * `order-lifecycle explain <orderId> <event-json>`: what an event would do to a stored order (verdict, status
 * before → after, effects, context changes) without storing anything. Exits 1 when the event would be refused.
 * @example
 * buildProgram().addCommand(explainCommand());
 */
export function explainCommand(): Command {
  const command = withEventArguments(
    withStoreOptions(
      cliCommand('explain').description('show what an event would do to a stored order, without storing anything'),
    ),
  )
    .addOption(langOption('language of the verdict and labels'))
    .addOption(jsonOption());
  withExamples(
    command,
    `explain 114-3941689-8772232 '{"type":"seller.cancel","at":"2026-12-01T10:00:00Z","reason":"NoInventory"}' --db orders.db`,
    'explain 114-3941689-8772232 @ship.json --db orders.db --json',
  );
  command.addHelpText(
    'after',
    '\nNothing is written: the order, its history and the outbox stay as they are. Exit status 0 when the event\nwould be accepted, 1 when it would be refused, 2 for a wrong argument (an unknown order id included).',
  );
  command.action(async (orderId: string, eventJson: string, options: ExplainOptions) => {
    const event = await readEventArgument(command, eventJson, options.maxBytes);
    const stored = await withService(command, options, (service) => storedOrder(command, service, orderId), {
      readonly: true,
    });
    const step = applyEvent(stored.snapshot, event);
    const changed = serializeOrder(step.snapshot) !== serializeOrder(stored.snapshot);
    const outcome: Outcome = {
      orderId,
      event,
      verdict: step.verdict,
      statusBefore: stored.status,
      statusAfter: orderStatus(step.snapshot),
      versionBefore: stored.version,
      versionAfter: changed ? stored.version + 1 : stored.version,
      effects: step.effects,
      offset: stored.snapshot.context.utcOffsetMinutes,
    };
    const changes = diffContext(stored.snapshot.context, step.snapshot.context);
    if (options.json) {
      process.stdout.write(
        outcomeJson(outcome, { contextChanges: changes.map(({ keys: _keys, ...change }) => change), stored: false }),
      );
    } else {
      const label = renderCli(options.lang, 'cli.context');
      const [first, ...rest] = changes.length ? changes.map(changeText) : [renderCli(options.lang, 'cli.unchanged')];
      const note = renderCli(options.lang, 'cli.explainedOnly');
      process.stdout.write(
        `${formatOutcome(outcome, options.lang, [[label, first!], ...rest.map((line) => ['', line] as const)])}${note}\n`,
      );
    }
    process.exitCode = step.verdict.accepted ? exitCodes.ok : exitCodes.refused;
  });
  return command;
}
