// Copies the README screenshots from the last UI test run (test-results/screenshots,
// git-ignored) into media/screenshots, and the docs pages' docs-*.png (taken by
// test/ui/docsScreenshots.test.ts) into docs/images. Explicit:
// `node scripts/update-screenshots.mjs` after `npm run test:ui`; no test writes tracked files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FROM = path.join(ROOT, 'test-results', 'screenshots');
const TO = path.join(ROOT, 'media', 'screenshots');

// README image ← screenshot a UI test takes (light and dark where both exist).
const SHOTS = {
  // demo.test.ts (dark)
  'span-view.png': 'span-view.png',
  'session-waterfall.png': 'session-waterfall.png',
  // defects.test.ts (Light Modern and High Contrast, 655 px editor)
  'span-view-light.png': 'defects-answer-light.png',
  'session-waterfall-light.png': 'defects-waterfall-light.png',
  'span-view-hc.png': 'defects-answer-hc.png',
  // newUser.test.ts (dark)
  'find-session.png': 'newuser-find-session.png',
  'add-backend.png': 'newuser-wizard-region.png',
  'error-rows.png': 'newuser-error-rows.png',
};

let copied = 0;
function copy(source, to) {
  const from = path.join(FROM, source);
  if (!fs.existsSync(from)) {
    console.warn(`missing ${path.relative(ROOT, from)} (run the UI test that takes it)`);
    return;
  }
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
  console.log(`${path.relative(ROOT, from)} → ${path.relative(ROOT, to)}`);
  copied++;
}

for (const [target, source] of Object.entries(SHOTS)) copy(source, path.join(TO, target));

// Docs pages: every docs-<name>.png of the run, as docs/images/<name>.png.
const DOCS = path.join(ROOT, 'docs', 'images');
const docsShots = fs.existsSync(FROM) ? fs.readdirSync(FROM).filter((f) => /^docs-[\w-]+\.png$/.test(f)) : [];
if (!docsShots.length) console.warn('no docs-*.png (run test/ui/docsScreenshots.test.ts)');
for (const f of docsShots) copy(f, path.join(DOCS, f.slice('docs-'.length)));
process.exitCode = copied ? 0 : 1;
