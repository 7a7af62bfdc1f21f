// ListSpans for @aws-sdk/client-qconnect 3.828.0, which predates the operation.
// Built exactly like the SDK's generated commands (compare GetSessionCommand in
// the client's dist-cjs/index.js): same endpoint parameters, same serde and
// endpoint plugins, the client's restJson1 error parsing. Signing (SigV4,
// signing name `wisdom`), retries, endpoint resolution and the credential
// chain are contributed by the QConnectClient's own middleware stack.
import type { QConnectClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-qconnect';
import {
  AccessDeniedException,
  ConflictException,
  QConnectServiceException,
  RequestTimeoutException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-qconnect';
import { loadRestJsonErrorCode, parseJsonBody, parseJsonErrorBody } from '@aws-sdk/core';
import { requestBuilder } from '@smithy/core';
import { getEndpointPlugin } from '@smithy/middleware-endpoint';
import { getSerdePlugin } from '@smithy/middleware-serde';
import { Command, SENSITIVE_STRING, decorateServiceException } from '@smithy/smithy-client';
import type { HttpResponse, MetadataBearer, ResponseMetadata, SerdeContext } from '@smithy/types';

/** The endpoint ruleset parameters every QConnect command declares (the client's `commonParams`). */
const commonParams = {
  UseFIPS: { type: 'builtInParams', name: 'useFipsEndpoint' },
  Endpoint: { type: 'builtInParams', name: 'endpoint' },
  Region: { type: 'builtInParams', name: 'region' },
  UseDualStack: { type: 'builtInParams', name: 'useDualstackEndpoint' },
} as const;

export interface ListSpansCommandInput {
  /** Assistant UUID or ARN. */
  assistantId: string;
  /** Session UUID or ARN. */
  sessionId: string;
  nextToken?: string;
  /** 1–100. */
  maxResults?: number;
}

/**
 * Wire spans are passed through untouched (no per-field copy): the backend
 * decodes them once into the normalized model and keeps this object as "raw".
 */
export type WireSpan = Record<string, unknown>;

export interface ListSpansCommandOutput extends MetadataBearer {
  spans?: WireSpan[];
  nextToken?: string;
}

const serializeListSpans = async (input: ListSpansCommandInput, context: SerdeContext) => {
  const b = requestBuilder(input, context);
  b.bp('/assistants/{assistantId}/sessions/{sessionId}/spans');
  // Labels are percent-encoded by the builder (ARNs contain ':' and '/').
  b.p('assistantId', () => input.assistantId, '{assistantId}', false);
  b.p('sessionId', () => input.sessionId, '{sessionId}', false);
  const query: Record<string, string> = {};
  if (input.nextToken !== undefined) query.nextToken = input.nextToken;
  if (input.maxResults !== undefined) query.maxResults = String(input.maxResults);
  b.m('GET').h({}).q(query).b(undefined);
  return b.build();
};

function metadata(output: HttpResponse): ResponseMetadata {
  return {
    httpStatusCode: output.statusCode,
    requestId: output.headers['x-amzn-requestid'] ?? output.headers['x-amzn-request-id'] ?? output.headers['x-amz-request-id'],
    extendedRequestId: output.headers['x-amz-id-2'],
    cfId: output.headers['x-amz-cf-id'],
  };
}

/** A response the SDK could not interpret (wrong shape); surfaces like the SDK's own parse errors. */
class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
  constructor(message: string, readonly $metadata: ResponseMetadata) {
    super(message);
  }
}

const deserializeListSpans = async (output: HttpResponse, context: SerdeContext): Promise<ListSpansCommandOutput> => {
  if (output.statusCode !== 200 && output.statusCode >= 300) {
    return deserializeError(output, context);
  }
  const $metadata = metadata(output);
  const data = (await parseJsonBody(output.body, context)) as unknown;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new MalformedResponseError('ListSpans response body is not a JSON object.', $metadata);
  }
  const { spans, nextToken } = data as { spans?: unknown; nextToken?: unknown };
  if (spans !== undefined && spans !== null && !Array.isArray(spans)) {
    throw new MalformedResponseError('ListSpans response "spans" is not an array.', $metadata);
  }
  if (nextToken !== undefined && nextToken !== null && typeof nextToken !== 'string') {
    throw new MalformedResponseError('ListSpans response "nextToken" is not a string.', $metadata);
  }
  return {
    $metadata,
    spans: (spans ?? undefined) as WireSpan[] | undefined,
    nextToken: (nextToken ?? undefined) as string | undefined,
  };
};

/** The modeled errors of the service (what the generated `de_CommandError` switches over). */
type ModeledError = new (opts: { $metadata: ResponseMetadata; message: string }) => QConnectServiceException;
const MODELED_ERRORS = {
  AccessDeniedException,
  ConflictException,
  RequestTimeoutException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} as unknown as Record<string, ModeledError>;

/**
 * restJson1 errors, parsed with the same helpers as the generated client
 * (`x-amzn-errortype` header, else body `code`/`__type`). Modeled errors become
 * the client's own exception classes (so the SDK's retry strategy treats
 * ThrottlingException as throttling); anything else (UnauthorizedException,
 * ExpiredTokenException, …) becomes the service's base exception named after the
 * error code, as the generated `throwDefaultError` does.
 */
async function deserializeError(output: HttpResponse, context: SerdeContext): Promise<never> {
  const body = ((await parseJsonErrorBody(output.body, context)) ?? {}) as Record<string, unknown>;
  const code = (loadRestJsonErrorCode(output, body) ?? '').replace(/^.*#/, '') || `Http${output.statusCode}Error`;
  const message = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : undefined;
  const $metadata = metadata(output);
  const Modeled = Object.prototype.hasOwnProperty.call(MODELED_ERRORS, code) ? MODELED_ERRORS[code] : undefined;
  const exception = Modeled
    ? new Modeled({ $metadata, message: message ?? code })
    : new QConnectServiceException({ name: code, $fault: output.statusCode >= 500 ? 'server' : 'client', $metadata, message: message ?? code });
  throw decorateServiceException(exception, body);
}

/**
 * `client.send(new ListSpansCommand({assistantId, sessionId, maxResults, nextToken}), {abortSignal})`
 */
export class ListSpansCommand extends Command.classBuilder<
  ListSpansCommandInput,
  ListSpansCommandOutput,
  QConnectClientResolvedConfig,
  ServiceInputTypes,
  ServiceOutputTypes
>()
  .ep(commonParams)
  .m(function (this: { serialize: never; deserialize: never }, CommandCtor, _clientStack, config) {
    return [getSerdePlugin(config, this.serialize, this.deserialize), getEndpointPlugin(config, CommandCtor.getEndpointParameterInstructions())];
  })
  .s('WisdomService', 'ListSpans', {})
  .n('QConnectClient', 'ListSpansCommand')
  // Span payloads hold customer conversations: never let an SDK logger print them.
  .f(undefined, (o: ListSpansCommandOutput) => ({ ...o, spans: o.spans ? SENSITIVE_STRING : undefined }))
  .ser(serializeListSpans)
  .de(deserializeListSpans)
  .build() {}
