// ESLint (flat config): typescript-eslint's type-checked rules for the TypeScript, ESLint's own
// recommended rules for the few JavaScript files. Prettier owns formatting: no stylistic rules here
// (`npm run lint:format` checks it). `npm run lint:eslint` runs this; `npm run lint` runs everything.
// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Node's globals for the CommonJS scripts (the `globals` package is not a dependency of ours). */
const NODE_COMMONJS_GLOBALS = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
  URL: 'readonly',
};

export default defineConfig(
  {
    // web/src/api: the client generated from the OpenAPI document (npm run generate:client).
    ignores: [
      'node_modules/',
      'dist/',
      'coverage/',
      '.data/',
      '.data-*/',
      'bench/results/',
      'web/src/api/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // One TypeScript program per tsconfig.json, found by the language service: src/, projections/,
      // test/, bench/ (tsconfig.json includes them all).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_` marks what a signature needs but the body does not (`(_request, reply) => …`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    // Tests read HTTP answers, JSON files and logs: untyped JSON by nature (`response.body.code`).
    // Declaring a type for every body would only restate what each assertion checks, so `any` is
    // the honest type of such a body and the no-unsafe-* family (which flags every use of an `any`)
    // is off here, and only here: src/ and the rest keep it.
    // Test doubles implement the async ports with synchronous bodies; `async` is how they keep the
    // port's contract (a throw arrives as a rejection), so require-await is off here too. A missing
    // `await` in a test is still caught: no-floating-promises stays on.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (scripts/, jest configs, this file): no type information, CommonJS or ESM.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: NODE_COMMONJS_GLOBALS },
    rules: {
      // CommonJS is what these files are (package.json has no "type": "module").
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
