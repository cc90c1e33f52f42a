import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { documentsWithCode } from './documents.js';

const root = resolve(import.meta.dirname, '../..');
const requireFromRoot = createRequire(resolve(root, 'package.json'));

const documents = documentsWithCode;

/** The package's own entry points, as an app imports them, mapped to the source. */
const entryPoints: Record<string, string> = {
  'order-lifecycle': resolve(root, 'src/index.ts'),
  'order-lifecycle/testing': resolve(root, 'src/testing/index.ts'),
  'order-lifecycle/inspector': resolve(root, 'src/inspector/index.ts'),
  'order-lifecycle/service': resolve(root, 'src/service/index.ts'),
  'order-lifecycle/store': resolve(root, 'src/store/index.ts'),
  'order-lifecycle/amazon': resolve(root, 'src/amazon/index.ts'),
};

interface Block {
  name: string;
  code: string;
  /** Declarations from a `<!-- ts-context … -->` comment right above the block: what the example assumes exists. */
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

/** Turns `expr; // 'value'` comment lines of a runnable example into assertions on the value. */
function withAssertions(code: string): string {
  return code
    .split('\n')
    .map((line) => {
      const match = /^(?:(?:const|let)\s+)?(.+?);\s*\/\/\s*('.*')\s*$/.exec(line);
      return match ? `assert.deepStrictEqual(${match[1]}, ${match[2]}, ${JSON.stringify(match[1])});` : line;
    })
    .join('\n');
}

const blocks = documents.flatMap((document) => codeBlocks(document, readFileSync(resolve(root, document), 'utf8')));
// Outside the repository and node_modules, so nothing is left behind in either; removed after the run.
const dir = mkdtempSync(join(tmpdir(), 'order-lifecycle-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Module-scoped file for one block: its context, then its code (`export {}` keeps each block its own module). */
const fileOf = (block: Block, index: number) => join(dir, `block-${index}.ts`);
const sourceOf = (block: Block) => `${block.context}\n${block.code}\nexport {};\n`;

describe('TypeScript in README.md and docs/', () => {
  it('should find the examples it checks', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    // The README's one code sample runs, so its commented values are checked.
    expect(blocks.find((block) => block.name.startsWith('README.md:'))).toMatchObject({ run: true });
  });

  it('should parse the info string and the ts-context comment', () => {
    const [plain, quiet] = codeBlocks(
      'x.md',
      "```ts\nconst a = 1;\n```\nSay `<!-- ts-context -->` in prose.\n<!-- ts-context\ndeclare const b: number;\n-->\n```ts no-run\nb;\n```\n",
    );
    expect(plain).toEqual({ name: 'x.md:1', code: 'const a = 1;\n', context: '', run: true });
    expect(quiet).toEqual({ name: 'x.md:8', code: 'b;\n', context: 'declare const b: number;', run: false });
    expect(codeBlocks('x.md', '<!-- excerpt: examples/a.ts -->\n```ts\nfragment(\n```\n```ts\nconst c = 1;\n```\n').map((block) => block.name)).toEqual(['x.md:5']);
  });

  it('should type-check every block against the package source, as an app imports it', () => {
    const files = blocks.map((block, index) => {
      writeFileSync(fileOf(block, index), sourceOf(block));
      return fileOf(block, index);
    });
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      strict: true,
      noUncheckedIndexedAccess: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      resolveJsonModule: true,
      // The examples live outside the repository: the package's names map to its source, everything else to
      // the repository's node_modules (xstate, vitest, @statelyai/inspect, fast-check, Node's types).
      paths: {
        ...Object.fromEntries(Object.entries(entryPoints).map(([name, path]) => [name, [path]])),
        '*': [resolve(root, 'node_modules/*'), resolve(root, 'node_modules/@types/*')],
      },
      typeRoots: [resolve(root, 'node_modules/@types')],
      types: ['node'],
    };
    const program = ts.createProgram(files, options);
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.includes(resolve(d.file.fileName)));
    const messages = diagnostics.map((d) => {
      const index = files.indexOf(resolve(d.file!.fileName));
      const block = blocks[index]!;
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      const contextLines = block.context ? block.context.split('\n').length : 0;
      return `${block.name} +${line - contextLines}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(messages).toEqual([]);
  }, 60_000);

  it.each(blocks.filter((block) => block.run).map((block) => [block.name, block] as const))(
    'should run %s and produce the values its comments claim',
    (_, block) => {
      let code = `import assert from 'node:assert';\n${block.context}\n${withAssertions(block.code)}`;
      for (const [name, path] of Object.entries(entryPoints)) code = code.replaceAll(`from '${name}'`, `from ${JSON.stringify(path)}`);
      // The file lives outside the repository: other packages (xstate, fast-check) resolve from its node_modules.
      code = code.replace(/from '((?:@[\w.-]+\/)?[\w.-]+(?:\/[\w.-]+)*)'/g, (whole, name: string) =>
        name.startsWith('.') ? whole : `from ${JSON.stringify(requireFromRoot.resolve(name))}`,
      );
      const file = join(dir, `run-${block.name.replace(/\W/g, '_')}.ts`);
      writeFileSync(file, code);
      expect(() => execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: 'pipe' })).not.toThrow();
    },
    30_000,
  );
});
