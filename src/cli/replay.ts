import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import { MACHINE_VERSION } from '../../machines/order/index.js';
import { type Effect, type Lang, type Message, type OrderInput, type Verdict } from '../domain/index.js';
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
  /**
   * What differs: `verdict` (accepted, code or flags), `wording` (the message texts of the verdict and of the
   * effects), `status`, `effects` (compared without their message texts); empty when the step is the same word
   * for word.
   */
  differences: Difference[];
}

/** What a stored step can differ in: `verdict`, `wording`, `status`, `effects`. */
type Difference = 'verdict' | 'wording' | 'status' | 'effects';

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const decision = (verdict: Verdict) => plain({ ...verdict, message: undefined });
// Effects such as buyer.guidance carry a message for people: a new wording of it is not a new decision.
const withoutWords = (effects: readonly Effect[]) =>
  plain(effects.map((effect) => ({ ...effect, message: undefined })));
const wordsOf = (effect: Effect): unknown => ('message' in effect ? effect.message : null);
const words = (verdict: Verdict, effects: readonly Effect[]) => plain([verdict.message, ...effects.map(wordsOf)]);

/** Whether a step is reproduced: the same decision, status and effects, whatever its wording. */
const isReproduced = ({ differences }: Compared) => differences.every((difference) => difference === 'wording');

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
        isDeepStrictEqual(words(row.verdict, row.effects), words(step.verdict, step.effects)) ? '' : 'wording',
        row.statusAfter === orderStatus(step.snapshot) ? '' : 'status',
        isDeepStrictEqual(withoutWords(row.effects), withoutWords(step.effects)) ? '' : 'effects',
      ] as const
    ).filter((difference): difference is Difference => difference !== '');
    return { seq: row.seq, row, step, differences };
  });
}

/** The stored words of each effect whose words the replayed step does not repeat, one line each. */
function storedEffectWords({ row, step }: Compared, lang: Lang): string[] {
  return row.effects.flatMap((effect, index) => {
    const replayed = step.effects[index];
    const stored = wordsOf(effect);
    if (stored === null || (replayed !== undefined && isDeepStrictEqual(plain(stored), plain(wordsOf(replayed)))))
      return [];
    const text = (stored as Partial<Message>)[lang] ?? '';
    return [
      renderCli(lang, 'cli.replay.storedWords', {
        label: renderCli(lang, 'cli.replay.stored'),
        effect: effect.type,
        message: text,
      }),
    ];
  });
}

function formatCompared(orderId: string, compared: readonly Compared[], lang: Lang): string {
  const lines = compared.map((each, index) => {
    const { row, step, differences } = each;
    const parts = differences.map((part) => renderCli(lang, `cli.replay.part.${part}`));
    const mark = !differences.length
      ? renderCli(lang, 'cli.replay.same')
      : isReproduced(each)
        ? renderCli(lang, 'cli.replay.reworded')
        : renderCli(lang, 'cli.replay.differs', { parts: parts.join(renderCli(lang, 'cli.listSeparator')) });
    const stored = differences.length
      ? [
          renderCli(lang, 'cli.storedStep', {
            label: renderCli(lang, 'cli.replay.stored'),
            mark: verdictMark(row.verdict, lang),
            after: statusText(row.statusAfter, lang),
            message: row.verdict.message[lang],
            effects: effectsText(row.effects, lang),
          }),
          ...(differences.includes('wording') ? storedEffectWords(each, lang) : []),
        ]
          .map((line) => `\n      ${line}`)
          .join('')
      : '';
    return `${formatStep(step, index, lang)}\n      ${mark}${stored}`;
  });
  const bad = compared.filter((each) => !isReproduced(each)).length;
  const reworded = compared.filter((each) => each.differences.length && isReproduced(each)).length;
  const count = compared.length;
  const title = renderCli(lang, 'cli.replay.title', {
    orderId,
    steps: counted(lang, 'cli.replay.storedSteps', count),
    version: MACHINE_VERSION,
  });
  const verdict = bad
    ? renderCli(lang, 'cli.replay.some', { bad, count })
    : renderCli(lang, 'cli.replay.all', { count });
  const wording = reworded ? `${renderCli(lang, 'cli.replay.rewordedSteps', { reworded, count })}\n` : '';
  return `${title}\n${lines.join('\n')}\n${verdict}\n${wording}`;
}

function comparedJson(orderId: string, compared: readonly Compared[]): string {
  return `${JSON.stringify(
    {
      orderId,
      machineVersion: MACHINE_VERSION,
      reproduced: compared.every(isReproduced),
      steps: compared.map((each) => ({
        seq: each.seq,
        event:
          each.row.event.type === 'order.place' ? each.row.event : eventJson(each.row.event as Record<string, unknown>),
        reproduced: isReproduced(each),
        differences: each.differences,
        stored: {
          verdict: each.row.verdict,
          statusAfter: each.row.statusAfter,
          effects: each.row.effects,
          machineVersion: each.row.machineVersion,
        },
        replayed: {
          verdict: each.step.verdict,
          statusAfter: orderStatus(each.step.snapshot),
          effects: each.step.effects,
        },
      })),
    },
    null,
    2,
  )}\n`;
}

/**
 * `order-lifecycle replay <source>`: replays a recorded order file (`{ input, events }`) and prints each verdict;
 * with `--db` or `--database-url`, replays a stored order's history by id through the current machine and
 * reports whether every stored decision, status and effect is reproduced (exit 1 when one is not); a step whose
 * message texts alone differ is reproduced, marked as reworded.
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
    [
      '',
      'A stored order is replayed from its order.place row, event after event, on the machine of this version; each',
      "step's decision (accepted, code, flags), status after and effects are compared with the stored ones, and so are",
      'its words (the messages of the verdict and of effects such as buyer.guidance). A step whose words alone differ',
      'is reproduced, marked "same decision; wording changed" with the stored words under it: a newer version may word',
      'a message differently (how it writes an instant, say) and still decide the same. Nothing is written.',
      'Exit status 0 when every stored decision is reproduced, 1 when one is not, 2 for a wrong argument.',
    ].join('\n'),
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
    process.exitCode = compared.every(isReproduced) ? exitCodes.ok : exitCodes.refused;
  });
  return command;
}
