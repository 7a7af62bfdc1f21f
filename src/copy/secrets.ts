// Which strings Copy as Markdown (and the language-model tool) must never
// carry: values of secret-looking keys, and values found in the workspace's
// .env files. Pure: no `vscode`; the caller reads the files.
import { SECRET_KEYS, type SecretRules } from '../compare/normalize';

export interface EnvEntry {
  key: string;
  value: string;
}

/** KEY=value lines of a dotenv file (`export`, quotes and trailing comments handled). */
export function parseDotEnv(text: string): EnvEntry[] {
  const out: EnvEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) continue;
    let value = m[2].trim();
    const q = value[0];
    if ((q === '"' || q === "'" || q === '`') && value.lastIndexOf(q) > 0) {
      value = value.slice(1, value.lastIndexOf(q));
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    if (value) out.push({ key: m[1], value });
  }
  return out;
}

/**
 * Values worth masking: everything under a secret-looking key, and any other
 * value that is not obviously harmless (numbers, booleans, hosts, plain URLs,
 * short words) — masking a harmless value costs little, leaking a key a lot.
 */
export function secretValues(entries: readonly EnvEntry[]): string[] {
  const out = new Set<string>();
  for (const { key, value } of entries) {
    if (SECRET_KEYS.test(key) || /(?:TOKEN|KEY|SECRET|PASS)/i.test(key)) {
      if (value.length >= 4) out.add(value);
      continue;
    }
    const harmless =
      value.length < 8 ||
      /^(?:true|false|yes|no|on|off|null|none|debug|info|warn|error|production|development|test)$/i.test(value) ||
      /^[\d.:,\s-]+$/.test(value) ||
      /^(?:https?|grpc|postgres(?:ql)?|sqlite|file):\/\/[^@\s]*$/i.test(value) ||
      /^[./~]?[\w./-]*\/[\w./-]*$/.test(value);
    if (!harmless) out.add(value);
  }
  // Longest first, so a value containing another is masked whole.
  return [...out].sort((a, b) => b.length - a.length);
}

export function secretRules(entries: readonly EnvEntry[]): SecretRules {
  return { keys: SECRET_KEYS, values: secretValues(entries) };
}
