import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError, type Lang } from '../domain/index.js';
import type { ProcessingReport } from '../amazon/apply-feed.js';
import { cliCommand, exitCodes, instantOption, jsonOption, langOption, oneLine, usageError, withExamples, withService, withStoreOptions, type StoreOptions } from './options.js';

interface ApplyFeedOptions extends StoreOptions {
  at?: string;
  feedId?: string;
  report?: string;
  xml: boolean;
  lang: Lang;
  json: boolean;
}

const words = {
  en: {
    title: (file: string) => `Processing report for ${file}`,
    summary: (s: ProcessingReport['processingSummary']) =>
      `  processed ${s.messagesProcessed}, successful ${s.messagesSuccessful}, with error ${s.messagesWithError}, with warning ${s.messagesWithWarning}`,
    none: '  every message was applied without an error or a warning',
    message: 'message',
    report: (file: string) => `  processing report XML written to ${file}`,
  },
  'zh-CN': {
    title: (file: string) => `${file} 的处理报告`,
    summary: (s: ProcessingReport['processingSummary']) =>
      `  已处理 ${s.messagesProcessed},成功 ${s.messagesSuccessful},出错 ${s.messagesWithError},警告 ${s.messagesWithWarning}`,
    none: '  所有消息均已执行,无错误或警告',
    message: '消息',
    report: (file: string) => `  处理报告 XML 已写入 ${file}`,
  },
} satisfies Record<Lang, unknown>;

function formatReport(file: string, report: ProcessingReport, lang: Lang, reportFile: string | undefined): string {
  const w = words[lang];
  const results = report.results.map(
    (result) => `  ${w.message} ${result.messageId}  ${result.resultCode} ${result.resultMessageCode} ${result.code}${result.additionalInfo ? `  ${result.additionalInfo.amazonOrderId}` : ''}\n      ${result.resultDescription}`,
  );
  return `${[w.title(file), w.summary(report.processingSummary), ...(results.length ? results : [w.none]), ...(reportFile ? [w.report(reportFile)] : [])].join('\n')}\n`;
}

/**
 * `order-lifecycle apply-feed <file>`: applies an Amazon cancellation feed (order acknowledgement or payment
 * adjustment XML, or the OrderCancellation flat file) to the stored orders with `applyFeed`, and prints
 * Amazon's processing summary and results; `--report FILE` or `--xml` gives the ProcessingReport XML.
 * Exits 1 when a message had an error.
 * @example
 * buildProgram().addCommand(applyFeedCommand());
 */
export function applyFeedCommand(): Command {
  const command = withStoreOptions(cliCommand('apply-feed').description('apply an Amazon cancellation feed (XML or flat file) to the stored orders and print the processing report'))
    .argument('<file>', 'the feed: POST_ORDER_ACKNOWLEDGEMENT_DATA or POST_PAYMENT_ADJUSTMENT_DATA XML, or an OrderCancellation flat file')
    .option('--at <iso>', 'the instant the cancellations happen, ISO-8601 with an offset (default: now)')
    .option('--feed-id <id>', "the feed's id (no colons or spaces): its messages are applied once per feed id, whatever they say")
    .option('--report <file>', "also write Amazon's ProcessingReport XML to this file")
    .option('--xml', "print Amazon's ProcessingReport XML instead of the text summary", false)
    .addOption(langOption('language of the result descriptions and the summary'))
    .addOption(jsonOption('print the report as JSON: { processingSummary, results }'));
  withExamples(command, 'apply-feed cancel.xml --db orders.db', 'apply-feed cancel.txt --db orders.db --at 2026-12-01T10:00:00Z --feed-id 50012345 --report report.xml');
  command.addHelpText(
    'after',
    '\nEvery row is checked first; each valid row becomes one seller.cancel, applied on its own, with an event id from\nits message id, so running a feed again changes nothing. Exit status 0 when no message had an error (warnings\nare fine), 1 when some message had an error, 2 for a wrong argument (a missing or malformed feed file included).',
  );
  command.action(async (file: string, options: ApplyFeedOptions) => {
    if (options.xml && options.json) usageError(command, 'give at most one of --xml and --json');
    const at = instantOption(command, '--at', options.at, Date.now());
    if (!existsSync(file)) usageError(command, `feed file ${JSON.stringify(file)} does not exist`);
    // Checked before anything is applied: a report that cannot be written must not follow a feed that was.
    if (options.report !== undefined && !existsSync(dirname(resolve(options.report)))) usageError(command, `--report: the folder of ${JSON.stringify(options.report)} does not exist`);
    const source = readFileSync(file, 'utf8');
    const { applyFeed, processingReportXml } = await import('../amazon/apply-feed.js');
    const report = await withService(command, options, async (service) => {
      try {
        return await applyFeed(service, source, { at, lang: options.lang, ...(options.feedId === undefined ? {} : { feedId: options.feedId }) });
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        // The options were checked above but for the feed id; anything else is the file's content.
        if (error.subject === 'applyFeed options') usageError(command, `--feed-id ${error.details}`);
        usageError(command, `feed file ${JSON.stringify(file)}: ${oneLine(error.details)}`);
      }
    });
    if (options.report !== undefined) {
      try {
        writeFileSync(options.report, processingReportXml(report));
      } catch (error) {
        usageError(command, `--report file ${JSON.stringify(options.report)} cannot be written: ${oneLine(error)}`);
      }
    }
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (options.xml) process.stdout.write(processingReportXml(report));
    else process.stdout.write(formatReport(file, report, options.lang, options.report));
    process.exitCode = report.processingSummary.messagesWithError > 0 ? exitCodes.refused : exitCodes.ok;
  });
  return command;
}
