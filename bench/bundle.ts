/**
 * `npm run bench:bundle`: what an app pays for importing order-lifecycle in the browser. Bundles the built root
 * entry (dist/src/index.js, what the exports map serves) with esbuild for the browser, minified, and measures the
 * real bytes of each bundle, raw and gzipped (zlib level 9) and brotli-compressed. Rows differ only in what is left
 * external, so the differences are what each part costs. Goals: the package's own code under 25 KB gzipped, and
 * README's four functions (createOrder, applyEvent, orderStatus, nextDeadline) with xstate and zod at most 35 KB.
 *
 * `npm run bench -- bundle` runs the same measurement as a section of the bench table (`bundleSection`): it compiles
 * the working tree with tsconfig.build.json into a scratch directory first, so dist/ is neither needed nor touched.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { defineSection, formatBytes, formatMs, now } from './lib.js';

const root = resolve(import.meta.dirname, '..');
const distEntry = resolve(root, 'dist/src/index.js');
const KB = 1024;
/** The goal: the package's own code, minified and gzipped, under 25 KB (1 KB = 1024 B). */
export const GOAL_OWN_GZIP = 25 * KB;
/** README's four functions, the ones a page that steps orders needs. */
export const README_FUNCTIONS = ['createOrder', 'applyEvent', 'orderStatus', 'nextDeadline'] as const;
/** The goal (issue 22): README's four functions with xstate and zod included, minified and gzipped, at most 35 KB. */
export const GOAL_README_GZIP = 35 * KB;

interface Measured {
  label: string;
  minified: number;
  gzip: number;
  brotli: number;
  /** Minified bytes per package (or "own" for the package's files), from esbuild's metafile. */
  parts: Record<string, number>;
  /** Minified bytes of the inputs esbuild took from zod's classic API (node_modules/zod/v4/classic). */
  zodClassic: number;
}

/** Rewrites the built files' (under `dir`) `import { z } from 'zod'` into the namespace import zod documents as tree-shakable. */
const namespaceZod = (dir: string): esbuild.Plugin => ({
  name: 'namespace-zod',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, (args) =>
      args.path.startsWith(dir + sep)
        ? {
            contents: readFileSync(args.path, 'utf8').replace(
              /import \{ z \} from 'zod';/g,
              "import * as z from 'zod';",
            ),
            loader: 'js',
          }
        : undefined,
    );
  },
});

async function measure(
  label: string,
  contents: string,
  external: string[],
  plugins: esbuild.Plugin[] = [],
): Promise<Measured> {
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
  let zodClassic = 0;
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/.][^/]*)\//.exec(file)?.[1] ?? 'own';
      parts[name] = (parts[name] ?? 0) + bytesInOutput;
      if (file.includes('node_modules/zod/v4/classic/')) zodClassic += bytesInOutput;
    }
  }
  return {
    label,
    minified: bytes.byteLength,
    gzip: gzipSync(bytes, { level: 9 }).byteLength,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength,
    parts,
    zodClassic,
  };
}

/**
 * Every bundle of the table, measured; the third row is the package's own code, the goal's subject, the last one
 * README's four functions with everything in, the other goal's subject. `entry` is the
 * built root entry (default dist/src/index.js); `npm run bench` measures a fresh build of the working tree instead.
 */
export async function measureBundles(entry = distEntry): Promise<Measured[]> {
  if (!existsSync(entry))
    throw new Error(`Missing ${entry}: run \`npm run build\` first (\`npm run bench:bundle\` does).`);
  const builtDir = resolve(entry, '../..');
  const everything = `export * from ${JSON.stringify(entry)};`;
  const appImports = `export { createOrderActor, explain, serializeOrder, restoreOrder, orderStatus, nextDeadline } from ${JSON.stringify(entry)};`;
  return [
    await measure('root entry, everything (own + zod + xstate)', everything, []),
    await measure('root entry without xstate (own + zod)', everything, ['xstate']),
    await measure("root entry, package's own code (xstate, zod external)", everything, ['xstate', 'zod']),
    await measure('a UI import: createOrderActor, explain, codec, status (all in)', appImports, []),
    await measure(
      'what-if: without xstate, the package importing zod as `* as z`',
      everything,
      ['xstate'],
      [namespaceZod(builtDir)],
    ),
    await measure('baseline: xstate alone (export * from xstate)', `export * from 'xstate';`, []),
    await measure('baseline: zod alone (export { z } from zod)', `export { z } from 'zod';`, []),
    await measure(
      `README's four functions: ${README_FUNCTIONS.join(', ')} (all in)`,
      `export { ${README_FUNCTIONS.join(', ')} } from ${JSON.stringify(entry)};`,
      [],
    ),
  ];
}

/** A bundle's minified bytes by origin, zod, xstate and the package's own code first: `zod 33.6 KiB, xstate 38.7 KiB, own 51.2 KiB`. */
function partsText(row: Measured): string {
  const order = ['zod', 'xstate', 'own'];
  const names = Object.keys(row.parts).sort(
    (a, b) => (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1),
  );
  return names.map((name) => `${name} ${formatBytes(row.parts[name]!)}`).join(', ');
}

