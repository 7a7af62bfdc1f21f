// The README's code snippets are the code the producer tests run: a test takes
// the fenced block that follows a label line, points its 127.0.0.1 ports at the
// servers the test started (the only change), and runs it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './python';

/** The fenced code block right after the README line that starts with `label`. */
export function readmeSnippet(label: string): string {
  const lines = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith(label));
  if (at < 0) throw new Error(`README.md has no line starting with "${label}"`);
  const open = lines.findIndex((l, i) => i > at && l.startsWith('```'));
  const close = lines.findIndex((l, i) => i > open && l.startsWith('```'));
  if (open < 0 || close < 0 || open > at + 4) throw new Error(`README.md: no code block after "${label}"`);
  return lines.slice(open + 1, close).join('\n') + '\n';
}

/** Replaces the documented default ports (4318 HTTP, 4317 gRPC) by the test's. */
export function withPorts(code: string, ports: { http?: number; grpc?: number }): string {
  let out = code;
  if (ports.http !== undefined) out = out.replaceAll('127.0.0.1:4318', `127.0.0.1:${ports.http}`);
  if (ports.grpc !== undefined) out = out.replaceAll('127.0.0.1:4317', `127.0.0.1:${ports.grpc}`);
  return out;
}
