// Turns a wire record into pretty JSON text for the "Raw" tab. Wire records
// come from many decoders (protobuf, SQL rows, HTTP JSON) and may hold values
// JSON.stringify cannot take (bigint, byte arrays, repeated references, and
// nesting deep enough to overflow its recursion): stringifyJson takes them all.
import { stringifyJson } from '../model/json';

export function toJsonText(value: unknown): string {
  return stringifyJson(value, { indent: 2, repeated: 'all' });
}
