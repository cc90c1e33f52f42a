// ESLint 9 flat config: JavaScript's and typescript-eslint's recommended rules, without type information
// (type-aware linting would re-run the compiler; `npm run typecheck` already does that).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layers (DESIGN.md "Layout"): each folder below is a module; a file imports another module only through that
// module's index.js, never the package root (src/index.ts, the public surface) and never a module above its own.
// Bottom up; modules on one line are one layer.
const layers = [
  ['src/domain', 'machines/order'],
  ['src/runtime', 'src/metrics'],
  ['src/testing', 'src/store', 'src/amazon'],
  ['src/service'],
  ['src/sim', 'src/inspector'],
  ['src/cli'],
];
const layerOf = new Map(layers.flatMap((modules, layer) => modules.map((module) => [module, layer])));
// The machine is built on the domain's rules: the domain must not import it back.
const alsoAbove = { 'src/domain': ['machines/order'] };
// The entries of package.json's `exports` besides the root: barrels, so they may re-export from the root too.
const entryFiles = ['metrics', 'testing', 'testing/model', 'inspector', 'amazon', 'service', 'store'].map(
  (name) => `src/${name}/index.ts`,
);
const maxDepth = 3; // folders inside a module (src/inspector/client/ is one)
// The inspector page's bundle must take no zod (test/inspector/client-bundle.test.ts), and the domain's barrel
// brings the schemas: the page's files may import, besides the barrel (for types), the domain's files that are free
// of zod and that the page needs, the locales' inspector words and the placeholders that fill them. Only these.
const pageFiles = 'src/inspector/client/*.ts';
const pageImports = {
  'src/domain': ['template.js', 'instant-format.js', 'locales/en-inspector.js', 'locales/zh-CN-inspector.js'],
};

/** A regex for the relative path, as written in a file `depth` folders inside `from`, to the folder `to`. */
function pathTo(from, depth, to) {
  const [fromTop] = from.split('/');
  const [toTop, toName] = to.split('/');
  // `(?:\.\.\/){n}` climbs to the top folder (src/ or machines/); the top folder may also be climbed out of and named.
  const up = (n) => `(?:\\.\\./){${n}}`;
  return fromTop === toTop ? `${up(depth + 1)}(?:\\.\\./${toTop}/)?${toName}/` : `${up(depth + 2)}${toTop}/${toName}/`;
}

/** The import rules of a file `depth` folders inside `module`: static imports and `import()` alike. */
function layerRules(module, depth, { rootAllowed, direct = {} }) {
  const patterns = [];
  const dynamic = [];
  const add = (regex, message) => {
    patterns.push({ regex, message });
    dynamic.push({
      // esquery's regex literal cannot hold a slash, even escaped: \x2F is one.
      selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`,
      message,
    });
  };
  const higher = [...layerOf].filter(([, layer]) => layer > layerOf.get(module)).map(([other]) => other);
  for (const other of [...higher, ...(alsoAbove[module] ?? [])]) {
    add(
      `^${pathTo(module, depth, other)}`,
      `${module} must not import ${other}: it is a higher layer (DESIGN.md, Layout).`,
    );
  }
  for (const other of layerOf.keys()) {
    if (other === module) continue;
    const allowed = ['index.js', ...(direct[other] ?? [])].map((file) => file.replaceAll('.', '\\.')).join('|');
    add(
      `^${pathTo(module, depth, other)}(?!(?:${allowed})$)`,
      `Import ${other} through its barrel (${other}/index.js), not one of its files.`,
    );
  }
  if (!rootAllowed) {
    const root = module.startsWith('src/')
      ? `(?:\\.\\./){${depth + 1}}(?:\\.\\./src/)?index\\.js$`
      : `(?:\\.\\./){${depth + 2}}src/index\\.js$`;
    add(
      `^${root}`,
      'Import the barrel of the module below (e.g. ../domain/index.js), not the package root: src/index.ts is the public surface.',
    );
  }
  return {
    'no-restricted-imports': ['error', { patterns }],
    'no-restricted-syntax': ['error', ...dynamic],
  };
}

// The command line's words are not in the domain's barrel (the root entry bundles it): the CLI and the `simulate`
// chart import them, with their renderer, from this one file of the domain.
const cliWords = { 'src/domain': ['locales/cli.js'] };
const directImports = { 'src/cli': cliWords, 'src/sim': cliWords };

const layerConfigs = [...layerOf.keys()].flatMap((module) =>
  Array.from({ length: maxDepth + 1 }, (_, depth) => ({
    files: [`${module}/${'*/'.repeat(depth)}*.{ts,tsx}`],
    rules: layerRules(module, depth, { rootAllowed: false, direct: directImports[module] }),
  })).concat(
    entryFiles
      .filter((file) => file.startsWith(`${module}/`))
      .map((file) => ({
        files: [file],
        rules: layerRules(module, 0, { rootAllowed: true }),
      })),
  ),
);

// After the layer rules, so that it replaces them for the page's files.
const pageConfig = {
  files: [pageFiles],
  rules: layerRules('src/inspector', 1, { rootAllowed: false, direct: pageImports }),
};

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'reports/', 'node_modules/', '.stryker-tmp/', 'src/inspector/page/vendor/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
    },
    rules: {
      // `_`-prefixed names are deliberately unused (tuple positions, it.each labels).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // These mirror XState's own `Clock` and `ActorScope` types, which are written with `any`.
    files: ['src/runtime/actor.ts', 'src/runtime/step.ts', 'src/testing/drivers.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...layerConfigs,
  pageConfig,
);
