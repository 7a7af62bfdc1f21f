// The panel's UI strings: the host localizes them (src/panel/strings.ts) and
// sends them in `init`; the UI is built only after that message.
import type { PanelStrings } from '../src/protocol';

let table: PanelStrings | undefined;

export function setStrings(strings: PanelStrings): void {
  table = strings;
}

/** The localized string, `{0}`, `{1}`… replaced by `args` (the key itself before `init`). */
export function t(key: keyof PanelStrings, ...args: (string | number)[]): string {
  const s = table?.[key] ?? key;
  return args.length ? s.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m)) : s;
}
