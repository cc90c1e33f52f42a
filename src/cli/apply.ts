import type { Command } from 'commander';
import { describe, MAX_IDEMPOTENCY_KEY_LENGTH, textProblem, type Lang } from '../domain/index.js';
import { formatOutcome, outcomeJson } from './format.js';
import {
  cliCommand,
  exitCodes,
  jsonOption,
  langOption,
  readEventArgument,
  withEventArguments,
  storedOrder,
  usageError,
  withExamples,
  withService,
  withStoreOptions,
  type StoreOptions,
} from './options.js';

interface ApplyOptions extends StoreOptions {
  idempotencyKey?: string;
  lang: Lang;
  json: boolean;
  maxBytes?: string;
}

/**
 * `order-lifecycle apply <orderId> <event-json>`: applies an event to a stored order through `service.apply`
 * and prints status before → after, the verdict and the effects. Exits 1 when the event is refused.
 * @example
 * buildProgram().addCommand(applyCommand());
 */
export function applyCommand(): Command {
  const command = withEventArguments(
    withStoreOptions(
      cliCommand('apply').description(
        'apply an event to a stored order through the order service and print the verdict',
      ),
    ),
  )
    .option(
      '--idempotency-key <key>',
      'a request key (1 to 255 characters): the same key again returns the first result and applies nothing',
    )
    .addOption(langOption('language of the verdict and labels'))
    .addOption(jsonOption());
  withExamples(
    command,
    `apply 114-3941689-8772232 '{"type":"seller.generateLabel","at":"2026-12-01T10:00:00Z"}' --db orders.db`,
    `echo '{"type":"seller.confirmShipment","at":"2026-12-01T12:00:00Z"}' | order-lifecycle apply 114-3941689-8772232 - --db orders.db --idempotency-key ship-1 --json`,
  );
  command.addHelpText(
    'after',
    '\nA refused event is stored in the history too (time still passes for the order). Exit status 0 when the event\nis accepted, 1 when it is refused, 2 for a wrong argument (an unknown order id included), 3 when the store fails.',
  );
  command.action(async (orderId: string, eventJson: string, options: ApplyOptions) => {
    const event = await readEventArgument(command, eventJson, options.maxBytes);
    const key = options.idempotencyKey;
    // The service's own bounds, checked here to say which option is wrong.
    const problem =
      key === undefined
        ? undefined
        : key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH
          ? `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`
          : textProblem(key, { max: MAX_IDEMPOTENCY_KEY_LENGTH });
    if (problem !== undefined) usageError(command, `--idempotency-key ${problem} (got ${describe(key)})`);
    const { before, result } = await withService(command, options, async (service) => {
      const before = await storedOrder(command, service, orderId);
      const result = await service.apply(orderId, event, key === undefined ? {} : { idempotencyKey: key });
      return { before, result };
    });
    const outcome = {
      orderId,
      event,
      verdict: result.verdict,
      statusBefore: before.status,
      statusAfter: result.status,
      versionBefore: before.version,
      versionAfter: result.version,
      effects: result.effects,
      offset: before.snapshot.context.utcOffsetMinutes,
    };
    process.stdout.write(options.json ? outcomeJson(outcome, { stored: true }) : formatOutcome(outcome, options.lang));
    process.exitCode = result.verdict.accepted ? exitCodes.ok : exitCodes.refused;
  });
  return command;
}
