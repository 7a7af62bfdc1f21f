// One spec per backend type for the Add Backend wizard: the fields it asks
// (label, placeholder, check as typed), where each value goes (settings or
// SecretStorage), and the test call made before saving. Adding a backend type
// to the wizard = adding one entry to BACKEND_SPECS.
import * as vscode from 'vscode';
import { testJaegerConnection } from '../../backends/jaeger/connection';
import { testPhoenixConnection } from '../../backends/phoenix/connection';
import type { BackendConfig } from '../../backends/types';
import type { BackendType } from '../../model/types';
import type { ConnectionTest } from './connectionTest';
import { agnoDatabase, assistantIdOrArn, awsProfile, awsRegion, existingPath, httpUrl, required } from './validators';

export interface FieldContext {
  /** Resolves workspace-relative paths as the backends do. */
  resolvePath(p: string): string;
}

export interface FieldSpec {
  /** Key in the settings entry (or the secret's role when `secret` is set). */
  key: string;
  /** Shown as the step's prompt, e.g. "AWS region". */
  label: string;
  placeholder?: string;
  /** Pre-filled value. */
  value?: string;
  /** Explains the field under the input. */
  help?: string;
  /** Empty is allowed (the key is then left out). */
  optional?: boolean;
  password?: boolean;
  /** Stored in SecretStorage under this name (never in settings). */
  secret?: (backendId: string) => string;
  /** undefined = valid; runs on every keystroke. */
  validate?: (value: string, ctx: FieldContext) => string | undefined;
}

export interface BackendSpec {
  type: BackendType;
  /** Type picker row. */
  label: string;
  icon: string;
  detail: string;
  /** Default display name in the tree. */
  defaultLabel: (values: Record<string, string>) => string;
  fields: FieldSpec[];
  /** The test call before saving; default: list one page of sessions. */
  test?: ConnectionTest;
  /** What the test call does, shown while it runs. */
  testDescription: string;
}

const pathField = (label: string, placeholder: string, kind: 'file' | 'fileOrFolder'): FieldSpec => ({
  key: 'path',
  label,
  placeholder,
  help: vscode.l10n.t('Workspace-relative paths are allowed.'),
  validate: (v, ctx) => existingPath(v, ctx.resolvePath, kind),
});

/** An optional token kept in SecretStorage as `<type>.apiKey:<id>` (the key setApiKey uses too). */
const tokenField = (type: BackendType, label: string, placeholder: string): FieldSpec => ({
  key: 'apiKey',
  label,
  placeholder,
  optional: true,
  password: true,
  secret: (id) => `${type}.apiKey:${id}`,
});

