import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { optionalPeerRanges, type OptionalPeer } from '../../src/domain/index.js';

const root = resolve(import.meta.dirname, '../..');

/** Every module the built file imports, transitively through relative imports; bare specifiers are collected. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(
      /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    )) {
      const specifier = (match[1] ?? match[2])!;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the installable package', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'pipe' });
  });

  it('should resolve order-lifecycle through its exports map to the built entry with the documented API', () => {
    const script = `const m = await import('order-lifecycle');
      const names = ['orderMachine','createOrderActor','createOrder','applyEvent','explain','orderStatus','nextDeadline','serializeOrder','restoreOrder','OrderInput','OrderEvent','Policy','defaultPolicy','CancelReason'];
      const missing = names.filter((n) => !(n in m));
      const { snapshot } = m.createOrder({ orderId: 'o', placedAt: 0, latestShipDate: 0, items: [{ orderItemId: 'A', quantity: 1 }] });
      console.log(JSON.stringify({ missing, status: m.orderStatus(snapshot) }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ missing: [], status: 'buyer-cancellable' });
  });

  it('should point every exports entry at a types file first and at files the build produced', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    for (const [subpath, target] of Object.entries<Record<string, string> | string>(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(Object.keys(target)[0], subpath).toBe('types');
    }
    expect(() => readFileSync(resolve(root, pkg.exports['.'].types))).not.toThrow();
  });

  it('should run the installed order-lifecycle command from the build: --version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
      version: string;
      bin: Record<string, string>;
    };
    const out = execFileSync(process.execPath, [resolve(root, pkg.bin['order-lifecycle']!), '--version'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toBe(`${pkg.version}\n`);
  });

  it('should take xstate from the app (a peer dependency), so that an app has one copy and createActor works', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    expect(pkg.dependencies?.xstate).toBeUndefined();
    expect(pkg.peerDependencies?.xstate).toMatch(/^\^5\./);
    expect(pkg.peerDependenciesMeta?.xstate).toBeUndefined();
    // The package's own tests run on the version the peer range admits.
    const installed = JSON.parse(readFileSync(resolve(root, 'node_modules/xstate/package.json'), 'utf8')) as {
      version: string;
    };
    const [major, minor] = pkg.peerDependencies!.xstate!.slice(1).split('.').map(Number);
    const [iMajor, iMinor] = installed.version.split('.').map(Number);
    expect(iMajor).toBe(major);
    expect(iMinor).toBeGreaterThanOrEqual(minor!);
  });

  it('should sweep a large batch on the built service and exit without close', () => {
    const script = `import { createOrderService } from 'order-lifecycle/service';
      import { MemoryStore } from 'order-lifecycle/store';
      const placedAt = Date.parse('2026-11-26T10:00:00Z');
      const service = await createOrderService({ store: new MemoryStore() });
      for (let i = 0; i < 100; i++) await service.place({ orderId: 'p-' + i, placedAt, latestShipDate: placedAt + 2 * 86400000, items: [{ orderItemId: 'A', quantity: 1 }] });
      const swept = await service.sweep(placedAt + 3600000, { batch: 100 });
      console.log(JSON.stringify({ applied: swept.applied, failed: swept.failed.length, status: (await service.get('p-99')).status }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    expect(JSON.parse(out)).toEqual({ applied: 100, failed: 0, status: 'unshipped' });
  });

  it('should load every entry with require() from CommonJS (Node 20.19+ requires the ESM build: no entry awaits at the top level)', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string> | string>;
    };
    const subpaths = Object.entries(pkg.exports).filter(([, target]) => typeof target !== 'string');
    for (const [subpath, target] of subpaths) {
      // `default` after `import`: what require() (and any other condition) resolves to.
      expect(Object.keys(target), subpath).toEqual(['types', 'import', 'default']);
      expect((target as Record<string, string>)['default'], subpath).toBe((target as Record<string, string>)['import']);
    }
    const specifiers = subpaths.map(([subpath]) => `order-lifecycle${subpath.slice(1)}`);
    const script = `const loaded = ${JSON.stringify(specifiers)}.map((name) => Object.keys(require(name)).length);
      const { createOrder, orderStatus } = require('order-lifecycle');
      const { snapshot } = createOrder({ orderId: 'o', placedAt: 0, latestShipDate: 0, items: [{ orderItemId: 'A', quantity: 1 }] });
      console.log(JSON.stringify({ empty: loaded.filter((n) => n === 0).length, status: orderStatus(snapshot) }));`;
    const out = execFileSync(process.execPath, ['--input-type=commonjs', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ empty: 0, status: 'buyer-cancellable' });
  });

  it('should keep the optional peer dependencies out of the published types, and name their ranges in its errors', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    const optional = Object.keys(optionalPeerRanges);
    for (const name of optional) {
      expect(pkg['peerDependenciesMeta']![name], name).toEqual({ optional: true });
      expect(pkg['peerDependencies']![name], name).toBe(optionalPeerRanges[name as OptionalPeer]);
      expect(pkg['devDependencies']![name], name).toBe(optionalPeerRanges[name as OptionalPeer]);
      expect(pkg['dependencies']![name], name).toBeUndefined();
    }
    // An app without the packages (or their @types/*) compiles the .d.ts files with skipLibCheck false.
    const named: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.d.ts')) {
          for (const match of readFileSync(path, 'utf8').matchAll(
            /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g,
          )) {
            if (optional.some((name) => match[1] === name || match[1]!.startsWith(`${name}/`)))
              named.push(`${relative(root, path)}: ${match[1]}`);
          }
        }
      }
    };
    walk(resolve(root, 'dist'));
    expect(named).toEqual([]);
  });

  it('should keep the main entry free of servers and WebAssembly', () => {
    const { packages } = importGraph(resolve(root, 'dist/src/index.js'));
    const forbidden = [...packages].filter((name) =>
      /^(ws|@hpcc-js|node:http|node:net|@statelyai\/inspect|commander)/.test(name),
    );
    expect(forbidden).toEqual([]);
    expect([...packages]).toContain('xstate');
  });

  it('should ship only the images the shipped docs link, no generated API reference, and JavaScript without its comments', () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
    ) as Array<{ files: Array<{ path: string }> }>;
    const files = packed!.files.map((file) => file.path);
    expect(files.filter((file) => file.startsWith('docs/api/'))).toEqual([]);
    const markdown = files
      .filter((file) => file.endsWith('.md'))
      .map((file) => readFileSync(resolve(root, file), 'utf8'))
      .join('\n');
    const images = files.filter((file) => /\.(png|jpe?g|svg|webp)$/.test(file));
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(markdown, image).toContain(`](${relative('docs', image)})`);
    // The JSDoc reaches editors through the .d.ts files; the JavaScript beside them carries none.
    expect(readFileSync(resolve(root, 'dist/src/runtime/step.d.ts'), 'utf8')).toContain('@example');
    expect(readFileSync(resolve(root, 'dist/src/runtime/step.js'), 'utf8')).not.toMatch(/\/\*\*|@example/);
  });
});
