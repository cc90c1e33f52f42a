import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { orderMachine } from '../../machines/order/index.js';
import { statechartMermaid } from '../runtime/index.js';
import { cliCommand, usageError, withExamples } from './options.js';

interface DiagramOptions {
  format: 'mermaid' | 'svg';
  output?: string;
}

/**
 * `order-lifecycle diagram --format mermaid|svg`: the order statechart, read from the machine definition, as a
 * Mermaid stateDiagram or as SVG laid out by Graphviz (the inspector's drawing), on standard output or to a file.
 * @example
 * buildProgram().addCommand(diagramCommand());
 */
export function diagramCommand(): Command {
  const command = cliCommand('diagram')
    .description('print the order statechart as Mermaid or as SVG (laid out by Graphviz, as the inspector draws it)')
    .addOption(
      new Option('--format <format>', 'mermaid (a stateDiagram-v2 for Markdown) or svg')
        .choices(['mermaid', 'svg'])
        .default('mermaid'),
    )
    .option('--output <file>', 'write the diagram to this file instead of standard output');
  withExamples(command, 'diagram --format mermaid', 'diagram --format svg --output statechart.svg');
  command.addHelpText(
    'after',
    '\nBoth are generated from machines/order/machine.ts with the default policy (deadline labels show its durations).',
  );
  command.action(async (options: DiagramOptions) => {
    if (options.output !== undefined && !existsSync(dirname(resolve(options.output))))
      usageError(command, `--output: the folder of ${JSON.stringify(options.output)} does not exist`);
    let text: string;
    if (options.format === 'svg') {
      const { renderStatechart, MissingDependencyError } = await import('../inspector/index.js');
      // Graphviz is an optional peer dependency: without it the error names this command rather than the function.
      const svg = await renderStatechart().catch((error: unknown) => {
        if (!(error instanceof MissingDependencyError)) throw error;
        throw new MissingDependencyError(error.dependency, 'order-lifecycle diagram --format svg', error.range, {
          cause: error,
        });
      });
      text = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n${svg}`;
    } else {
      text = statechartMermaid(orderMachine);
    }
    if (!text.endsWith('\n')) text += '\n';
    if (options.output === undefined) process.stdout.write(text);
    else writeFileSync(options.output, text);
  });
  return command;
}
