#!/usr/bin/env node
// First: the command line's V8 flags apply before any module of the package runs.
import './v8-flags.js';
import { InvalidInputError, MissingDependencyError } from '../domain/index.js';
import { buildProgram } from './program.js';
import { CliFailure, exitCodes, oneLine } from './options.js';

/**
 * The exit status and one-line message of an error no command handled itself: bad input is a wrong argument
 * (2), as are the inspector's own errors about its options and files, except when it cannot read its store;
 * everything else (the store unreachable or unreadable, a write conflict, a bug) is a failure (3). A missing optional
 * peer dependency is named with the command that needed it (`order-lifecycle inspect needs … ws`), not the function.
 */
function failure(error: unknown): { status: number; message: string } {
  if (error instanceof MissingDependencyError && !error.feature.startsWith('order-lifecycle ')) {
    const command = process.argv.slice(2).find((arg) => !arg.startsWith('-')) ?? 'simulate';
    error = new MissingDependencyError(error.dependency, `order-lifecycle ${command}`, error.range, { cause: error });
  }
  const message = oneLine(error, false);
  if (error instanceof CliFailure) return { status: error.exitCode, message };
  if (error instanceof InvalidInputError) return { status: exitCodes.usage, message };
  if (error instanceof Error && error.name === 'InspectorError') {
    return { status: /^Cannot read stored orders/.test(message) ? exitCodes.failure : exitCodes.usage, message };
  }
  return { status: exitCodes.failure, message };
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    const { status, message } = failure(error);
    process.stderr.write(`error: ${message}\n`);
    // ORDER_LIFECYCLE_DEBUG=1 adds the stack, for bugs.
    if (process.env['ORDER_LIFECYCLE_DEBUG'] && error instanceof Error && error.stack)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = status;
  }
}

await main();
