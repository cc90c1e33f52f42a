import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = join(root, 'test/inspector/fixtures/buyer-asks-after-label.json');

/** Runs the CLI under tsx; `onOutput` sees the growing stdout and may stop the process. */
function cli(
  args: string[],
  onOutput?: (stdout: string, stop: () => void) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
      cwd: root,
      env: { ...process.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      onOutput?.(stdout, () => child.kill('SIGTERM'));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe('order-lifecycle inspect', () => {
  it('should print its address, serve the recorded order, and stop cleanly on SIGTERM', async () => {
    let served: unknown[] | undefined;
    const result = await cli(['inspect', '--port', '0', '--open', fixture], (stdout, stop) => {
      const url = /order-lifecycle inspector: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1];
      if (!url || served) return;
      served = [];
      void fetch(`${url}api/orders`)
        .then((response) => response.json() as Promise<unknown[]>)
        .then((orders) => {
          served = orders;
          stop();
        });
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/createWebSocketInspector\(\{ url: 'ws:\/\/127\.0\.0\.1:\d+' \}\)/);
    expect(result.stdout).toMatch(/connectInspector\('ws:\/\/127\.0\.0\.1:\d+'\)/);
    expect(result.stdout).toContain('loaded 1 recorded order from');
    expect(served).toHaveLength(1);
  });

  it('should refuse a non-loopback host with one sentence and exit code 2', async () => {
    const result = await cli(['inspect', '--host', '0.0.0.0', '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Refusing to bind the inspector to "0\.0\.0\.0": .*--allow-remote.*\n$/);
  });

  it('should name a bad port', async () => {
    const result = await cli(['inspect', '--port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: Invalid --port "eighty": expected a whole number from 0 to 65535.\n');
  });
});

describe('package entry points', () => {
  /** Every file the module at `file` imports, transitively, following relative imports only. */
  function importGraph(file: string, seen = new Set<string>()): { files: Set<string>; packages: Set<string> } {
    const packages = new Set<string>();
    const visit = (path: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      const source = readFileSync(path, 'utf8');
      for (const match of source.matchAll(
        /^\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|import\('([^']+)'\)/gm,
      )) {
        const specifier = match[1] ?? match[2] ?? match[3]!;
        if (specifier.startsWith('.')) visit(resolve(dirname(path), specifier.replace(/\.js$/, '.ts')));
        else packages.add(specifier);
      }
    };
    visit(file);
    return { files: seen, packages };
  }

  it('should keep the server and WebAssembly out of the main entry', () => {
    const { files, packages } = importGraph(join(root, 'src/index.ts'));
    expect(files.size).toBeGreaterThan(10);
    expect([...files].map((file) => relative(root, file)).filter((file) => file.startsWith('src/inspector'))).toEqual(
      [],
    );
    expect([...packages].filter((name) => /^(ws|@hpcc-js\/|node:http|@statelyai\/)/.test(name))).toEqual([]);
  });

  it('should export the inspector under order-lifecycle/inspector', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string>>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.exports['./inspector']!)[0]).toBe('types');
    expect(manifest.exports['./inspector']!['import']).toBe('./dist/src/inspector/index.js');
    // The page draws the chart at run time with Graphviz, and talks over ws: optional peer dependencies, which an
    // app that runs the inspector installs (test/package/consumer.test.ts checks the error that says so), and this
    // package installs for its own tests.
    for (const name of ['@hpcc-js/wasm-graphviz', 'ws']) {
      expect(manifest.peerDependencies, name).toHaveProperty(name);
      expect(manifest.peerDependenciesMeta[name], name).toEqual({ optional: true });
      expect(manifest.devDependencies[name], name).toBe(manifest.peerDependencies[name]);
    }
  });

  it('should document --db and --database-url in inspect --help, and refuse a missing database file in one sentence', async () => {
    const help = await cli(['inspect', '--help']);
    expect(help.stdout).toContain('--db <file>');
    expect(help.stdout).toContain('--database-url <url>');
    expect(help.stdout).toContain('Nothing is written');
    const missing = await cli(['inspect', '--port', '0', '--db', 'no-such-dir/orders.db']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/Cannot open the order database "no-such-dir\/orders\.db": .*\./);
  });
});
