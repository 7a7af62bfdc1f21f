// The panel's UI strings come from the host (src/panel/panelStrings.ts) and
// are in the l10n bundle, so a translation covers the whole panel.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { panelStrings, tableStrings } from '../../../src/panel/panelStrings';

describe('panel strings', () => {
  for (const [name, make] of [['panel', panelStrings], ['sessions table', tableStrings]] as const) {
    it(`every ${name} string goes through l10n.t and is in l10n/bundle.l10n.json`, () => {
      const asked: string[] = [];
      const strings: Record<string, string> = { ...make({ t: (m) => (asked.push(m), `«${m}»`) }) };
      const bundle = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../l10n/bundle.l10n.json'), 'utf8')) as Record<string, string>;
      for (const [key, value] of Object.entries(strings)) {
        assert.match(value, /^«.*»$/s, `${key} is localized`);
        assert.ok(value.slice(1, -1) in bundle, `${key}: "${value.slice(1, -1)}" in the bundle`);
      }
      assert.equal(asked.length, Object.keys(strings).length);
    });
  }
});
