// ESLint flat config: typescript-eslint recommended rules, plus a guard that
// keeps the pure layers free of `vscode` and the webview free of innerHTML.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test/**', 'node_modules/**', 'test/fixtures/**', 'test/host/test-host/**', 'bench/data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/model/**', 'src/backends/**', 'src/capture/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'model/backends/capture are pure Node: no vscode import (DESIGN.md layering rule).' }] }] },
  },
  {
    files: ['src/common/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/common is the pure toolbox every layer may use: no vscode import.' }] }] },
  },
  {
    files: ['webview/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Span content is hostile: build DOM nodes with textContent.' },
        { property: 'outerHTML', message: 'Span content is hostile: build DOM nodes with textContent.' },
        { property: 'insertAdjacentHTML', message: 'Span content is hostile: build DOM nodes with textContent.' },
      ],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='write'][callee.object.name='document']", message: 'No document.write.' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', exports: 'writable', module: 'writable', __dirname: 'readonly', setTimeout: 'readonly', fetch: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
