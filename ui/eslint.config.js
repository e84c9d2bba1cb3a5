// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules with type
// information, and eslint-plugin-svelte's for the components. `npm run lint` allows no warnings.

import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default defineConfig(
  {
    // dist/: the build; bindings.ts: generated from the Rust types (src-tauri/src/bindings.rs).
    ignores: ['dist/', 'node_modules/', 'src/lib/bindings.ts'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        // The app's sources (tsconfig.json) and the tests and build files (tsconfig.node.json).
        project: ['./tsconfig.json', './tsconfig.node.json'],
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // A leading underscore marks what is unused on purpose (a parameter a signature requires,
      // a property left out of a rest object).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        svelteConfig,
      },
    },
  },
  {
    // Run by Node: the tests, the build configuration and the scripts.
    files: ['src/**/*.test.ts', '*.config.{js,ts}', 'scripts/**/*.js'],
    languageOptions: {
      globals: { ...globals.node },
    },
  },
  {
    files: ['src/**/*.test.ts'],
    rules: {
      // The tests' fakes stand in for the Promise-returning `Backend` and friends as
      // `async () => value` (a `throw` in one becomes a rejection, as from the real backend);
      // writing each as `Promise.resolve`/`Promise.reject` would only make them harder to read.
      '@typescript-eslint/require-await': 'off',
    },
  },
);
