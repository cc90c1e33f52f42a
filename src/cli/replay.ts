import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import { MACHINE_VERSION } from '../../machines/order/index.js';
import { type Lang, type OrderInput, type Verdict } from '../domain/index.js';
import { renderCli } from '../domain/locales/cli.js';
import { orderStatus, replayRecording, type ReplayStep } from '../runtime/index.js';
import type { HistoryRow } from '../service/index.js';
import { counted, effectsText, eventJson, formatStep, statusText, verdictMark } from './format.js';
import {
  CliFailure,
  cliCommand,
  exitCodes,
  jsonOption,
  langOption,
  notADirectory,
  oneLine,
  storedHistory,
  usageError,
  withExamples,
  withService,
  withStoreOptions,
  type StoreOptions,
} from './options.js';

interface ReplayOptions extends StoreOptions {
  lang: Lang;
  json: boolean;
}

/** One stored history row next to what the current machine says of the same event. */
interface Compared {
  seq: number;
  row: HistoryRow;
  step: ReplayStep;
  /** What differs: `verdict` (accepted, code or flags), `message`, `status`, `effects`; empty when reproduced. */
  differences: Difference[];
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const decision = (verdict: Verdict) => plain({ ...verdict, message: undefined });

/** Replays a stored history on the current machine and compares every row with its replayed step. */
function compareHistory(orderId: string, rows: readonly HistoryRow[]): Compared[] {
  const first = rows[0];
  if (first?.event.type !== 'order.place')
    throw new CliFailure(
      `stored order ${JSON.stringify(orderId)} cannot be replayed: its history does not start with order.place`,
    );
  let steps: ReplayStep[];
  try {
    steps = replayRecording({ input: first.event.input as OrderInput, events: rows.slice(1).map((row) => row.event) });
  } catch (error) {
    throw new CliFailure(`stored order ${JSON.stringify(orderId)} cannot be replayed: ${oneLine(error)}`);
  }
  return rows.map((row, index) => {
    const step = steps[index]!;
    const differences = (
      [
        isDeepStrictEqual(decision(row.verdict), decision(step.verdict)) ? '' : 'verdict',
        isDeepStrictEqual(plain(row.verdict.message), plain(step.verdict.message)) ? '' : 'message',
        row.statusAfter === orderStatus(step.snapshot) ? '' : 'status',
        isDeepStrictEqual(plain(row.effects), plain(step.effects)) ? '' : 'effects',
      ] as const
    ).filter((difference): difference is Difference => difference !== '');
    return { seq: row.seq, row, step, differences };
  });
}

/** What a stored step can differ in: `verdict`, `message`, `status`, `effects`. */
type Difference = 'verdict' | 'message' | 'status' | 'effects';

function formatCompared(orderId: string, compared: readonly Compared[], lang: Lang): string {
  const lines = compared.map(({ row, step, differences }, index) => {
    const parts = differences.map((part) => renderCli(lang, `cli.replay.part.${part}`));
    const mark = differences.length
      ? renderCli(lang, 'cli.replay.differs', { parts: parts.join(renderCli(lang, 'cli.listSeparator')) })
      : renderCli(lang, 'cli.replay.same');
    const stored = differences.length
      ? `\n      ${renderCli(lang, 'cli.storedStep', {
          label: renderCli(lang, 'cli.replay.stored'),
          mark: verdictMark(row.verdict, lang),
          after: statusText(row.statusAfter, lang),
          message: row.verdict.message[lang],
          effects: effectsText(row.effects, lang),
        })}`
      : '';
    return `${formatStep(step, index, lang)}\n      ${mark}${stored}`;
  });
  const bad = compared.filter((each) => each.differences.length).length;
  const count = compared.length;
  const title = renderCli(lang, 'cli.replay.title', {
    orderId,
    steps: counted(lang, 'cli.replay.storedSteps', count),
    version: MACHINE_VERSION,
  });
  const verdict = bad
    ? renderCli(lang, 'cli.replay.some', { bad, count })
    : renderCli(lang, 'cli.replay.all', { count });
  return `${title}\n${lines.join('\n')}\n${verdict}\n`;
}

function comparedJson(orderId: string, compared: readonly Compared[]): string {
  return `${JSON.stringify(
    {
      orderId,
      machineVersion: MACHINE_VERSION,
      reproduced: compared.every((each) => each.differences.length === 0),
      steps: compared.map(({ seq, row, step, differences }) => ({
        seq,
        event: row.event.type === 'order.place' ? row.event : eventJson(row.event as Record<string, unknown>),
        reproduced: differences.length === 0,
        differences,
        stored: {
          verdict: row.verdict,
          statusAfter: row.statusAfter,
          effects: row.effects,
          machineVersion: row.machineVersion,
        },
        replayed: { verdict: step.verdict, statusAfter: orderStatus(step.snapshot), effects: step.effects },
      })),
    },
    null,
    2,
  )}\n`;
}

/**
 * `order-lifecycle replay <source>`: replays a recorded order file (`{ input, events }`) and prints each verdict;
 * with `--db` or `--database-url`, replays a stored order's history by id through the current machine and
 * reports whether every stored verdict is reproduced (exit 1 when one is not).
 * @example
 * buildProgram().addCommand(replayCommand());
 */
export function replayCommand(): Command {
  const command = withStoreOptions(
    cliCommand('replay').description(
      "replay a recorded order file, or (with --db/--database-url) a stored order's history, and print each verdict",
    ),
    'a SQLite order store file: <source> is then an order id whose stored history is replayed',
  )
    .argument(
      '<source>',
      'a recorded order JSON file ({ input, events }, { snapshot, restoredAt, events } for a restored order, or an array of them); with --db or --database-url, an order id',
    )
    .addOption(langOption())
    .addOption(jsonOption());
  withExamples(
    command,
    'replay docs/examples/recorded-order.json',
    'replay 114-3941689-8772232 --db orders.db',
    'replay 114-3941689-8772232 --database-url postgres://postgres@127.0.0.1:5432/test --json',
  );
  command.addHelpText(
    'after',
    '\nA stored order is replayed from its order.place row, event after event, on the machine of this version; each\nstep is compared with the stored verdict (decision and message), status after and effects. Nothing is written.\nExit status 0 when every stored verdict is reproduced, 1 when one is not, 2 for a wrong argument.',
  );
  command.action(async (source: string, options: ReplayOptions) => {
    if (options.db === undefined && options.databaseUrl === undefined) {
      // An order id where a file was expected: the stored history needs a store to read it from.
      if (!existsSync(source) && /^[\w-]+$/.test(source))
        usageError(
          command,
          `replay: ${JSON.stringify(source)} is not a file; to replay a stored order's history by id, add --db <file> or --database-url <url>`,
        );
      notADirectory(command, source, {
        label: 'replay',
        wanted: 'a recorded order JSON file, or an order id with --db',
      });
      const { readRecordingFile } = await import('../inspector/index.js');
      const recordings = await readRecordingFile(source);
      if (options.json) {
        const json = recordings.map((recording) => ({
          name: recording.name,
          steps: recording.steps.map((step) => ({
            event: step.event ? eventJson(step.event) : null,
            verdict: step.verdict,
            status: orderStatus(step.snapshot),
            effects: step.effects,
          })),
        }));
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        return;
      }
      for (const recording of recordings) {
        const lines = recording.steps.map((step, index) => formatStep(step, index, options.lang));
        process.stdout.write(`${recording.name}\n${lines.join('\n')}\n`);
      }
      return;
    }
    const rows = await withService(command, options, (service) => storedHistory(command, service, source), {
      readonly: true,
    });
    const compared = compareHistory(source, rows);
    process.stdout.write(
      options.json ? comparedJson(source, compared) : formatCompared(source, compared, options.lang),
    );
    process.exitCode = compared.every((each) => each.differences.length === 0) ? exitCodes.ok : exitCodes.refused;
  });
  return command;
}
