// Independent SigV4 verification for the emulator (written from the AWS
// Signature Version 4 spec, not with the SDK's signer, so a signing mistake in
// the client is caught rather than reproduced).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
}

export type SigV4Result =
  | { ok: true; accessKeyId: string; region: string; service: string }
  | { ok: false; status: number; error: string; message: string };

const AUTH_RE = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEscape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(search: string): string {
  if (!search) return '';
  const pairs: [string, string][] = [];
  for (const part of search.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, '%20'));
    const v = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, '%20'));
    pairs.push([uriEscape(k), uriEscape(v)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Non-S3 services double-encode: each already-encoded path segment is escaped again. */
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const p = `/${segments.join('/')}${segments.length && rawPath.endsWith('/') ? '/' : ''}`;
  return p.split('/').map(uriEscape).join('/');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

export function verifySigV4(args: {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  service: string;
  region: string;
  credentials: readonly Credential[];
  /** Allowed clock skew; real AWS allows 5 minutes. */
  maxSkewMs?: number;
}): SigV4Result {
  const auth = header(args.headers, 'authorization');
  if (!auth) {
    return { ok: false, status: 403, error: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  }
  const m = AUTH_RE.exec(auth);
  if (!m) {
    return { ok: false, status: 403, error: 'IncompleteSignatureException', message: 'Authorization header is not a SigV4 (AWS4-HMAC-SHA256) signature.' };
  }
  const [, accessKeyId, date, region, service, signedHeaderList, signature] = m;
  if (service !== args.service) {
    return { ok: false, status: 403, error: 'InvalidSignatureException', message: `Credential should be scoped to correct service: '${args.service}'.` };
  }
  if (region !== args.region) {
    return { ok: false, status: 403, error: 'InvalidSignatureException', message: `Credential should be scoped to a valid region, not '${region}'.` };
  }
  const cred = args.credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!cred) {
    return { ok: false, status: 403, error: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  const amzDate = header(args.headers, 'x-amz-date');
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== date) {
    return { ok: false, status: 403, error: 'IncompleteSignatureException', message: 'X-Amz-Date is missing or does not match the credential scope date.' };
  }
  const t = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  if (Math.abs(Date.now() - t) > (args.maxSkewMs ?? 5 * 60_000)) {
    return { ok: false, status: 403, error: 'InvalidSignatureException', message: 'Signature expired: the request time is too far from the server time.' };
  }
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host')) {
    return { ok: false, status: 403, error: 'InvalidSignatureException', message: "'Host' must be a signed header." };
  }
  const q = args.url.indexOf('?');
  const rawPath = q < 0 ? args.url : args.url.slice(0, q);
  const search = q < 0 ? '' : args.url.slice(q + 1);
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${(header(args.headers, h) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const payloadHash = header(args.headers, 'x-amz-content-sha256') ?? createHash('sha256').update(args.body).digest('hex');
  const canonicalRequest = [args.method, canonicalPath(rawPath), canonicalQuery(search), canonicalHeaders, signedHeaderList, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${cred.secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = hmac(key, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return {
      ok: false,
      status: 403,
      error: 'InvalidSignatureException',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    };
  }
  return { ok: true, accessKeyId, region, service };
}
