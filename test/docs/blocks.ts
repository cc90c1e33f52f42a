import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';

/** The repository's root. */
export const root = resolve(import.meta.dirname, '../..');
const requireFromRoot = createRequire(resolve(root, 'package.json'));

/** The package's own entry points, as an app imports them, mapped to the source. */
export const entryPoints: Record<string, string> = {
  'order-lifecycle': resolve(root, 'src/index.ts'),
  'order-lifecycle/metrics': resolve(root, 'src/metrics/index.ts'),
  'order-lifecycle/testing': resolve(root, 'src/testing/index.ts'),
  'order-lifecycle/testing/model': resolve(root, 'src/testing/model/index.ts'),
  'order-lifecycle/inspector': resolve(root, 'src/inspector/index.ts'),
  'order-lifecycle/service': resolve(root, 'src/service/index.ts'),
  'order-lifecycle/store': resolve(root, 'src/store/index.ts'),
  'order-lifecycle/amazon': resolve(root, 'src/amazon/index.ts'),
};

/** One TypeScript block of a Markdown document. */
export interface Block {
  name: string;
  code: string;
  /** Declarations from a `<!-- ts-context … -->` comment right above the block: what the prose says the reader has. */
  context: string;
  run: boolean;
}

/**
 * Every ```ts / ```typescript block of a Markdown document, with its info string's `no-run` flag. A block right
 * below `<!-- excerpt: FILE -->` quotes an example's file and is left to test/docs/excerpts.test.ts.
 */
export function codeBlocks(document: string, text: string): Block[] {
  const blocks: Block[] = [];
  const pattern = /(?:^<!--[ \t]*ts-context\s((?:(?!-->)[\s\S])*)-->[ \t]*\n)?^```(ts|typescript)((?:[ \t]+[\w-]+)*)[ \t]*\n([\s\S]*?)^```/gm;
  for (const match of text.matchAll(pattern)) {
    if (/<!--[ \t]*excerpt:[^\n]*-->[ \t]*\n$/.test(text.slice(0, match.index))) continue;
    const line = text.slice(0, match.index + match[0].indexOf('```')).split('\n').length;
    const flags = match[3]!.trim().split(/\s+/);
    blocks.push({ name: `${document}:${line}`, code: match[4]!, context: match[1]?.trim() ?? '', run: !flags.includes('no-run') });
  }
  return blocks;
}

/**
 * The statements of a `ts-context` that are not `declare` statements. A context only declares what the prose says
 * the reader has (`declare const db: …`, types written `import('order-lifecycle').OrderInput`): the imports and
 * constants a block uses are in the block, where a reader who copies it sees them.
 */
export function undeclaredStatements(context: string): string[] {
  const file = ts.createSourceFile('context.ts', context, ts.ScriptTarget.Latest);
  const declares = (statement: ts.Statement) =>
    ts.canHaveModifiers(statement) &&
    (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.DeclareKeyword);
  return file.statements.filter((statement) => !declares(statement)).map((statement) => statement.getText(file));
}

/** The `<!-- ts-context … -->` comments of a Markdown document that are not right above a TypeScript block. */
export function strayContexts(document: string, text: string): string[] {
  const comments = /^<!--[ \t]*ts-context\b(?:(?:(?!-->)[\s\S])*-->[ \t]*\n(?=(```(?:ts|typescript)\b)))?/gm;
  return [...text.matchAll(comments)]
    .filter((match) => match[1] === undefined)
    .map((match) => `${document}:${text.slice(0, match.index).split('\n').length}`);
}

/** Turns `expr; // 'value'` comment lines of a runnable example into assertions on the value. */
export function withAssertions(code: string): string {
  return code
    .split('\n')
    .map((line) => {
      const match = /^(?:(?:const|let)\s+)?(.+?);\s*\/\/\s*('.*')\s*$/.exec(line);
      return match ? `assert.deepStrictEqual(${match[1]}, ${match[2]}, ${JSON.stringify(match[1])});` : line;
    })
    .join('\n');
}

/**
 * A directory outside the repository and node_modules for the files a test writes, so nothing is left behind in
 * either, and its removal for `afterAll`.
 */
export function scratchDirectory(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'order-lifecycle-docs-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs TypeScript written as an app would (importing `order-lifecycle`, xstate, …) from a file in `dir`, with tsx in
 * a child process, and returns what it printed; throws when it fails. The package's names map to its source, other
 * packages to the repository's node_modules.
 */
export function runTypeScript(dir: string, name: string, source: string): string {
  let code = source;
  for (const [entry, path] of Object.entries(entryPoints)) code = code.replaceAll(`from '${entry}'`, `from ${JSON.stringify(path)}`);
  code = code.replace(/from '((?:@[\w.-]+\/)?[\w.-]+(?:\/[\w.-]+)*)'/g, (whole, specifier: string) =>
    specifier.startsWith('.') ? whole : `from ${JSON.stringify(requireFromRoot.resolve(specifier))}`,
  );
  const file = join(dir, `run-${name.replace(/\W/g, '_')}.ts`);
  writeFileSync(file, code);
  return execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: 'pipe', encoding: 'utf8' });
}
