/**
 * `npm run bench:bundle`: what an app pays for importing order-lifecycle in the browser. Bundles the built root
 * entry (dist/src/index.js, what the exports map serves) with esbuild for the browser, minified, and measures the
 * real bytes of each bundle, raw and gzipped (zlib level 9) and brotli-compressed. Rows differ only in what is left
 * external, so the differences are what each part costs. Goal: the package's own code under 25 KB gzipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const entry = resolve(root, 'dist/src/index.js');
const KB = 1024;
const GOAL_OWN_GZIP = 25 * KB;

interface Measured {
  label: string;
  minified: number;
  gzip: number;
  brotli: number;
  /** Minified bytes per package (or "own" for the package's files), from esbuild's metafile. */
  parts: Record<string, number>;
}

/** Rewrites the built files' `import { z } from 'zod'` into the namespace import zod documents as tree-shakable. */
const namespaceZod: esbuild.Plugin = {
  name: 'namespace-zod',
  setup(build) {
    build.onLoad({ filter: /\/dist\/.*\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/import \{ z \} from 'zod';/g, "import * as z from 'zod';"),
      loader: 'js',
    }));
  },
};

async function measure(label: string, contents: string, external: string[], plugins: esbuild.Plugin[] = []): Promise<Measured> {
  const result = await esbuild.build({
    plugins,
    stdin: { contents, resolveDir: root, sourcefile: 'app.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0]!.contents;
  const parts: Record<string, number> = {};
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? 'own';
      parts[name] = (parts[name] ?? 0) + bytesInOutput;
    }
  }
  return {
    label,
    minified: bytes.byteLength,
    gzip: gzipSync(bytes, { level: 9 }).byteLength,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength,
    parts,
  };
}

/**
 * Every bundle of the table, measured; the third row is the package's own code, the goal's subject. Exported so that
 * `npm run bench` can print it as a section too.
 */
export async function measureBundles(): Promise<Measured[]> {
  if (!existsSync(entry)) throw new Error(`Missing ${entry}: run \`npm run build\` first (\`npm run bench:bundle\` does).`);
  const everything = `export * from ${JSON.stringify(entry)};`;
  const appImports = `export { createOrderActor, explain, serializeOrder, restoreOrder, orderStatus, nextDeadline } from ${JSON.stringify(entry)};`;
  return [
    await measure('root entry, everything (own + zod + xstate)', everything, []),
    await measure('root entry without xstate (own + zod)', everything, ['xstate']),
    await measure("root entry, package's own code (xstate, zod external)", everything, ['xstate', 'zod']),
    await measure('a UI import: createOrderActor, explain, codec, status (all in)', appImports, []),
    await measure("what-if: without xstate, the package importing zod as `* as z`", everything, ['xstate'], [namespaceZod]),
    await measure('baseline: xstate alone (export * from xstate)', `export * from 'xstate';`, []),
    await measure('baseline: zod alone (export { z } from zod)', `export { z } from 'zod';`, []),
  ];
}

/** Prints the table and the goal. */
export async function printBundles(): Promise<void> {
  const rows = await measureBundles();
  const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
  const own = rows[2]!;
  const full = rows[0]!;
  console.log(`Browser bundle of ${entry.replace(`${root}/`, '')} (esbuild ${esbuild.version}, minified, ESM, platform browser; 1 KB = 1024 B)\n`);
  console.table(
    rows.map((row) => ({
      bundle: row.label,
      minified: kb(row.minified),
      gzip: kb(row.gzip),
      brotli: kb(row.brotli),
      'share of full (gzip)': `${((row.gzip / full.gzip) * 100).toFixed(0)}%`,
    })),
  );
  console.log('Minified bytes by origin in the full bundle:', Object.fromEntries(Object.entries(full.parts).map(([k, v]) => [k, kb(v)])));
  console.log();
  console.table([
    {
      goal: "package's own code, gzipped",
      measured: kb(own.gzip),
      target: `< ${kb(GOAL_OWN_GZIP)}`,
      ratio: (own.gzip / GOAL_OWN_GZIP).toFixed(2),
      status: own.gzip < GOAL_OWN_GZIP ? 'met' : 'not met',
    },
  ]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await printBundles();
