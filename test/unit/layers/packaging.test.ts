// The .vsix holds what the extension loads at run time: every file the build
// writes to dist/ (bundles, the panel's chunks, .wasm files, codicons) and the
// media the code links. `.vscodeignore` starts from "ignore everything", so a
// new build output is left out unless a `!` line lets it in: the packaged
// panel once shipped without its chunks and the sessions table without its
// script. Read with vsce's own rule: a file ships when a `!` pattern matches it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import { filesUnder } from '../../support/files';

const ROOT = path.resolve(__dirname, '../../..');

/** Files under a folder of the repository, as repository paths. */
function repoFiles(dir: string): string[] {
  return filesUnder(path.join(ROOT, dir)).map((f) => `${dir}/${f}`);
}

describe('packaging (.vscodeignore)', () => {
  it('ships every file the build writes to dist/ and the media the extension loads', () => {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'extension.js')), 'build first (npm test does: node esbuild.mjs)');
    const lines = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split(/\r?\n/).map((l) => l.trim());
    const allowed = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    const ships = (f: string) => allowed.some((p) => minimatch(f, p, { dot: true }));
    // Source maps stay out on purpose; a .vsix built earlier is not part of the next one.
    const runtime = repoFiles('dist').filter((f) => !f.endsWith('.map') && !f.endsWith('.vsix') && !f.endsWith('.tsbuildinfo'));
    const media = ['media/panel.css', 'media/sessionsTable.css', 'media/activity.svg', ...repoFiles('media/demo')];
    assert.ok(runtime.some((f) => f.startsWith('dist/chunks/')), 'the panel is built in chunks');
    assert.deepEqual([...runtime, ...media].filter((f) => !ships(f)), [], 'left out of the .vsix');
    assert.equal(ships('src/extension.ts') || ships('bench/results.md') || ships('test/unit/layers/packaging.test.ts'), false, 'sources stay out');
  });
});
