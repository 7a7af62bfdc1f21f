// Builds what the tests need from the registries before any test starts its
// clock: the pinned Python venv (real producers, Phoenix) and the Jaeger v2
// binary. Both are cached under .vscode-test/ keyed by version, so a warm
// machine pays nothing here. Run by test/run-all.mjs.
import { ensureJaeger } from './support/jaeger';
import { ensureVenv } from './support/python';

const started = Date.now();
ensureVenv();
ensureJaeger();
process.stderr.write(`[prepare] Python venv and Jaeger ready in ${Math.round((Date.now() - started) / 1000)} s\n`);
