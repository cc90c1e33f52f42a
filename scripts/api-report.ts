/**
 * `npm run api-report`: writes api/<entry>.api.md, one file per entry point of package.json's `exports`, listing
 * every name the entry exports with its kind (function, class, const, enum, type, interface, namespace). A change
 * to the public surface then shows in review as a diff of these files; test/api/surface.test.ts fails when the
 * committed reports differ from the source.
 *
 * The names are read with the TypeScript compiler API from the entry files (src/index.ts, src/testing/index.ts, …).
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');

/** One entry point of the package: its name as users import it, its source file and its report file. */
export interface ApiEntry {
  /** `order-lifecycle` or `order-lifecycle/testing`. */
  specifier: string;
  /** `src/index.ts`, relative to the package root. */
  source: string;
  /** `order-lifecycle.api.md`, inside api/ (`testing-model.api.md` for `order-lifecycle/testing/model`). */
  report: string;
}

/** The entry points of package.json's `exports`, with their source files: `./dist/src/x/index.d.ts` → `src/x/index.ts`. */
export function apiEntries(): ApiEntry[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { types?: string }>;
  };
  return Object.entries(pkg.exports).flatMap(([subpath, target]) => {
    if (typeof target !== 'object' || !target.types) return [];
    const source = target.types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts');
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    const report = `${subpath === '.' ? pkg.name : subpath.slice(2).replaceAll('/', '-')}.api.md`;
    return [{ specifier, source, report }];
  });
}

/** The kinds of one declaration, as the report names them. */
function kindsOf(declaration: ts.Declaration): string[] {
  if (ts.isFunctionDeclaration(declaration)) return ['function'];
  if (ts.isClassDeclaration(declaration)) return ['class'];
  if (ts.isInterfaceDeclaration(declaration)) return ['interface'];
  if (ts.isTypeAliasDeclaration(declaration)) return ['type'];
  if (ts.isEnumDeclaration(declaration)) return ['enum'];
  if (ts.isModuleDeclaration(declaration)) return ['namespace'];
  if (ts.isVariableDeclaration(declaration)) {
    const list = declaration.parent;
    return [ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const ? 'const' : 'let'];
  }
  return [ts.SyntaxKind[declaration.kind]];
}

/** Every name each entry exports, sorted, with its kinds (`const, type` for a zod schema and its inferred type). */
export function readApi(entries: ApiEntry[] = apiEntries()): Map<ApiEntry, Array<{ name: string; kind: string }>> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.json could not be read.');
  const program = ts.createProgram({
    rootNames: entries.map((entry) => join(root, entry.source)),
    options: { ...config.options, noEmit: true },
  });
  const checker = program.getTypeChecker();
  const result = new Map<ApiEntry, Array<{ name: string; kind: string }>>();
  for (const entry of entries) {
    const file = program.getSourceFile(join(root, entry.source));
    const moduleSymbol = file && checker.getSymbolAtLocation(file);
    if (!moduleSymbol) throw new Error(`The entry ${entry.source} exports nothing the compiler can read.`);
    const names = checker.getExportsOfModule(moduleSymbol).map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const kinds = new Set((target.declarations ?? []).flatMap(kindsOf));
      const order = ['function', 'class', 'const', 'let', 'enum', 'namespace', 'type', 'interface'];
      const kind = [...kinds].sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(', ');
      return { name: symbol.name, kind };
    });
    const key = (name: string) => `${name.toLowerCase()}\u0000${name}`;
    result.set(
      entry,
      names.sort((a, b) => (key(a.name) < key(b.name) ? -1 : key(a.name) > key(b.name) ? 1 : 0)),
    );
  }
  return result;
}

/** The text of every report file, by file name. */
export function renderApiReports(entries: ApiEntry[] = apiEntries()): Map<string, string> {
  const reports = new Map<string, string>();
  for (const [entry, names] of readApi(entries)) {
    const lines = [
      `# API report: ${entry.specifier}`,
      '',
      `Every name \`${entry.specifier}\` exports (${names.length}), read from \`${entry.source}\`.`,
      'Generated by `npm run api-report`: do not edit by hand; commit the change with the change to the surface.',
      '',
      '| Name | Kind |',
      '| --- | --- |',
      ...names.map(({ name, kind }) => `| \`${name}\` | ${kind} |`),
      '',
    ];
    reports.set(entry.report, lines.join('\n'));
  }
  return reports;
}

/** The folder the reports are committed in. */
export const API_REPORT_DIR = join(root, 'api');

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const reports = renderApiReports();
  rmSync(API_REPORT_DIR, { recursive: true, force: true });
  mkdirSync(API_REPORT_DIR, { recursive: true });
  for (const [name, text] of reports) writeFileSync(join(API_REPORT_DIR, name), text);
  const counts = [...reports.keys()].map((name) => name.replace(/\.api\.md$/, '')).join(', ');
  process.stdout.write(`wrote ${readdirSync(API_REPORT_DIR).length} reports to api/ (${counts})\n`);
}
