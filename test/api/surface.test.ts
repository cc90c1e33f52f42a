import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_REPORT_DIR, renderApiReports } from '../../scripts/api-report.js';

/** The lines only one side has, as `- old` and `+ new`, so that a failure names the names that changed. */
function lineDiff(committed: string, fresh: string): string {
  const before = committed.split('\n');
  const after = fresh.split('\n');
  const removed = before.filter((line) => !after.includes(line)).map((line) => `- ${line}`);
  const added = after.filter((line) => !before.includes(line)).map((line) => `+ ${line}`);
  return [...removed, ...added].join('\n');
}

describe('the API report in api/', () => {
  it('should list exactly what each entry point of the package exports today', { timeout: 120_000 }, () => {
    const fresh = renderApiReports();
    const committed = existsSync(API_REPORT_DIR) ? readdirSync(API_REPORT_DIR) : [];
    const problems: string[] = [];
    for (const name of new Set([...fresh.keys(), ...committed])) {
      const path = join(API_REPORT_DIR, name);
      const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
      const after = fresh.get(name) ?? '';
      if (before === after) continue;
      if (!fresh.has(name)) problems.push(`api/${name} is committed but no entry point has it.`);
      else if (!before) problems.push(`api/${name} is missing.`);
      else problems.push(`api/${name} differs from the source:\n${lineDiff(before, after)}`);
    }
    if (problems.length > 0)
      problems.push('The public surface changed: run `npm run api-report` and commit the change.');
    expect(problems.join('\n\n')).toBe('');
  });
});
