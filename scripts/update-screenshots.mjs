// Copies the README screenshots from the last UI test run (test-results/screenshots,
// git-ignored) into media/screenshots. Explicit: `node scripts/update-screenshots.mjs`
// after `npm run test:ui`; no test writes tracked files.
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

fs.mkdirSync(TO, { recursive: true });
let copied = 0;
for (const [target, source] of Object.entries(SHOTS)) {
  const from = path.join(FROM, source);
  if (!fs.existsSync(from)) {
    console.warn(`missing ${path.relative(ROOT, from)} (run the UI test that takes it)`);
    continue;
  }
  fs.copyFileSync(from, path.join(TO, target));
  console.log(`${path.relative(ROOT, from)} → media/screenshots/${target}`);
  copied++;
}
process.exitCode = copied ? 0 : 1;
