import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { cli, oneLine } from './support.js';

/** A command's full `--help` text, printed in this process (with the text added after the options). */
function helpOf(name: string): string {
  const command = buildProgram().commands.find((each) => each.name() === name)!;
  let text = '';
  command.configureOutput({ writeOut: (chunk) => (text += chunk), writeErr: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
}

const dataCommands = ['status', 'explain', 'apply', 'history', 'sweep', 'apply-feed', 'metrics', 'replay'];

describe('order-lifecycle <command> --help', () => {
  it.each(buildProgram().commands.map((command) => [command.name()]))(
    'should describe every option of %s and give an example',
    (name) => {
      const command = buildProgram().commands.find((each) => each.name() === name)!;
      const help = helpOf(name);
      expect(command.description()).not.toBe('');
      for (const option of command.options) {
        expect(help).toContain(option.flags);
        expect(option.description, `${name} ${option.flags}`).not.toBe('');
      }
      expect(help).toMatch(/^Examples?:\n {2}\$ order-lifecycle /m);
    },
  );

  it.each(dataCommands.map((name) => [name]))(
    'should give the data command %s --db, --database-url, --schema and --json',
    (name) => {
      const help = helpOf(name);
      for (const flags of ['--db <file>', '--database-url <url>', '--schema <name>', '--json'])
        expect(help).toContain(flags);
    },
  );

  it("should print a command's help and exit 0 with --help", () => {
    const run = cli(['status', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: order-lifecycle status [options] <orderId>');
    expect(run.stdout).toContain('$ order-lifecycle status');
  });
});

describe('order-lifecycle without a command', () => {
  it('should print the help on standard error and exit 2, since a missing command is a wrong argument', () => {
    const run = cli([]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: order-lifecycle [options] [command]');
    for (const command of buildProgram().commands) expect(run.stderr).toMatch(new RegExp(`^  ${command.name()} `, 'm'));
  });

  it('should name an unknown command in one line, with a suggestion, and exit 2', () => {
    const run = cli(['stauts']);
    expect(run.status).toBe(2);
    expect(oneLine(run.stderr)).toBe(true);
    expect(run.stderr).toBe("error: unknown command 'stauts' (Did you mean status?)\n");
  });
});
