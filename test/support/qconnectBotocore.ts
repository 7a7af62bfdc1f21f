// Runs test/python/qconnect_botocore.py: boto3/botocore's own qconnect model
// against the Q Connect emulator (parse + strict shape check of every answer)
// and botocore's request serializer. Shared by the botocore test and the
// recording script.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QConnectClient } from '@aws-sdk/client-qconnect';
import { ListSpansCommand, type ListSpansCommandInput } from '../../src/backends/qconnect/listSpansCommand';
import { EMULATOR_CREDENTIALS, FIXTURE, type QConnectEmulator } from '../emulators/qconnect/emulator';
import { runPython } from './python';

export interface CallResult {
  op: string;
  ok: boolean;
  /** Where the raw answer disagrees with botocore's output/error shape. */
  problems: string[];
  httpStatus: number;
  parsed?: Record<string, unknown>;
  error?: { code: string; message: string };
  modeled?: string[];
}

export interface Serialized {
  op: string;
  method: string;
  urlPath: string;
  url: string;
  query: Record<string, string>;
}

export interface Job {
  serialize?: { op: string; params: object }[];
  calls?: { op: string; params: Record<string, unknown>; credentials?: { accessKeyId: string; secretAccessKey: string } }[];
}

export interface BotocoreResult {
  botocore: string;
  calls: CallResult[];
  serialized: Serialized[];
}

/** ListSpans inputs whose wire form must equal botocore's: UUIDs, ARNs (':' and '/'), a token needing escapes. */
export function LIST_SPANS_INPUTS(emulator: Pick<QConnectEmulator, 'assistantId' | 'assistantArn' | 'sessionArn'>): ListSpansCommandInput[] {
  const s1 = FIXTURE.sessions[0].id;
  return [
    { assistantId: emulator.assistantId, sessionId: s1 },
    { assistantId: emulator.assistantArn, sessionId: emulator.sessionArn(s1), maxResults: 3 },
    { assistantId: emulator.assistantId, sessionId: emulator.sessionArn(s1), maxResults: 100, nextToken: 'a+b/c=d e%f~g' },
  ];
}

export async function botocore(emulator: QConnectEmulator, job: Job): Promise<BotocoreResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qconnect-botocore-'));
  const file = path.join(dir, 'job.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ endpoint: emulator.url, region: emulator.region, accessKeyId: EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: EMULATOR_CREDENTIALS.secretAccessKey, ...job }),
  );
  try {
    // No ~/.aws of the machine: only the job's keys.
    const run = await runPython(['qconnect_botocore.py', file], { env: { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true' } });
    if (run.code !== 0) throw new Error(`qconnect_botocore.py failed (exit ${run.code}):\n${run.stderr.slice(-4000)}`);
    return JSON.parse(run.stdout) as BotocoreResult;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A query as one comparable string: keys sorted, values as text. */
export function wireQuery(query: Record<string, unknown>): string {
  return new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)] as [string, string]).sort()).toString();
}

/** The path and query our ListSpansCommand puts on the wire, sent through the real QConnectClient to the emulator. */
export async function listSpansWire(emulator: QConnectEmulator, inputs: ListSpansCommandInput[]): Promise<{ path: string; query: string }[]> {
  const client = new QConnectClient({ region: emulator.region, endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS, maxAttempts: 1 });
  const seen: { path: string; query: string }[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { path: string; query: Record<string, string> };
      seen.push({ path: req.path, query: wireQuery(req.query) });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordWire' },
  );
  try {
    // Answers do not matter here (a made-up token is refused); the request does.
    for (const input of inputs) await client.send(new ListSpansCommand(input)).catch(() => undefined);
  } finally {
    client.destroy();
  }
  return seen;
}
