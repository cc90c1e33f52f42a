import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';

// An app that installs the packed tarball from the registry, as a user's would: what it gets installed, whether
// strict TypeScript compiles against every entry, and what happens without the optional peer dependencies.

const root = resolve(import.meta.dirname, '../..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const optionalPeers = ['better-sqlite3', 'pg', 'ws', '@hpcc-js/wasm-graphviz'];
const entries = ['', '/testing', '/testing/model', '/metrics', '/amazon', '/service', '/store', '/inspector'];

/** Failures of npm that mean the registry cannot be reached (rather than a broken package). */
const offline = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, timeout = 240_000): Run {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout ?? '', stderr: `${result.stderr ?? ''}${result.error ?? ''}` };
}

function ok(result: Run, what: string): Run {
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}): ${result.stderr}${result.stdout}`);
  return result;
}

interface LsNode {
  version?: string;
  dependencies?: Record<string, LsNode>;
}

/** Every installed package's name, from `npm ls --all --json` (an optional peer left out is listed without a version). */
function installedNames(tree: LsNode): Set<string> {
  const names = new Set<string>();
  const visit = (node: LsNode) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (child.version !== undefined) names.add(name);
      visit(child);
    }
  };
  visit(tree);
  return names;
}

/** The folders under node_modules that hold a `binding.gyp` (a native module built at install). */
function nativePackages(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && !entry.isSymbolicLink()) walk(path);
      else if (entry.name === 'binding.gyp' || entry.name.endsWith('.node')) found.push(path.slice(dir.length + 1));
    }
  };
  walk(dir);
  return found;
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

let work: string;
let app: string;
let skipReason: string | undefined;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'order-lifecycle-consumer-'));
  app = join(work, 'app');
  mkdirSync(app);
  ok(run('npm', ['run', '-s', 'build'], root), 'npm run build');
  // The build just ran: --ignore-scripts keeps `prepare` from building again.
  const packed = ok(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root), 'npm pack');
  const tarball = join(work, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  // fast-check is the optional peer of order-lifecycle/testing, whose types name it.
  const install = run(
    'npm',
    ['install', tarball, 'xstate@5', 'fast-check@4', '--prefer-offline', '--no-audit', '--no-fund'],
    app,
  );
  if (install.status !== 0 && offline.test(install.stderr) && !process.env['CI']) {
    skipReason = `The npm registry cannot be reached, so no app can install the package: ${install.stderr.split('\n')[0]}`;
    console.warn(`[skipped] ${skipReason}`);
    return;
  }
  ok(install, 'npm install of the packed tarball');
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function needsInstall(context: TestContext): void {
  if (skipReason !== undefined) context.skip(skipReason);
}

describe('an app that installs the packed package with xstate (and fast-check, for order-lifecycle/testing)', () => {
  it('should install no database driver, no server library, no Graphviz and no native module', (context) => {
    needsInstall(context);
    const tree = JSON.parse(ok(run('npm', ['ls', '--all', '--json'], app), 'npm ls').stdout) as LsNode;
    const names = installedNames(tree);
    expect(names).toContain('order-lifecycle');
    expect(optionalPeers.filter((name) => names.has(name))).toEqual([]);
    expect(nativePackages(join(app, 'node_modules'))).toEqual([]);
    const megabytes = sizeOf(join(app, 'node_modules')) / 1e6;
    console.log(`consumer app: ${names.size} packages, ${megabytes.toFixed(1)} MB in node_modules`);
  });

  it.for([
    ['node16', { module: 'node16', moduleResolution: 'node16' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ] as const)(
    'should compile against every entry with strict TypeScript and skipLibCheck false (moduleResolution %s)',
    ([name, options], context) => {
      needsInstall(context);
      const imports = entries.map((entry, i) => `import * as entry${i} from 'order-lifecycle${entry}';`).join('\n');
      // One source file per setting: the two settings run in turn, but each compiles its own.
      writeFileSync(
        join(app, `consumer-${name}.ts`),
        `${imports}
import { createOrder, orderStatus, type OrderSnapshot } from 'order-lifecycle';
import { MissingDependencyError, SqliteStore, type PostgresPool, type SqliteDatabase } from 'order-lifecycle/store';
import { renderStatechart } from 'order-lifecycle/inspector';

const snapshot: OrderSnapshot = createOrder({
  orderId: 'o-1',
  placedAt: 0,
  latestShipDate: 86_400_000,
  items: [{ orderItemId: 'A', quantity: 1 }],
}).snapshot;
export const status: string = orderStatus(snapshot);
export const db = (store: SqliteStore): SqliteDatabase => store.db;
export const pool = (value: PostgresPool): Promise<unknown> => value.end();
export const missing = (error: unknown): string | undefined =>
  error instanceof MissingDependencyError ? error.dependency : undefined;
