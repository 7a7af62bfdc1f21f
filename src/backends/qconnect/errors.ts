// Turns what the AWS SDK throws into BackendErrors that say what failed, on
// which assistant/session, and what to do next. Never copies response bodies
// (they can hold span content) or credentials into messages.
import { BackendError, isCancelled } from '../errors';

export type QConnectOperation = 'SearchSessions' | 'GetSession' | 'ListSpans' | 'GetAIPrompt';

export interface ErrorContext {
  backendId: string;
  operation: QConnectOperation;
  /** e.g. `session 0b8e… of assistant 6f1c…`. */
  resource: string;
  region: string;
  profile?: string;
  endpoint?: string;
  /** Spans already delivered before the failure (mid-pagination). */
  spansLoaded?: number;
}

/** Service-side rejections of the credentials themselves (not of the permission). */
const AUTH_ERRORS = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'MissingAuthenticationToken',
  'UnauthorizedException',
  'NotAuthorizedException',
]);

/** Client-side credential chain failures (nothing usable was found, or SSO expired). */
const CREDENTIAL_PROVIDER_ERRORS = new Set(['CredentialsProviderError', 'TokenProviderError', 'ProviderError']);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
  $responseBodyText?: unknown;
}

function credentialHelp(profile: string | undefined): string {
  return profile
    ? `Refresh the credentials of AWS profile "${profile}" (for an SSO profile run \`aws sso login --profile ${profile}\`), then retry.`
    : 'Provide AWS credentials — set "profile" in the backend settings (then `aws sso login --profile NAME` for SSO), or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment VS Code was started from — then retry.';
}

/** The sentence appended when pages were already delivered. */
function keptNote(ctx: ErrorContext): string {
  return ctx.spansLoaded !== undefined && ctx.spansLoaded > 0
    ? ` The ${ctx.spansLoaded} spans loaded so far are kept; Retry continues from the last page received.`
    : '';
}

export function qconnectError(err: unknown, ctx: ErrorContext): BackendError {
  if (err instanceof BackendError) {
    return err;
  }
  if (isCancelled(err)) {
    return new BackendError('cancelled', 'Cancelled.', { cause: err });
  }
  const e = (err ?? {}) as SdkErrorLike;
  const name = e.name ?? '';
  const who = `Amazon Q Connect backend "${ctx.backendId}"`;
  const serviceMessage = typeof e.message === 'string' && e.message ? e.message : name;
  const requestId = e.$metadata?.requestId;
  const detail = `${ctx.operation} ${name}${e.$metadata?.httpStatusCode ? ` HTTP ${e.$metadata.httpStatusCode}` : ''}${requestId ? ` request id ${requestId}` : ''}${e.$metadata?.attempts ? ` after ${e.$metadata.attempts} attempt(s)` : ''}`;
  const opts = (nextSteps?: BackendError['nextSteps']) => ({ cause: err, detail, ...(nextSteps ? { nextSteps } : {}) });

  if (CREDENTIAL_PROVIDER_ERRORS.has(name) || /could not load credentials/i.test(serviceMessage)) {
    // These messages come from the SDK's credential chain (no secrets in them).
    const what = ctx.profile ? `could not get AWS credentials from profile "${ctx.profile}"` : 'found no AWS credentials';
    return new BackendError('auth', `${who} ${what}: ${serviceMessage} ${credentialHelp(ctx.profile)}`, opts(['signIn', 'retry']));
  }
  if (AUTH_ERRORS.has(name)) {
    const why = name.startsWith('Expired') ? 'the AWS credentials have expired' : `AWS rejected the credentials (${name}: ${serviceMessage})`;
    return new BackendError('auth', `${who}: ${why}${ctx.profile ? ` (profile "${ctx.profile}")` : ''}. ${credentialHelp(ctx.profile)}`, opts(['signIn', 'retry']));
  }
  if (name === 'AccessDeniedException' || e.$metadata?.httpStatusCode === 403) {
    return new BackendError(
      'forbidden',
      `${who}: access denied for ${ctx.operation} on ${ctx.resource}. The IAM identity${ctx.profile ? ` of profile "${ctx.profile}"` : ''} needs permission wisdom:${ctx.operation} on the assistant (service message: ${serviceMessage}).`,
      opts(['openSettings', 'retry']),
    );
  }
  if (name === 'ResourceNotFoundException' || e.$metadata?.httpStatusCode === 404) {
    return new BackendError(
      'notFound',
      `${who}: ${ctx.resource} was not found in ${ctx.region} (${serviceMessage}). Check "assistantId" and "region" in the backend settings.`,
      opts(['openSettings', 'retry']),
    );
  }
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException' || e.$metadata?.httpStatusCode === 429) {
    const attempts = e.$metadata?.attempts;
    return new BackendError(
      'throttled',
      `${who}: Amazon Q Connect is throttling ${ctx.operation} requests${attempts ? ` (still throttled after ${attempts} attempts)` : ''}. Wait a moment and retry.${keptNote(ctx)}`,
      opts(['retry']),
    );
  }
  if (name === 'ValidationException') {
    return new BackendError(
      'config',
      `${who}: Amazon Q Connect rejected the ${ctx.operation} request for ${ctx.resource}: ${serviceMessage} Check "assistantId" in the backend settings.`,
      opts(['openSettings']),
    );
  }
  if (name === 'SyntaxError' || name === 'MalformedResponseError' || e.$responseBodyText !== undefined) {
    return new BackendError(
      'badData',
      `${who}: the ${ctx.operation} response for ${ctx.resource} was malformed or cut short (${name === 'MalformedResponseError' ? serviceMessage : 'invalid JSON'}).${keptNote(ctx)}`,
      opts(['retry', 'openLog']),
    );
  }
  const where = ctx.endpoint ? `the endpoint ${ctx.endpoint}` : `Amazon Q Connect in ${ctx.region}`;
  // Before the timeout check: the SDK's HTTP handler names a reset socket "TimeoutError" (so it is retried).
  if ((e.code && NETWORK_CODES.has(e.code)) || /socket hang up|aborted|ECONNRESET|network/i.test(serviceMessage)) {
    return new BackendError(
      'network',
      `${who}: network error during ${ctx.operation} (${e.code ?? serviceMessage}) — could not complete the request to ${where}. Check the connection${ctx.endpoint ? ' and the "endpoint" setting' : ''}.${keptNote(ctx)}`,
      opts(['retry']),
    );
  }
  if (name === 'TimeoutError' || e.code === 'ETIMEDOUT' || name === 'RequestTimeoutException') {
    return new BackendError('timeout', `${who}: ${ctx.operation} for ${ctx.resource} timed out talking to ${where}.${keptNote(ctx)}`, opts(['retry']));
  }
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) {
    return new BackendError('server', `${who}: Amazon Q Connect failed on ${ctx.operation} for ${ctx.resource} (${name}: ${serviceMessage}).${keptNote(ctx)}`, opts(['retry']));
  }
  if (/region is missing/i.test(serviceMessage)) {
    return new BackendError('config', `${who}: no AWS region. Set "region" in the backend settings.`, opts(['openSettings']));
  }
  return new BackendError('server', `${who}: ${ctx.operation} for ${ctx.resource} failed (${name || 'Error'}: ${serviceMessage}).${keptNote(ctx)}`, opts(['retry', 'openLog']));
}
