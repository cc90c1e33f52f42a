import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columns } from '../../src/cli/format.js';
import { simulate } from '../../src/sim/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { DATABASE_URL, dropSchema, skipPostgres, testSchemaName } from '../support/postgres.js';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'simulate', ...args], { encoding: 'utf8' });

let dir: string;
let json: ReturnType<typeof cli>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
  json = cli('--orders', '150', '--seed', '3', '--db', join(dir, 'json.db'), '--json');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('order-lifecycle simulate', () => {
  it('should print with --json the figures the engine gives for the same seed, and no bar on stdout', async () => {
    expect(json.status).toBe(0);
    const printed = JSON.parse(json.stdout);
    const direct = await simulate({
      store: new SqliteStore({ filename: join(dir, 'direct.db') }),
      orders: 150,
      days: 7,
      seed: 3,
    });
    expect(printed).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(json.stderr).toMatch(/^simulated 150 orders in [\d.]+ s; chart written to .*json\.svg\n$/);
  });

  it('should write a well-formed SVG chart next to the database with one bar per day and the target line', () => {
    const svg = readFileSync(join(dir, 'json.svg'), 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg);
    expect(parsed.svg.xmlns).toBe('http://www.w3.org/2000/svg');
    const bars = (parsed.svg.rect as Array<{ title?: string }>).filter((rect) => rect.title !== undefined);
    expect(bars).toHaveLength(7);
    expect(
      parsed.svg.line.some((line: { 'stroke-dasharray'?: string }) => line['stroke-dasharray'] !== undefined),
    ).toBe(true);
    expect(svg).toContain('target &lt; 2.5%');
  });

  it('should print the summary in Chinese with aligned columns, the chart path and the next commands', () => {
    const chart = join(dir, 'zh.svg');
    const run = cli('--orders', '120', '--db', join(dir, 'zh.db'), '--lang', 'zh-CN', '--chart', chart);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('取消率（7 天）');
    expect(run.stdout).toContain('【已发货】');
    expect(run.stdout).toContain(`每日取消率图表：${chart}`);
    expect(run.stdout).toContain(`npx order-lifecycle metrics --db ${join(dir, 'zh.db')}`);
    expect(run.stdout).toContain(`npx order-lifecycle inspect --db ${join(dir, 'zh.db')}`);
    // The states table: its last column is aligned right, so every line ends at the same terminal column.
    const lines = run.stdout.split('\n');
    const head = lines.findIndex((line) => line.startsWith('最终状态'));
    const table = lines.slice(head, lines.indexOf('', head));
    expect(table.length).toBeGreaterThan(2);
    expect(new Set(table.map(columns)).size).toBe(1);
    // The Chinese state names are wider on screen than in characters: counted two columns each.
    expect(new Set(table.map((line) => line.length)).size).toBeGreaterThan(1);
    expect(XMLValidator.validate(readFileSync(chart, 'utf8'))).toBe(true);
  });

  it('should replace an existing --db file and say so on stderr', () => {
    const db = join(dir, 'old.db');
    writeFileSync(db, 'not a database');
    const run = cli('--orders', '100', '--db', db);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`replacing ${db}`);
    expect(run.stdout).toContain("A seller's week, simulated: 100 orders");
  });

  it.each([
    [['--orders', '0'], '--orders must be a whole number from 1 to 10,000,000 (got "0")'],
    [['--days', 'x'], '--days must be a whole number from 1 to 366 (got "x")'],
    [['--seed', '-1'], '--seed must be a whole number'],
    [['--lang', 'fr'], "option '--lang <lang>' argument 'fr' is invalid"],
    [['--db', 'a.db', '--database-url', 'postgres://x'], 'give at most one of --db <file> or --database-url <url>'],
    [['--database-url', 'postgres://x', '--schema', 'public'], '--schema public would be dropped'],
    [['--frobnicate'], "unknown option '--frobnicate'"],
  ])('should refuse %j with one line and exit status 2', (args, message) => {
    const run = cli(...args);
    expect(run.status).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('should name a store it cannot open in one line, without the password, and exit 3', () => {
    const run = cli(
      '--orders',
      '10',
      '--database-url',
      'postgres://postgres:secret@127.0.0.1:1/x',
      '--chart',
      join(dir, 'unreachable.svg'),
    );
    expect(run.status).toBe(3);
    expect(run.stderr).toBe(
      'error: cannot open the order store (PostgreSQL "postgres://postgres:***@127.0.0.1:1/x"): connect ECONNREFUSED 127.0.0.1:1\n',
    );
    expect(existsSync(join(dir, 'unreachable.svg'))).toBe(false);
  });

  it('should list every option in --help', () => {
    const run = cli('--help');
    expect(run.status).toBe(0);
    for (const option of [
      '--orders',
      '--days',
      '--seed',
      '--db',
      '--database-url',
      '--schema',
      '--lang',
      '--json',
      '--chart',
    ])
      expect(run.stdout).toContain(option);
    expect(run.stdout).toContain('order_lifecycle_simulation');
  });

  it.skipIf(skipPostgres)(
    'should simulate into a PostgreSQL schema of its own and give the figures of SQLite',
    async () => {
      const schema = testSchemaName('simulate');
      try {
        const run = cli(
          '--orders',
          '150',
          '--seed',
          '3',
          '--database-url',
          DATABASE_URL,
          '--schema',
          schema,
          '--json',
          '--chart',
          join(dir, 'pg.svg'),
        );
        expect(run.status, run.stderr).toBe(0);
        expect(JSON.parse(run.stdout)).toEqual(JSON.parse(json.stdout));
      } finally {
        await dropSchema(schema);
      }
    },
  );

  it('should leave no chart behind when the arguments are wrong', () => {
    const chart = join(dir, 'never.svg');
    cli('--orders', 'many', '--chart', chart);
    expect(existsSync(chart)).toBe(false);
  });
});
