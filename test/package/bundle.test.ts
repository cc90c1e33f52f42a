import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** Packages the root entry may bring into a browser bundle; anything else from node_modules is a finding. */
const allowedPackages = new Set(['xstate', 'zod']);
const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

interface BrowserBundle {
  /** The IIFE text, minified, exposing the entry's exports as `globalThis.bundle`. */
  code: string;
  /** Node built-in modules some file imported, as `importer -> specifier`. */
  builtins: string[];
  /** Packages from node_modules that ended up in the bundle. */
  packages: string[];
}

/**
 * Bundles an entry for the browser the way an app's bundler would (esbuild, platform browser). Node built-ins are
 * recorded and left external instead of failing the build, so the test can name every one of them.
 */
async function bundleForBrowser(entry: { file: string } | { source: string }): Promise<BrowserBundle> {
  const builtins: string[] = [];
  const result = await esbuild.build({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.source, resolveDir: root, loader: 'ts' as const } }),
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'bundle',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'record-node-builtins',
        setup(build) {
          build.onResolve({ filter: /.*/ }, (args) => {
            if (!nodeBuiltins.has(args.path)) return undefined;
            builtins.push(`${args.importer.replace(`${root}/`, '')} -> ${args.path}`);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const packages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.add(match[1]!);
  }
  return { code: result.outputFiles[0]!.text, builtins, packages: [...packages].sort() };
}

/**
 * Runs a bundle in a fresh context with the globals every browser has and none of Node's (`process`, `Buffer`,
 * `require`, `global`, `__dirname`), then runs `script` against its exports; returns what the script returns.
 */
function runLikeABrowser(code: string, script: string): unknown {
  const window: Record<string, unknown> = {
    console,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    structuredClone,
    TextEncoder,
    TextDecoder,
    URL,
    Intl,
  };
  window['globalThis'] = window;
  window['window'] = window;
  window['self'] = window;
  return runInNewContext(`${code};\n(() => { ${script} })()`, window, { filename: 'browser-bundle.js' });
}

describe('the entries an app embeds, as browser bundles', () => {
  const serverPackages = ['better-sqlite3', 'pg', 'ws', '@hpcc-js/wasm-graphviz'];
  it.each([
    ['order-lifecycle/metrics', 'src/metrics/index.ts'],
    ['order-lifecycle/amazon', 'src/amazon/index.ts'],
    ['order-lifecycle/testing', 'src/testing/index.ts'],
    ['order-lifecycle/testing/model', 'src/testing/model/index.ts'],
  ])('%s should bundle with no Node built-in module and no server or native package', async (_name, file) => {
    const bundle = await bundleForBrowser({ file: resolve(root, file) });
    expect(bundle.builtins).toEqual([]);
    expect(bundle.packages.filter((name) => serverPackages.includes(name))).toEqual([]);
  });
});

describe('the root entry as a browser bundle', () => {
  it('should bundle with no Node built-in module and no package but xstate and zod', async () => {
    const bundle = await bundleForBrowser({ file: resolve(root, 'src/index.ts') });
    expect(bundle.builtins).toEqual([]);
    expect(bundle.packages.filter((name) => !allowedPackages.has(name))).toEqual([]);
    expect(bundle.packages).toContain('xstate');
  });

  it('should run an order from the bundle without any Node global', async () => {
    const bundle = await bundleForBrowser({ file: resolve(root, 'src/index.ts') });
    const out = runLikeABrowser(
      bundle.code,
      `const m = globalThis.bundle;
       const placedAt = Date.parse('2026-11-26T10:00:00+08:00');
       let { snapshot } = m.createOrder({ orderId: '113-1', placedAt, latestShipDate: placedAt + 2 * 86400000,
         items: [{ orderItemId: 'A', quantity: 2 }] });
       snapshot = m.applyEvent(snapshot, { type: 'seller.generateLabel', at: placedAt + 40 * 60000 }).snapshot;
       const refused = m.explain(snapshot, { type: 'seller.cancel', at: placedAt + 41 * 60000, reason: 'NoInventory' });
       const restored = m.restoreOrder(m.serializeOrder(snapshot));
       let bad = '';
       try { m.createOrder({ orderId: '' }); } catch (error) { bad = error.name; }
       return JSON.stringify({ status: m.orderStatus(restored), code: refused.code, zh: refused.message['zh-CN'].length > 0, bad });`,
    );
    expect(JSON.parse(out as string)).toEqual({
      status: 'label-generated',
      code: 'LABEL_GENERATED',
      zh: true,
      bad: 'InvalidInputError',
    });
  });

  it('should name a Node built-in, a server package and a Node global when an entry brings them in', async () => {
    const bundle = await bundleForBrowser({
      source: `import { readFileSync } from 'node:fs'; import path from 'path'; import { WebSocketServer } from 'ws';
        export const read = () => readFileSync(path.join('a', 'b')); export const server = WebSocketServer;
        export const cwd = process.cwd();`,
    });
    expect(bundle.builtins).toEqual(expect.arrayContaining(['<stdin> -> node:fs', '<stdin> -> path']));
    expect(bundle.packages).toContain('ws');
    const globalsOnly = await bundleForBrowser({ source: 'export const cwd = process.cwd();' });
    expect(globalsOnly.builtins).toEqual([]);
    expect(() => runLikeABrowser(globalsOnly.code, 'return 1;')).toThrow(/process is not defined/);
  });
});