/** Prints the table and the goal. */
export async function printBundles(): Promise<void> {
  const entry = distEntry;
  const rows = await measureBundles(entry);
  const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
  const own = rows[2]!;
  const full = rows[0]!;
  console.log(
    `Browser bundle of ${entry.replace(`${root}/`, '')} (esbuild ${esbuild.version}, minified, ESM, platform browser; 1 KB = 1024 B)\n`,
  );
  console.table(
    rows.map((row) => ({
      bundle: row.label,
      minified: kb(row.minified),
      gzip: kb(row.gzip),
      brotli: kb(row.brotli),
      'share of full (gzip)': `${((row.gzip / full.gzip) * 100).toFixed(0)}%`,
    })),
  );
  console.log(
    'Minified bytes by origin in the full bundle:',
    Object.fromEntries(Object.entries(full.parts).map(([k, v]) => [k, kb(v)])),
  );
  console.log();
  const readme = rows[rows.length - 1]!;
  console.log(`Minified bytes by origin, README's four functions: ${partsText(readme)}`);
  console.log();
  console.table([
    {
      goal: "package's own code, gzipped",
      measured: kb(own.gzip),
      target: `< ${kb(GOAL_OWN_GZIP)}`,
      ratio: (own.gzip / GOAL_OWN_GZIP).toFixed(2),
      status: own.gzip < GOAL_OWN_GZIP ? 'met' : 'not met',
    },
    {
      goal: "README's four functions with xstate and zod, gzipped",
      measured: kb(readme.gzip),
      target: `≤ ${kb(GOAL_README_GZIP)}`,
      ratio: (readme.gzip / GOAL_README_GZIP).toFixed(2),
      status: readme.gzip <= GOAL_README_GZIP ? 'met' : 'not met',
    },
  ]);
}

/**
 * Compiles the working tree with tsconfig.build.json (JavaScript only) into a scratch directory under
 * node_modules/.cache, where `xstate` and `zod` resolve as they do from dist/; returns the root entry and a cleanup.
 */
function buildScratch(): { entry: string; remove: () => void } {
  const cache = join(root, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'order-lifecycle-bundle-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    execFileSync(
      process.execPath,
      [tsc, '-p', 'tsconfig.build.json', '--outDir', dir, '--declaration', 'false', '--sourceMap', 'false'],
      { cwd: root, stdio: 'pipe' },
    );
  } catch (error) {
    remove();
    const output = (error as { stdout?: Buffer }).stdout?.toString().trim() ?? '';
    throw new Error(
      `The bundle section could not build the package (tsc -p tsconfig.build.json): ${output.split('\n').slice(0, 5).join(' ') || String(error)}`,
    );
  }
  return { entry: join(dir, 'src/index.js'), remove };
}

/**
 * The bench section `bundle`: the browser bundles of the root entry, built from the working tree, as rows of the bench
 * table: the package's own code minified + gzipped against the 25 KB goal (baseline: xstate alone), the entry without
 * xstate (baseline: zod alone) and with it (baseline: xstate alone), what a UI's imports pay, and README's four
 * functions with xstate and zod against the 35 KB goal, with their minified bytes by origin in a note.
 */
export const bundleSection = defineSection('bundle', async (t) => {
  const started = now();
  const { entry, remove } = buildScratch();
  const built = now() - started;
  let rows: Measured[];
  try {
    rows = await measureBundles(entry);
  } finally {
    remove();
  }
  const [full, withoutXstate, own, ui, , xstate, zod, readme] = rows as [
    Measured,
    Measured,
    Measured,
    Measured,
    Measured,
    Measured,
    Measured,
    Measured,
  ];
  t.bytes("browser bundle, package's own code (xstate, zod external), minified + gzipped vs xstate alone", own.gzip, {
    baseline: xstate.gzip,
    maxBytes: GOAL_OWN_GZIP,
  });
  t.bytes(
    'browser bundle of the root entry without xstate (own + zod), minified + gzipped vs zod alone',
    withoutXstate.gzip,
    { baseline: zod.gzip },
  );
  t.bytes(
    'browser bundle of the root entry with xstate (own + zod + xstate), minified + gzipped vs xstate alone',
    full.gzip,
    { baseline: xstate.gzip },
  );
  t.bytes(
    'browser bundle of a UI import (createOrderActor, explain, codec, status; all in), minified + gzipped vs the whole entry',
    ui.gzip,
    { baseline: full.gzip },
  );
  t.bytes(
    `browser bundle of README's four functions (${README_FUNCTIONS.join(', ')}) with xstate and zod, minified + gzipped vs xstate alone`,
    readme.gzip,
    { baseline: xstate.gzip, maxBytes: GOAL_README_GZIP },
  );
  const sizes = (row: Measured) =>
    `minified ${formatBytes(row.minified)}, gzip ${formatBytes(row.gzip)}, brotli ${formatBytes(row.brotli)}`;
  t.note(
    `esbuild ${esbuild.version}, platform browser, ESM, minified; gzip is zlib level 9, brotli quality 11, on the bundles' bytes; built from the working tree with tsconfig.build.json in ${formatMs(built)} (untimed). ` +
      `Own code: ${sizes(own)}; without xstate: ${sizes(withoutXstate)}; with xstate: ${sizes(full)}; xstate alone: ${sizes(xstate)}; zod alone: ${sizes(zod)}. \`npm run bench:bundle\` prints every bundle of dist/.`,
  );
  t.note(
    `README's four functions (${README_FUNCTIONS.join(', ')}): ${sizes(readme)}; minified bytes by origin (esbuild's metafile): ${partsText(readme)}; from zod's classic API (zod/v4/classic): ${formatBytes(readme.zodClassic)}.`,
  );
});

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await printBundles();
