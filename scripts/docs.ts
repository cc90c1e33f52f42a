/**
 * `npm run docs`: regenerates docs/statechart.md from the machine and the API reference in docs/api/ (TypeDoc
 * with typedoc-plugin-markdown) from the package's entry points, the `exports` of package.json.
 *
 * `npm run docs -- --check` writes nothing: it renders both into a temporary folder and fails when they differ
 * from what is committed. Either way, any TypeDoc warning (an exported symbol without documentation, a type the
 * reference links to but the package does not export, a broken `{@link}`) fails the run.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import {
  Application,
  Converter,
  ReflectionKind,
  ReflectionType,
  Type,
  UnknownType,
  type Context,
  type DeclarationReflection,
  type Reflection,
  type SomeType,
  type TypeDocOptions,
} from 'typedoc';
import ts from 'typescript';
import type { PluginOptions } from 'typedoc-plugin-markdown';
import { renderStatechartDoc } from './statechart.js';

const root = resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');

/** The source file behind each public entry point: `./dist/src/x/index.d.ts` → `src/x/index.ts`. */
export function entryPoints(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { types?: string }>;
  };
  return Object.values(pkg.exports)
    .flatMap((target) => (typeof target === 'object' && target.types ? [target.types] : []))
    .map((types) => types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts'));
}

/**
 * Types the reference mentions without a page of their own: helpers of the exported types that the package
 * keeps internal on purpose (their shape is shown where they are used).
 */
const intentionallyNotExported = [
  'src/runtime/actor.ts:Base', // XState's Actor<typeof orderMachine>, which OrderActor narrows
  'src/domain/errors.ts:InputIssue', // `{ path, message }`, one entry of InvalidInputError.issues
  'src/testing/commands.ts:OrderCommand', // fast-check's Command over the model and the real order
  'src/testing/model.ts:ModelAt', // the instant of a model event, epoch ms
  // A Ruling's (what `judge` returns) outcome and params: keys into the locale tables and their parameters.
  'src/domain/messages.ts:OutcomeKey',
  'src/domain/messages.ts:MessageParams',
];

/** Longer inferred types than this (zod schemas, the machine) are shown by their outer name, e.g. `ZodObject<…>`. */
const MAX_TYPE_LENGTH = 160;

/** Calls `visit` on every reflection declared inside a type (object literals, nested at any depth). */
function forEachReflectionIn(
  type: unknown,
  visit: (reflection: DeclarationReflection) => void,
  seen = new Set<unknown>(),
): void {
  if (typeof type !== 'object' || type === null || seen.has(type)) return;
  seen.add(type);
  if (type instanceof ReflectionType) {
    visit(type.declaration);
    return;
  }
  for (const value of Object.values(type)) {
    if (Array.isArray(value)) for (const item of value) forEachReflectionIn(item, visit, seen);
    else if (value instanceof Type) forEachReflectionIn(value, visit, seen);
  }
}

async function renderApi(out: string): Promise<{ warnings: number; errors: number }> {
  const options: Partial<TypeDocOptions & PluginOptions> = {
    entryPoints: entryPoints(),
    tsconfig: join(root, 'tsconfig.build.json'),
    plugin: ['typedoc-plugin-markdown'],
    out,
    readme: 'none',
    entryFileName: 'README.md',
    outputFileStrategy: 'modules',
    disableSources: true, // source links would name a commit and change with every one
    excludePrivate: true,
    excludeProtected: true,
    excludeInternal: true,
    excludeExternals: true, // members every Error inherits from the standard library (stack, captureStackTrace, …)
    useCodeBlocks: true,
    parametersFormat: 'table',
    hidePageHeader: true,
    intentionallyNotExported,
    validation: { notExported: true, invalidLink: true, notDocumented: true },
    // Properties are documented where it helps, not one by one: zod schemas and interface fields speak for themselves.
    requiredToBeDocumented: ['Enum', 'Variable', 'Function', 'Class', 'Interface', 'TypeAlias', 'Method'],
    logLevel: 'Warn',
  };
  const app = await Application.bootstrapWithPlugins(options as TypeDocOptions);
  // Inferred types (zod's, the machine's) print in full; where the source names a type, the reference shows that.
  const declared = new Map<Reflection, string>();
  const recordDeclaredType = (context: Context, reflection: Reflection) => {
    const node = context.getSymbolFromReflection(reflection)?.declarations?.[0];
    const typed =
      node &&
      (ts.isParameter(node) ||
        ts.isPropertySignature(node) ||
        ts.isPropertyDeclaration(node) ||
        ts.isVariableDeclaration(node));
    if (typed && node.type) declared.set(reflection, node.type.getText());
  };
  app.converter.on(Converter.EVENT_CREATE_PARAMETER, recordDeclaredType);
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, recordDeclaredType);
  app.converter.on(Converter.EVENT_RESOLVE_END, (context: Context) => {
    const kinds = ReflectionKind.Variable | ReflectionKind.Property | ReflectionKind.Parameter;
    for (const reflection of context.project.getReflectionsByKind(kinds)) {
      const holder = reflection as Reflection & { type?: SomeType };
      const type = holder.type;
      if (!type || type.toString().length <= MAX_TYPE_LENGTH) continue;
      // The reflections inside the type that is dropped go too, or validation would ask to document them.
      forEachReflectionIn(type, (inner) => context.project.removeReflection(inner));
      const text = declared.get(reflection);
      if (text !== undefined) holder.type = new UnknownType(text.replace(/\s+/g, ' '));
      else if (type.type === 'reference') holder.type = new UnknownType(`${type.name}<…>`);
      else if (type.type === 'literal' && typeof type.value === 'string') holder.type = new UnknownType('string');
    }
  });
  const project = await app.convert();
  if (!project) throw new Error('TypeDoc could not convert the entry points (see the errors above).');
  app.validate(project);
  await app.generateOutputs(project);
  return { warnings: app.logger.warningCount, errors: app.logger.errorCount };
}

function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), readFileSync(path, 'utf8'));
  }
  return files;
}

const work = mkdtempSync(join(tmpdir(), 'order-lifecycle-api-'));
try {
  const api = check ? join(work, 'api') : join(root, 'docs/api');
  if (!check) rmSync(api, { recursive: true, force: true });
  mkdirSync(api, { recursive: true });
  const { warnings, errors } = await renderApi(api);
  const statechart = renderStatechartDoc();
  const problems: string[] = [];
  if (warnings + errors > 0) problems.push(`TypeDoc reported ${errors} error(s) and ${warnings} warning(s) (above).`);
  if (check) {
    if (readFileSync(join(root, 'docs/statechart.md'), 'utf8') !== statechart)
      problems.push('docs/statechart.md is out of date.');
    const fresh = filesUnder(api);
    const committed = filesUnder(join(root, 'docs/api'));
    for (const name of new Set([...fresh.keys(), ...committed.keys()])) {
      if (fresh.get(name) !== committed.get(name)) problems.push(`docs/api/${name} is out of date.`);
    }
    if (problems.length > 0) problems.push('Run `npm run docs` and commit the result.');
  } else {
    writeFileSync(join(root, 'docs/statechart.md'), statechart);
    process.stdout.write(`wrote docs/statechart.md and docs/api/ (${filesUnder(api).size} files)\n`);
  }
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exitCode = 1;
  } else if (check) {
    process.stdout.write('docs/statechart.md and docs/api/ are up to date\n');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
