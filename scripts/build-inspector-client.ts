/**
 * Bundles the inspector page's script (src/inspector/client/main.ts and what it imports) with esbuild into one
 * browser file. `npm run build` runs this after tsc: it writes dist/src/inspector/app.js, which the built server
 * reads and serves. Running from src (vitest, tsx), the server calls `bundleInspectorClient()` itself and keeps the
 * text in memory, so tests always serve the script of the working tree.
 *
 * The bundle takes only the package's own files: no dependency (zod), no `node:` module. A build that would
 * fails naming the file that pulled it in.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(import.meta.dirname, '..');
/** The page's entry module. */
export const CLIENT_ENTRY = resolve(root, 'src/inspector/client/main.ts');
/** Where `npm run build` writes the bundle: next to the built server, which reads it from there. */
export const CLIENT_OUTFILE = resolve(root, 'dist/src/inspector/app.js');

/** Thrown when the page's bundle would take a file from outside the package's own sources. */
export class ClientBundleError extends Error {
  override name = 'ClientBundleError';
}

/** The bundle's text and the files it was made from (paths relative to the package root). */
export interface ClientBundle {
  text: string;
  inputs: string[];
}

/**
 * The inspector page's script as one minified browser file (an IIFE: the page loads it as a classic script).
 * @example
 * const { text } = await bundleInspectorClient();
 */
export async function bundleInspectorClient(): Promise<ClientBundle> {
  const result = await esbuild.build({
    entryPoints: [CLIENT_ENTRY],
    absWorkingDir: root,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    charset: 'utf8',
    legalComments: 'none',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const foreign = inputs.find((input) => !input.startsWith('src/'));
  if (foreign !== undefined)
    throw new ClientBundleError(
      `The inspector page's bundle must take only the package's own files, but it takes ${JSON.stringify(foreign)} (imported by ${JSON.stringify(importerOf(result.metafile, foreign))}).`,
    );
  return { text: result.outputFiles[0]!.text, inputs };
}

/** The first input that imports `path`, to name in an error. */
function importerOf(metafile: esbuild.Metafile, path: string): string | undefined {
  return Object.entries(metafile.inputs).find(([, input]) => input.imports.some((each) => each.path === path))?.[0];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { text } = await bundleInspectorClient();
  mkdirSync(dirname(CLIENT_OUTFILE), { recursive: true });
  writeFileSync(CLIENT_OUTFILE, text);
  console.log(`${relative(root, CLIENT_OUTFILE)}: ${Buffer.byteLength(text)} bytes`);
}
