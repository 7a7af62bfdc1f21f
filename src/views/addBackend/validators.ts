// Checks for the Add Backend wizard's fields, run on every keystroke
// (InputBox.validateInput). Pure: no `vscode`, so they are unit-tested and the
// wizard only shows what they return (undefined = valid).
import * as fs from 'node:fs';
import { parseWisdomArn, UUID_RE } from '../../backends/qconnect/config';

export const AWS_REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function required(value: string): string | undefined {
  return value.trim() ? undefined : 'Required.';
}

/** A Q Connect assistant: its UUID or its ARN (arn:aws:wisdom:REGION:ACCOUNT:assistant/UUID). */
export function assistantIdOrArn(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'Required: the assistant UUID (e.g. 6f1c…-…) or its ARN.';
  if (v.startsWith('arn:')) {
    const arn = parseWisdomArn(v);
    if (!arn || arn.resourceType !== 'assistant' || arn.ids.length !== 1 || !UUID_RE.test(arn.ids[0])) {
      return 'Not an assistant ARN: expected arn:aws:wisdom:REGION:ACCOUNT:assistant/UUID.';
    }
    return undefined;
  }
  return UUID_RE.test(v) ? undefined : 'Not a UUID: expected 8-4-4-4-12 hex digits, e.g. 6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f, or an assistant ARN.';
}

/** An AWS shared-config profile name (optional); catches an assistant id typed into it. */
export function awsProfile(value: string): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  if (UUID_RE.test(v) || v.startsWith('arn:')) return 'This looks like an assistant id or ARN; the profile is a name from ~/.aws/config (leave empty for the default credentials).';
  return /^[\w+=,.@-]+$/.test(v) ? undefined : 'A profile name has no spaces or slashes.';
}

export function awsRegion(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'Required: an AWS region such as us-east-1.';
  return AWS_REGION_RE.test(v) ? undefined : `"${v}" is not an AWS region name (e.g. us-east-1, eu-west-2).`;
}

/** An http(s) URL; `optional` accepts the empty string (keeps the default). */
export function httpUrl(value: string, optional = false): string | undefined {
  const v = value.trim();
  if (!v) return optional ? undefined : 'Required: an http(s) URL.';
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return `Not an http(s) URL: "${v}" (e.g. https://host:port).`;
  return undefined;
}

/** A path that exists once resolved (workspace-relative allowed). */
export function existingPath(value: string, resolve: (p: string) => string, kind: 'file' | 'fileOrFolder' = 'fileOrFolder'): string | undefined {
  const v = value.trim();
  if (!v) return 'Required: a path (workspace-relative allowed).';
  const full = resolve(v);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(full);
  } catch {
    return `No such ${kind === 'file' ? 'file' : 'file or folder'}: ${full}`;
  }
  if (kind === 'file' && !stat.isFile()) return `Not a file: ${full}`;
  return undefined;
}

/** Agno: an existing SQLite file, or a postgresql:// URL. */
export function agnoDatabase(value: string, resolve: (p: string) => string): string | undefined {
  const v = value.trim();
  if (/^postgres(ql)?:\/\//i.test(v)) {
    try {
      return new URL(v).hostname ? undefined : 'A postgresql:// URL needs a host.';
    } catch {
      return `Not a valid PostgreSQL URL: "${v}".`;
    }
  }
  return existingPath(v, resolve, 'file');
}

/** A backend id that is not taken (letters, digits, . _ -). */
export function backendId(value: string, taken: ReadonlySet<string>): string | undefined {
  const v = value.trim();
  if (!v) return 'Required.';
  if (!/^[\w.-]+$/.test(v)) return 'Use letters, digits, ".", "_" or "-" only.';
  return taken.has(v) ? `A backend "${v}" already exists: choose another id.` : undefined;
}

/** An id derived from a label ("Support QC (prod)" → "support-qc-prod"), unique among `taken`. */
export function idFromLabel(label: string, fallback: string, taken: ReadonlySet<string>): string {
  const base =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || fallback;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