export const BACKEND_SPECS: BackendSpec[] = [
  {
    type: 'qconnect',
    label: vscode.l10n.t('Amazon Q Connect'),
    icon: 'cloud',
    detail: vscode.l10n.t('Spans of an assistant, read with ListSpans (AWS credentials)'),
    defaultLabel: (v) => vscode.l10n.t('Q Connect {0} ({1})', (v.assistantId.split('/').pop() ?? '').slice(0, 8), v.region || v.assistantId.split(':')[3] || ''),
    fields: [
      { key: 'region', label: vscode.l10n.t('AWS region of the assistant'), placeholder: 'us-east-1', value: 'us-east-1', validate: (v) => awsRegion(v) },
      { key: 'assistantId', label: vscode.l10n.t('Assistant id (UUID) or assistant ARN'), placeholder: '6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f', validate: (v) => assistantIdOrArn(v) },
      {
        key: 'profile',
        label: vscode.l10n.t('AWS profile (optional)'),
        placeholder: vscode.l10n.t('empty: the default credential chain'),
        help: vscode.l10n.t('A profile name from ~/.aws/config, not an id.'),
        optional: true,
        validate: (v) => awsProfile(v),
      },
      {
        key: 'endpoint',
        label: vscode.l10n.t('Endpoint override (optional)'),
        placeholder: vscode.l10n.t('empty: the AWS endpoint of the region; e.g. a VPC endpoint or local emulator URL'),
        optional: true,
        validate: (v) => httpUrl(v, true),
      },
    ],
    testDescription: vscode.l10n.t('Calling SearchSessions…'),
  },
  {
    type: 'sgp',
    label: vscode.l10n.t('Scale GenAI Platform'),
    icon: 'globe',
    detail: vscode.l10n.t('v5 spans of an account (API key)'),
    defaultLabel: (v) => vscode.l10n.t('SGP {0}', v.accountId),
    fields: [
      { key: 'accountId', label: vscode.l10n.t('SGP account id'), placeholder: vscode.l10n.t('the x-selected-account-id of your account'), validate: (v) => required(v) },
      { key: 'baseUrl', label: vscode.l10n.t('API base URL'), placeholder: 'https://api.egp.scale.com', value: 'https://api.egp.scale.com', validate: (v) => httpUrl(v) },
      tokenField('sgp', vscode.l10n.t('API key (stored in SecretStorage, never in settings)'), vscode.l10n.t('empty: keep the stored key or use SGP_API_KEY')),
    ],
    testDescription: vscode.l10n.t('Searching spans…'),
  },
  {
    type: 'agno',
    label: vscode.l10n.t('Agno'),
    icon: 'database',
    detail: vscode.l10n.t("Traces in the agent's SQLite file or PostgreSQL database"),
    defaultLabel: (v) => vscode.l10n.t('Agno ({0})', v.database.replace(/\/\/[^@/]*@/, '//')),
    fields: [
      {
        key: 'database',
        label: vscode.l10n.t('SQLite file or postgresql:// URL'),
        placeholder: 'tmp/agno.db',
        help: vscode.l10n.t('Workspace-relative paths are allowed.'),
        validate: (v, ctx) => agnoDatabase(v, ctx.resolvePath),
      },
    ],
    testDescription: vscode.l10n.t('Opening the database and checking its tables…'),
  },
  {
    type: 'openaiAgents',
    label: vscode.l10n.t('OpenAI Agents SDK (JSONL)'),
    icon: 'file-code',
    detail: vscode.l10n.t('Trace files written by a trace processor'),
    defaultLabel: (v) => vscode.l10n.t('OpenAI Agents SDK ({0})', v.path),
    fields: [pathField(vscode.l10n.t('JSONL trace file or folder'), 'logs/openai-traces.jsonl', 'fileOrFolder')],
    testDescription: vscode.l10n.t('Reading the trace files…'),
  },
  {
    type: 'otlp',
    label: vscode.l10n.t('OpenTelemetry (OTLP JSON files)'),
    icon: 'radio-tower',
    detail: vscode.l10n.t('Files written by the OTel collector file exporter'),
    defaultLabel: (v) => vscode.l10n.t('OpenTelemetry ({0})', v.path),
    fields: [pathField(vscode.l10n.t('OTLP JSON file or folder'), 'traces/otlp.json', 'fileOrFolder')],
    testDescription: vscode.l10n.t('Reading the trace files…'),
  },
  {
    type: 'file',
    label: vscode.l10n.t('Span Inspector export'),
    icon: 'file',
    detail: vscode.l10n.t('A session exported by Span Inspector or its CLI'),
    defaultLabel: (v) => vscode.l10n.t('Exported sessions ({0})', v.path),
    fields: [pathField(vscode.l10n.t('Exported session file (.json) or folder'), 'traces/', 'fileOrFolder')],
    testDescription: vscode.l10n.t('Reading and parsing the export…'),
  },
  {
    type: 'jaeger',
    label: vscode.l10n.t('Jaeger'),
    icon: 'server',
    detail: vscode.l10n.t("A team's Jaeger v2 query service (optional bearer token)"),
    defaultLabel: (v) => vscode.l10n.t('Jaeger ({0})', v.service || v.baseUrl),
    fields: [
      { key: 'baseUrl', label: vscode.l10n.t('Jaeger query service URL'), placeholder: 'http://localhost:16686', value: 'http://localhost:16686', validate: (v) => httpUrl(v) },
      { key: 'service', label: vscode.l10n.t('Service (optional)'), placeholder: vscode.l10n.t('empty: every service'), optional: true },
      tokenField('jaeger', vscode.l10n.t('Bearer token (optional, stored in SecretStorage)'), vscode.l10n.t('empty: no token, or the stored one')),
    ],
    test: async (config, context, signal) => (await testJaegerConnection(config, context, signal)).message,
    testDescription: vscode.l10n.t('Listing Jaeger services…'),
  },
  {
    type: 'phoenix',
    label: vscode.l10n.t('Arize Phoenix'),
    icon: 'server',
    detail: vscode.l10n.t('A Phoenix server project (API key)'),
    defaultLabel: (v) => vscode.l10n.t('Phoenix {0}', v.project || 'default'),
    fields: [
      { key: 'baseUrl', label: vscode.l10n.t('Phoenix server URL'), placeholder: 'http://localhost:6006', value: 'http://localhost:6006', validate: (v) => httpUrl(v) },
      { key: 'project', label: vscode.l10n.t('Project name or id'), placeholder: 'default', value: 'default', validate: (v) => required(v) },
      tokenField('phoenix', vscode.l10n.t('API key (optional, stored in SecretStorage)'), vscode.l10n.t('empty: no key (auth off), or the stored one')),
    ],
    test: async (config, context, signal) => (await testPhoenixConnection(config, context, signal)).message,
    testDescription: vscode.l10n.t('Listing Phoenix projects…'),
  },
];

/** The settings entry from the wizard's values (secrets and empty optional fields left out). */
export function entryFrom(spec: BackendSpec, id: string, label: string, values: Record<string, string>): BackendConfig {
  const entry: BackendConfig = { id, type: spec.type, label };
  for (const f of spec.fields) {
    const v = (values[f.key] ?? '').trim();
    if (f.secret || !v) continue;
    entry[f.key] = v;
  }
  return entry;
}

