// Naming styles of one name: `GetOrderCharges` (Q Connect), `getOrderCharges`
// (TypeScript), `get_order_charges` (Python), `post-contact-summary` (files)
// and `Research Agent` / `Research_Agent` (Agno span names) are the same
// words. Pure: no `vscode`.

/** Lower-case words of a name: splits on separators and camelCase humps (`HTTPServer` → http, server). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** How a written value relates to a reference name. */
export type NameMatch = 'exact' | 'style' | 'partial';

/**
 * `exact`: the same spelling; `style`: the same words in another naming
 * style; `partial`: the name's words are a run inside a longer value
 * (`Triage` in `Triage Agent`), which is never the whole name.
 */
export function compareName(value: string, name: string, words = nameWords(name)): NameMatch | undefined {
  if (value === name) return 'exact';
  const v = nameWords(value);
  if (!words.length || !v.length) return undefined;
  if (v.length === words.length && v.every((w, i) => w === words[i])) return 'style';
  // `emailresponse` (a lower-case file name) for `EmailResponse`.
  if (v.join('') === words.join('')) return 'style';
  for (let i = 0; i + words.length <= v.length; i++) {
    if (words.every((w, k) => v[i + k] === w)) return 'partial';
  }
  return undefined;
}

function cap(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/**
 * Literal spellings for the byte prefilter: the name and its other naming
 * styles (each is one more pass over every file's bytes, so only the styles
 * code and configuration use; file names are matched separately).
 */
export function nameSpellings(name: string): string[] {
  const words = nameWords(name);
  const out = new Set<string>([name]);
  if (words.length) {
    out.add(words.map(cap).join(''));
    out.add(words[0] + words.slice(1).map(cap).join(''));
    out.add(words.join('_'));
    if (words.length > 1) {
      out.add(words.join('-'));
      out.add(words.join('_').toUpperCase());
      // "Research Agent" for Agno's `Research_Agent`.
      out.add(words.map(cap).join(' '));
    }
  }
  return [...out].filter((s) => s.length > 0);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Regex source finding the words in any naming style (use with the `i` flag). */
export function wordsPattern(words: readonly string[]): string {
  return words.map(escapeRegExp).join('[ _.-]?');
}