export const svg: Promise<string> = renderStatechart();
export const all = [${entries.map((_, i) => `entry${i}`).join(', ')}];
`,
      );
      const config = join(app, `tsconfig.${name}.json`);
      writeFileSync(
        config,
        JSON.stringify({
          compilerOptions: {
            ...options,
            target: 'ES2022',
            lib: ['ES2022', 'DOM'],
            strict: true,
            skipLibCheck: false,
            noEmit: true,
            types: [],
          },
          files: [`consumer-${name}.ts`],
        }),
      );
      const result = run(process.execPath, [tsc, '-p', config], app);
      expect(`${result.stdout}${result.stderr}`).toBe('');
      expect(result.status).toBe(0);
    },
  );

  it('should load every entry, make orders from the root entry, and name the package to install when a store or the inspector needs one', (context) => {
    needsInstall(context);
    const script = `
      const errorOf = async (fn) => { try { await fn(); return null; } catch (error) { return { name: error.name, message: error.message, dependency: error.dependency }; } };
      const root = await import('order-lifecycle');
      for (const entry of ${JSON.stringify(entries)}) await import('order-lifecycle' + entry);
      const { snapshot } = root.createOrder({ orderId: 'o-1', placedAt: 0, latestShipDate: 86400000, items: [{ orderItemId: 'A', quantity: 1 }] });
      const store = await import('order-lifecycle/store');
      const { createOrderService } = await import('order-lifecycle/service');
      const service = await createOrderService({ store: new store.MemoryStore() });
      await service.place({ orderId: 'm-1', placedAt: 0, latestShipDate: 86400000, items: [{ orderItemId: 'A', quantity: 1 }] });
      const inspector = await import('order-lifecycle/inspector');
      let sqliteError;
      try { new store.SqliteStore({ filename: ':memory:' }); } catch (error) { sqliteError = error; }
      console.log(JSON.stringify({
        status: root.orderStatus(snapshot),
        stored: (await service.get('m-1')).status,
        sqliteIsMissingDependencyError: sqliteError instanceof store.MissingDependencyError && sqliteError instanceof root.OrderLifecycleError,
        sqlite: await errorOf(() => new store.SqliteStore({ filename: ':memory:' })),
        postgres: await errorOf(() => new store.PostgresStore({ connectionString: 'postgres://127.0.0.1/test' })),
        postgresWithPool: await errorOf(() => new store.PostgresStore({ pool: { on() {}, once() {}, connect() {}, query() {}, end() {} } })),
        chart: await errorOf(() => inspector.renderStatechart()),
        dot: inspector.statechartDot().startsWith('digraph'),
        inspector: await errorOf(() => inspector.startInspector({ port: 0 })),
        connect: await errorOf(() => inspector.connectInspector('ws://127.0.0.1:1')),
      }));`;
    const result = ok(run(process.execPath, ['--input-type=module', '-e', script], app), 'the app script');
    const missing = (dependency: string, feature: string, range: string) => ({
      name: 'MissingDependencyError',
      dependency,
      message: `${feature} needs the optional peer dependency ${dependency}: run npm install ${dependency}@${range}.`,
    });
    const peers = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>
    ).peerDependencies!;
    expect(JSON.parse(result.stdout)).toEqual({
      status: 'buyer-cancellable',
      stored: 'buyer-cancellable',
      sqliteIsMissingDependencyError: true,
      sqlite: missing('better-sqlite3', 'SqliteStore', peers['better-sqlite3']!),
      postgres: missing('pg', 'PostgresStore', peers['pg']!),
      postgresWithPool: null,
      chart: missing('@hpcc-js/wasm-graphviz', 'renderStatechart', peers['@hpcc-js/wasm-graphviz']!),
      dot: true,
      inspector: missing('ws', 'startInspector', peers['ws']!),
      connect: missing('ws', 'connectInspector', peers['ws']!),
    });
  });

  it('should load every entry with require() from a CommonJS file (Node 20.19+ requires the ESM build)', (context) => {
    needsInstall(context);
    writeFileSync(
      join(app, 'consumer.cjs'),
      `const loaded = ${JSON.stringify(entries)}.map((entry) => Object.keys(require('order-lifecycle' + entry)).length);
const { createOrder, orderStatus } = require('order-lifecycle');
const { snapshot } = createOrder({ orderId: 'o-1', placedAt: 0, latestShipDate: 86400000, items: [{ orderItemId: 'A', quantity: 1 }] });
console.log(JSON.stringify({ empty: loaded.filter((n) => n === 0).length, status: orderStatus(snapshot) }));
`,
    );
    const result = ok(run(process.execPath, ['consumer.cjs'], app), 'require() from CommonJS');
    expect(JSON.parse(result.stdout)).toEqual({ empty: 0, status: 'buyer-cancellable' });
  });

  it('should run the order-lifecycle command, and name the package `diagram --format svg` needs in one line', (context) => {
    needsInstall(context);
    const bin = join(app, 'node_modules/.bin/order-lifecycle');
    expect(existsSync(bin)).toBe(true);
    const mermaid = run(bin, ['diagram', '--format', 'mermaid'], app);
    expect(mermaid.status).toBe(0);
    expect(mermaid.stdout).toMatch(/^stateDiagram-v2\n/);
    const svg = run(bin, ['diagram', '--format', 'svg'], app);
    expect(svg.status).not.toBe(0);
    expect(svg.stdout).toBe('');
    expect(svg.stderr).toMatch(
      /^error: order-lifecycle diagram --format svg needs the optional peer dependency @hpcc-js\/wasm-graphviz: run npm install @hpcc-js\/wasm-graphviz@\^1\.\d+\.\d+\.\n$/,
    );
  });

  it('should name the command, not the function, when inspect or place (a store command) lacks its optional package', (context) => {
    needsInstall(context);
    const bin = join(app, 'node_modules/.bin/order-lifecycle');
    const inspect = run(bin, ['inspect', '--port', '0'], app);
    expect(inspect.status).toBe(3);
    expect(inspect.stderr).toMatch(
      /^error: order-lifecycle inspect needs the optional peer dependency (ws|@hpcc-js\/wasm-graphviz): run npm install \S+@\^\d+\.\d+\.\d+\.\n$/,
    );
    const example = join(app, 'node_modules/order-lifecycle/docs/examples/order.json');
    const place = run(bin, ['place', example, '--db', join(app, 'orders.db')], app);
    expect(place.status).toBe(3);
    expect(place.stderr).toMatch(
      /^error: order-lifecycle place needs the optional peer dependency better-sqlite3: run npm install better-sqlite3@\^12\.\d+\.\d+\.\n$/,
    );
  });
});
