import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import {
  codeBlocks,
  entryPoints,
  root,
  runTypeScript,
  scratchDirectory,
  strayContexts,
  undeclaredStatements,
  withAssertions,
  type Block,
} from './blocks.js';
import { documentsWithCode } from './documents.js';

const documents = documentsWithCode;

const blocks = documents.flatMap((document) => codeBlocks(document, readFileSync(resolve(root, document), 'utf8')));
/** Every hand-written page a reader copies from: README.md and docs/ (not the generated docs/api/), tested here or not. */
const pages = [
  'README.md',
  ...readdirSync(resolve(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md') && !/^api[\\/]/.test(path))
    .map((path) => `docs/${path.replaceAll('\\', '/')}`),
].map((page) => ({ page, text: readFileSync(resolve(root, page), 'utf8') }));
const { dir, remove } = scratchDirectory();
afterAll(remove);

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

  it('should tell a ts-context that only declares what the reader has from one that hides an import or a constant', () => {
    expect(undeclaredStatements("declare const db: { load(id: string): Promise<string> };\ndeclare function handler(): void;")).toEqual([]);
    expect(undeclaredStatements("declare const input: import('order-lifecycle').OrderInput;")).toEqual([]);
    expect(
      undeclaredStatements("import { createOrder } from 'order-lifecycle';\nimport type { OrderInput } from 'order-lifecycle';\nconst HOUR = 60 * 60_000;\ntype Id = string;\ndeclare const id: Id;"),
    ).toEqual(["import { createOrder } from 'order-lifecycle';", "import type { OrderInput } from 'order-lifecycle';", 'const HOUR = 60 * 60_000;', 'type Id = string;']);
    expect(strayContexts('x.md', '<!-- ts-context\ndeclare const a: 1;\n-->\n```ts no-run\na;\n```\n<!-- ts-context\ndeclare const b: 1;\n-->\n\n```ts\nb;\n```\n')).toEqual(['x.md:7']);
  });

  it('should keep every block complete as shown: a ts-context only declares what the prose says the reader has', () => {
    const hidden = pages.flatMap(({ page, text }) =>
      codeBlocks(page, text).flatMap((block) => undeclaredStatements(block.context).map((statement) => `${block.name}: ${statement}`)),
    );
    expect(hidden).toEqual([]);
    expect(pages.flatMap(({ page, text }) => strayContexts(page, text))).toEqual([]);
  });

  it('should hide nothing from a block that runs: the program a reader pastes is all there is', () => {
    const runnable = pages.flatMap(({ page, text }) => codeBlocks(page, text).filter((block) => block.run));
    expect(runnable.length).toBeGreaterThanOrEqual(blocks.filter((block) => block.run).length);
    expect(runnable.filter((block) => block.context !== '').map((block) => block.name)).toEqual([]);
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
      const code = `import assert from 'node:assert';\n${block.context}\n${withAssertions(block.code)}`;
      expect(() => runTypeScript(dir, block.name, code)).not.toThrow();
    },
    30_000,
  );
});
