import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/cli/scenarios.js';
import { replayRecording, orderStatus } from '../../src/index.js';
import { runWalk } from '../../src/cli/walk.js';
import { buildProgram } from '../../src/cli/program.js';

describe('the scripted walk (order-lifecycle walk)', () => {
  it.each(scenarios.map((scenario) => [scenario.id, scenario] as const))(
    'should give scenario %s the verdicts it expects',
    (_, scenario) => {
      const steps = replayRecording({ input: scenario.input, events: scenario.events.map((step) => step.event) });
      expect(steps.slice(1).map((step) => step.verdict.code ?? null)).toEqual(
        scenario.events.map((step) => step.expect),
      );
      expect(orderStatus(steps.at(-1)!.snapshot)).toBe(scenario.endsIn);
    },
  );

  it('should print every rule in English, and in Chinese with --lang zh-CN', () => {
    const en = runWalk('en');
    const zh = runWalk('zh-CN');
    for (const scenario of scenarios) {
      expect(en).toContain(scenario.title.en);
      expect(zh).toContain(scenario.title['zh-CN']);
    }
    expect(en).toContain('refused LABEL_GENERATED');
    expect(zh).toContain('拒绝 LABEL_GENERATED');
    expect(zh).toContain('通过退货来获得退款');
  });

  it('should answer --help and refuse an unknown language by name', () => {
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
    expect(cli('--help')).toContain('walk');
    expect(() => cli('walk', '--lang', 'fr')).toThrow(/fr.*is invalid|Allowed choices/);
  });
});

describe('order-lifecycle --version and --help', () => {
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

  it('should print the package version with --version and -V', () => {
    expect(cli('--version')).toBe(`${pkg.version}\n`);
    expect(cli('-V')).toBe(`${pkg.version}\n`);
  });

  it('should list every command, and --version, in `npm run cli -- --help`', () => {
    const help = execFileSync('npm', ['run', 'cli', '-s', '--', '--help'], { encoding: 'utf8', stdio: 'pipe' });
    const commands = buildProgram().commands.map((command) => command.name());
    expect(commands).toEqual(
      expect.arrayContaining([
        'walk',
        'status',
        'explain',
        'apply',
        'history',
        'sweep',
        'apply-feed',
        'metrics',
        'inspect',
        'diagram',
        'replay',
      ]),
    );
    for (const name of commands) expect(help).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(help).toContain('--version');
  });

  it('should list every command in `npm start -- --help`, which is the help of simulate', () => {
    const help = execFileSync('npm', ['start', '-s', '--', '--help'], { encoding: 'utf8', stdio: 'pipe' });
    expect(help).toContain('Usage: order-lifecycle simulate');
    for (const command of buildProgram().commands)
      expect(help).toMatch(
        new RegExp(
          `^  ${command.name()} +${command
            .description()
            .slice(0, 20)
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
          'm',
        ),
      );
  });

  it('should walk the rules with `order-lifecycle walk`', () => {
    expect(cli('walk')).toBe(runWalk('en'));
  });
});

describe('order-lifecycle replay', () => {
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      encoding: 'utf8',
      stdio: 'pipe',
    });

  it('should print every step of a recorded order with its verdict', () => {
    const out = cli('replay', 'test/inspector/fixtures/buyer-asks-after-label.json');
    expect(out).toContain('buyer-asks-after-label.json');
    expect(out).toContain('refused BUYER_WINDOW_CLOSED -> unshipped');
  });

  it('should name a missing file in one line and exit with 2', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'replay', 'no/such/order.json'], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: Cannot open recorded order "no/such/order.json": no such file.\n');
  });

  it('should print every step as JSON with --json', () => {
    const [recording] = JSON.parse(
      cli('replay', 'test/inspector/fixtures/buyer-asks-after-label.json', '--json'),
    ) as Array<{ name: string; steps: Array<{ status: string; verdict: { code?: string } }> }>;
    expect(recording!.name).toBe('buyer-asks-after-label.json');
    expect(recording!.steps.map((step) => step.verdict.code ?? null)).toContain('BUYER_WINDOW_CLOSED');
  });
});
