import {
  closeSync,
  createReadStream,
  ftruncateSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError, type Lang } from '../domain/index.js';
import { renderCli } from '../domain/locales/cli.js';
import { DEFAULT_FEED_MAX_BYTES, type FeedStoppedError, type ProcessingReport } from '../amazon/index.js';
import {
  byteLimit,
  CliFailure,
  cliCommand,
  exitCodes,
  inExistingFolder,
  instantOption,
  jsonOption,
  langOption,
  maxBytesOption,
  oneLine,
  readablePath,
  usageError,
  withExamples,
  withService,
  withStoreOptions,
  type StoreOptions,
} from './options.js';

interface ApplyFeedOptions extends StoreOptions {
  at?: string;
  feedId?: string;
  report?: string;
  maxBytes?: string;
  xml: boolean;
  lang: Lang;
  json: boolean;
}

function formatReport(file: string, report: ProcessingReport, lang: Lang, reportFile: string | undefined): string {
  const s = report.processingSummary;
  const results = report.results.map(
    (result) =>
      `  ${renderCli(lang, 'cli.applyFeed.message')} ${result.messageId}  ${result.resultCode} ${result.resultMessageCode} ${result.code}${result.additionalInfo ? `  ${result.additionalInfo.amazonOrderId}` : ''}\n      ${result.resultDescription}`,
  );
  const summary = renderCli(lang, 'cli.applyFeed.summary', {
    processed: s.messagesProcessed,
    successful: s.messagesSuccessful,
    errors: s.messagesWithError,
    warnings: s.messagesWithWarning,
  });
  const lines = [
    renderCli(lang, 'cli.applyFeed.title', { file }),
    `  ${summary}`,
    ...(results.length ? results : [`  ${renderCli(lang, 'cli.applyFeed.none')}`]),
    ...(reportFile ? [`  ${renderCli(lang, 'cli.applyFeed.report', { file: reportFile })}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** The `--report` file, opened before anything is applied. */
interface ReportFile {
  /** Replaces the file's content with the report. */
  write(xml: string): void;
  /** Leaves the file as it was: removed if this run created it, untouched otherwise. */
  discard(): void;
}

/**
 * Opens (creating it when missing) the `--report` file before anything is applied, so that a report that cannot
 * be written stops the run before a feed is applied; an existing file keeps its content until the new report
 * replaces it.
 */
function openReport(command: Command, path: string): ReportFile {
  let fd: number;
  let created = false;
  try {
    try {
      fd = openSync(path, 'r+');
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      fd = openSync(path, 'wx');
      created = true;
    }
  } catch (error) {
    return usageError(command, `--report file ${JSON.stringify(path)} cannot be opened for writing: ${oneLine(error)}`);
  }
  return {
    write: (xml) => {
      ftruncateSync(fd, 0);
      writeSync(fd, xml, 0);
      closeSync(fd);
    },
    discard: () => {
      closeSync(fd);
      if (created) unlinkSync(path);
    },
  };
}

/**
 * A feed that is not a regular file (a pipe, `/dev/stdin`, a device) copied to a temporary file, at most `maxBytes`
 * of it, so that it can be read twice (checked, then applied); null when it holds more.
 */
async function spool(file: string, maxBytes: number): Promise<{ path: string; remove(): void } | null> {
  const dir = mkdtempSync(join(tmpdir(), 'order-lifecycle-feed-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'feed');
  const out = await open(path, 'w');
  let size = 0;
  try {
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        remove();
        return null;
      }
      await out.write(chunk);
    }
  } catch (error) {
    remove();
    throw error;
  } finally {
    await out.close();
  }
  return { path, remove };
}

/**
 * `order-lifecycle apply-feed <file>`: applies an Amazon cancellation feed (order acknowledgement or payment
 * adjustment XML, or the OrderCancellation flat file) to the stored orders with `applyFeed`, and prints
 * Amazon's processing summary and results; `--report FILE` or `--xml` gives the ProcessingReport XML. The feed is
 * read as a stream, twice (checked whole, then applied), in memory bounded by one message; `--max-bytes` bounds
 * its size. Exits 1 when a message had an error, 3 when the run stopped part way (the report then covers the
 * messages processed, and the error says which were applied).
 * @example
 * buildProgram().addCommand(applyFeedCommand());
 */
export function applyFeedCommand(): Command {
  const command = withStoreOptions(
    cliCommand('apply-feed').description(
      'apply an Amazon cancellation feed (XML or flat file) to the stored orders and print the processing report',
    ),
  )
    .argument(
      '<file>',
      'the feed: POST_ORDER_ACKNOWLEDGEMENT_DATA or POST_PAYMENT_ADJUSTMENT_DATA XML, or an OrderCancellation flat file',
    )
    .option('--at <iso>', 'the instant the cancellations happen, ISO-8601 with an offset (default: now)')
    .option(
      '--feed-id <id>',
      "the feed's id (no colons or spaces): its messages are applied once per feed id, whatever they say",
    )
    .option(
      '--report <file>',
      "also write Amazon's ProcessingReport XML to this file (opened before anything is applied)",
    )
    .addOption(maxBytesOption('the most the feed may hold', DEFAULT_FEED_MAX_BYTES))
    .option('--xml', "print Amazon's ProcessingReport XML instead of the text summary", false)
    .addOption(langOption('language of the result descriptions and the summary'))
    .addOption(jsonOption('print the report as JSON: { processingSummary, results }'));
  withExamples(
    command,
    'apply-feed cancel.xml --db orders.db',
    'apply-feed cancel.txt --db orders.db --at 2026-12-01T10:00:00Z --feed-id 50012345 --report report.xml',
  );
  command.addHelpText(
    'after',
    '\nThe whole feed is read and checked first (a malformed feed, or one larger than --max-bytes, changes nothing);\n' +
      'then each message becomes one seller.cancel, applied on its own, with an event id from its message id, so running\n' +
      'a feed again changes nothing. Exit status 0 when no message had an error (warnings are fine), 1 when some\n' +
      'message had an error, 2 for a wrong argument (a missing, malformed or too large feed file included), 3 when the\n' +
      'store fails (part way through: the report covers the messages processed, and the error says which were applied).',
  );
  command.action(async (file: string, options: ApplyFeedOptions) => {
    if (options.xml && options.json) usageError(command, 'give at most one of --xml and --json');
    const at = instantOption(command, '--at', options.at, Date.now());
    const maxBytes = byteLimit(command, options.maxBytes, DEFAULT_FEED_MAX_BYTES);
    readablePath(command, file, {
      label: 'apply-feed',
      wanted: 'a feed file (XML or TSV)',
      missing: `feed file ${JSON.stringify(file)} does not exist`,
    });
    const info = statSync(file);
    const tooLarge = () =>
      `feed file ${JSON.stringify(file)} is larger than ${maxBytes} bytes (--max-bytes): nothing was applied`;
    if (info.isFile() && info.size > maxBytes) usageError(command, tooLarge());
    // Checked before anything is applied: a report that cannot be written must not follow a feed that was.
    if (options.report !== undefined)
      // A directory is refused when the report is opened, before anything is applied (naming the system's error).
      inExistingFolder(command, options.report, { label: '--report', wanted: 'a file to write the report to' });
    const reportFile = options.report === undefined ? undefined : openReport(command, options.report);
    const copy = info.isFile() ? undefined : await spool(file, maxBytes).catch((error: unknown) => error as Error);
    if (copy === null || copy instanceof Error) {
      reportFile?.discard();
      usageError(
        command,
        copy === null ? tooLarge() : `feed file ${JSON.stringify(file)} cannot be read: ${oneLine(copy)}`,
      );
    }
    const path = copy?.path ?? file;
    const { applyFeed, processingReportXml, FeedStoppedError: Stopped } = await import('../amazon/index.js');
    type Outcome = { report: ProcessingReport } | { usage: string } | { stopped: FeedStoppedError };
    let outcome: Outcome;
    try {
      outcome = await withService(command, options, async (service): Promise<Outcome> => {
        try {
          const report = await applyFeed(service, () => createReadStream(path), {
            at,
            lang: options.lang,
            maxBytes,
            ...(options.feedId === undefined ? {} : { feedId: options.feedId }),
          });
          return { report };
        } catch (error) {
          if (error instanceof Stopped) return { stopped: error };
          if (!(error instanceof InvalidInputError)) throw error;
          // The options were checked above but for the feed id; anything else is the file's content.
          if (error.subject === 'applyFeed options') return { usage: `--feed-id ${error.details}` };
          return { usage: `feed file ${JSON.stringify(file)}: ${oneLine(error.details)}; nothing was applied` };
        }
      });
    } catch (error) {
      reportFile?.discard();
      throw error;
    } finally {
      copy?.remove();
    }
    if ('usage' in outcome) {
      reportFile?.discard();
      usageError(command, outcome.usage);
    }
    const report = 'stopped' in outcome ? outcome.stopped.report : outcome.report;
    if (reportFile) {
      try {
        reportFile.write(processingReportXml(report));
      } catch (error) {
        throw new CliFailure(`--report file ${JSON.stringify(options.report)} cannot be written: ${oneLine(error)}`);
      }
    }
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (options.xml) process.stdout.write(processingReportXml(report));
    else process.stdout.write(formatReport(file, report, options.lang, options.report));
    if ('stopped' in outcome)
      throw new CliFailure(`feed file ${JSON.stringify(file)}: ${oneLine(outcome.stopped, false)}`, exitCodes.failure);
    process.exitCode = report.processingSummary.messagesWithError > 0 ? exitCodes.refused : exitCodes.ok;
  });
  return command;
}
