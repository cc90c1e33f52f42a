import type { Command } from 'commander';
import { type Lang } from '../domain/index.js';
import { renderCli } from '../domain/locales/cli.js';
import { replayRecording } from '../runtime/index.js';
import { formatStep } from './format.js';
import { cliCommand, langOption, withExamples } from './options.js';
import { scenarios } from './scenarios.js';

/** Runs every scenario and returns the printed walk: one block per rule, one line per verdict. */
export function runWalk(lang: Lang): string {
  const heading = renderCli(lang, 'cli.walkTitle');
  const blocks = scenarios.map((scenario) => {
    const steps = replayRecording({ input: scenario.input, events: scenario.events.map((step) => step.event) });
    const lines = steps.map((step, index) => formatStep(step, index, lang));
    return `${scenario.id}  ${scenario.title[lang]}  (${scenario.input.orderId})\n${lines.join('\n')}`;
  });
  return `${heading}\n\n${blocks.join('\n\n')}\n`;
}

/**
 * `order-lifecycle walk`: one fixed order per rule through the machine, each verdict printed (no store).
 * @example
 * buildProgram().addCommand(walkCommand());
 */
export function walkCommand(): Command {
  const command = cliCommand('walk')
    .description('walk one order per rule through the machine and print each verdict (in memory, no store)')
    .addOption(langOption())
    .action((options: { lang: Lang }) => {
      process.stdout.write(runWalk(options.lang));
    });
  return withExamples(command, 'walk', 'walk --lang zh-CN');
}
