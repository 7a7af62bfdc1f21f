// The typed command ids are exactly the commands package.json contributes, and
// every command a menu or keybinding names is one of them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands } from '../../../src/common/commands';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; menus?: Record<string, { command?: string; submenu?: string }[]>; keybindings?: { command: string }[] };
};

/** Every .ts file under src/, with its text. */
function sourceFiles(dir = path.resolve(__dirname, '../../../src')): { file: string; text: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [{ file: p, text: fs.readFileSync(p, 'utf8') }] : [];
  });
}

describe('command ids', () => {
  const ids = Object.values(Commands) as string[];

  it('match package.json contributes.commands one to one', () => {
    const contributed = pkg.contributes.commands.map((c) => c.command);
    assert.deepEqual([...ids].sort(), [...contributed].sort());
    assert.equal(new Set(ids).size, ids.length, 'no id twice');
  });

  it('each key is the id without the extension prefix', () => {
    for (const [key, id] of Object.entries(Commands)) assert.equal(id, `spanInspector.${key}`);
  });

  it('menus and keybindings only name known commands', () => {
    const named = [...Object.values(pkg.contributes.menus ?? {}).flat().map((m) => m.command), ...(pkg.contributes.keybindings ?? []).map((k) => k.command)].filter(
      (c): c is string => !!c && c.startsWith('spanInspector.'),
    );
    assert.ok(named.length > 0);
    for (const c of named) assert.ok(ids.includes(c), `${c} is not in Commands`);
  });

  it('no source file spells a command id as a string instead of using Commands', () => {
    const offenders: string[] = [];
    for (const { file, text } of sourceFiles()) {
      if (file.endsWith(path.join('common', 'commands.ts')) || file.endsWith('contextValues.ts')) continue;
      for (const m of text.matchAll(/'(spanInspector\.[A-Za-z]+)'/g)) if (ids.includes(m[1])) offenders.push(`${path.basename(file)}: ${m[1]}`);
    }
    assert.deepEqual(offenders, []);
  });

  it('every command is registered through the one wrapper (src/views/registerCommand.ts)', () => {
    const direct = sourceFiles()
      .filter(({ file, text }) => !file.endsWith(path.join('views', 'registerCommand.ts')) && text.includes('commands.registerCommand('))
      .map(({ file }) => path.basename(file));
    assert.deepEqual(direct, []);
  });
});
