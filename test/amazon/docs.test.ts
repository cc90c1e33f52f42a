import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import * as amazon from '../../src/amazon/index.js';
import { withAssertions } from '../docs/blocks.js';

const root = resolve(import.meta.dirname, '../..');
const doc = readFileSync(resolve(root, 'docs/amazon.md'), 'utf8');
const entryPoints: Record<string, string> = {
  'order-lifecycle': resolve(root, 'src/index.ts'),
  'order-lifecycle/amazon': resolve(root, 'src/amazon/index.ts'),
};

/** The ```ts blocks of the document, with the `<!-- ts-context … -->` above each and its `no-run` flag (as test/docs reads them). */
const blocks = [
  ...doc.matchAll(
    /(?:^<!--[ \t]*ts-context\s((?:(?!-->)[\s\S])*)-->[ \t]*\n)?^```ts((?:[ \t]+[\w-]+)*)[ \t]*\n([\s\S]*?)^```/gm,
  ),
].map((match) => ({
  line: doc.slice(0, match.index + match[0].indexOf('```')).split('\n').length,
  context: match[1]?.trim() ?? '',
  run: !match[2]!.trim().split(/\s+/).includes('no-run'),
  code: match[3]!,
}));

const dir = mkdtempSync(join(tmpdir(), 'order-lifecycle-amazon-doc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/amazon.md', () => {
  it('should type-check every TypeScript block against the package source', () => {
    expect(blocks.length).toBe(5);
    const files = blocks.map((block, index) => {
      const file = join(dir, `block-${index}.ts`);
      writeFileSync(file, `${block.context}\n${block.code}\nexport {};\n`);
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      paths: {
        ...Object.fromEntries(Object.entries(entryPoints).map(([name, path]) => [name, [path]])),
        '*': [resolve(root, 'node_modules/*'), resolve(root, 'node_modules/@types/*')],
      },
      typeRoots: [resolve(root, 'node_modules/@types')],
      types: ['node'],
    });
    const messages = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.includes(resolve(d.file.fileName)))
      .map(
        (d) =>
          `docs/amazon.md:${blocks[files.indexOf(resolve(d.file!.fileName))]!.line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    expect(messages).toEqual([]);
  }, 120_000);

  it('should run the runnable blocks and produce the values their comments claim', () => {
    const runnable = blocks.filter((block) => block.run);
    expect(runnable.map((block) => block.line)).toEqual([24, 152]);
    for (const block of runnable) {
      let code = `import assert from 'node:assert';\n${block.context}\n${withAssertions(block.code)}`;
      for (const [name, path] of Object.entries(entryPoints))
        code = code.replaceAll(`from '${name}'`, `from ${JSON.stringify(path)}`);
      expect(code.match(/assert\.deepStrictEqual/g)?.length, `block at line ${block.line}`).toBeGreaterThanOrEqual(3);
      const file = join(dir, `run-${block.line}.ts`);
      writeFileSync(file, code);
      expect(
        () => execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: 'pipe' }),
        `block at line ${block.line}`,
      ).not.toThrow();
    }
  });

  it('should document every function and error class the entry exports', () => {
    const isClass = (value: unknown) => /^class\b/.test(Function.prototype.toString.call(value));
    const functions = Object.entries(amazon).filter(
      ([, value]) => typeof value === 'function' && !('safeParse' in (value as object)) && !isClass(value),
    );
    expect(functions.map(([name]) => name).sort()).toEqual([
      'applyFeed',
      'buildAdjustmentFeed',
      'buildCancellationFeed',
      'eventsFromNotification',
      'eventsFromSpApi',
      'orderInputFromSpApi',
      'parseFeed',
      'processingReportXml',
      'readFeed',
      'spApiStatus',
    ]);
    for (const [name] of functions) expect(doc, name).toContain(`\`${name}(`);
    const classes = Object.entries(amazon).filter(([, value]) => typeof value === 'function' && isClass(value));
    expect(classes.map(([name]) => name)).toEqual(['FeedStoppedError']);
    for (const [name] of classes) expect(doc, name).toContain(`\`${name}\``);
  });

  it('should list every result code with its number', () => {
    for (const [code, number] of Object.entries(amazon.feedResultCodes).filter(([, n]) => n < 90100)) {
      expect(doc).toContain(`| ${code} | ${number} |`);
    }
  });
});

describe('the package entry', () => {
  it('should export order-lifecycle/amazon with its types first, built from src/amazon/index.ts', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
    expect(pkg.exports['./amazon']).toEqual({
      types: './dist/src/amazon/index.d.ts',
      import: './dist/src/amazon/index.js',
      default: './dist/src/amazon/index.js',
    });
    for (const name of ['fast-xml-parser', 'csv-parse', 'csv-stringify'])
      expect(pkg.dependencies[name], name).toBeDefined();
  });
});
