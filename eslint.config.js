// ESLint (flat config): typescript-eslint's recommended rules, not type-aware. Formatting is
// Prettier's (.prettierrc.json), so no stylistic rules here.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'docs/report/', 'docs/demo/', 'test/artifacts/', 'samples/', 'bench/out/', 'tmp/', 'node_modules/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // The code's convention: a leading underscore marks a deliberately unused name (a parameter
      // kept for its position, a key taken out of an object by a rest destructure).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
);
