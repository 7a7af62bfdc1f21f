// The typed command ids are exactly the commands package.json contributes, and
// every command a menu or keybinding names is one of them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands } from '../../../src/common/commands';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; menus?: Record<string, { command?: string; submenu?: string }[]>; keybindings?: { command: string }[] };
};

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
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith(path.join('common', 'commands.ts')) && !p.endsWith('contextValues.ts')) {
          for (const m of fs.readFileSync(p, 'utf8').matchAll(/'(spanInspector\.[A-Za-z]+)'/g)) if (ids.includes(m[1])) offenders.push(`${path.relative(process.cwd(), p)}: ${m[1]}`);
        }
      }
    };
    walk(path.resolve(__dirname, '../../../src'));
    assert.deepEqual(offenders, []);
  });

  it('every command is registered through the one wrapper (src/views/registerCommand.ts)', () => {
    const direct: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith(path.join('views', 'registerCommand.ts')) && fs.readFileSync(p, 'utf8').includes('commands.registerCommand(')) direct.push(path.basename(p));
      }
    };
    walk(path.resolve(__dirname, '../../../src'));
    assert.deepEqual(direct, []);
  });
});
