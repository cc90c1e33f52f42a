import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';

const root = resolve(import.meta.dirname, '../..');
const text = readFileSync(resolve(root, 'docs/cli.md'), 'utf8');

describe('docs/cli.md', () => {
  it.each(buildProgram().commands.map((command) => [command.name(), command] as const))(
    'should document the command %s and each of its options',
    (name, command) => {
      expect(text).toMatch(new RegExp(`^### \`${name}[ \`]`, 'm'));
      for (const option of command.options) expect(text, `${name} ${option.long}`).toContain(`\`${option.long}`);
    },
  );

  it('should document every exit status the CLI uses', () => {
    for (const status of [0, 1, 2, 3]) expect(text).toMatch(new RegExp(`^\\| ${status} \\| `, 'm'));
  });

  it('should link only to documents that exist', () => {
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g))
      expect(existsSync(resolve(root, 'docs', target!)), target).toBe(true);
  });
});
