// ESLint 9 flat config: JavaScript's and typescript-eslint's recommended rules, without type information
// (type-aware linting would re-run the compiler; `npm run typecheck` already does that).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
);
