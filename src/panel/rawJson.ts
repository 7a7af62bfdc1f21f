// Turns a wire record into pretty JSON text for the "Raw" tab. Wire records
// come from many decoders (protobuf, SQL rows, HTTP JSON) and may hold values
// JSON.stringify cannot take (bigint, byte arrays, repeated references).
export function toJsonText(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(
        value,
        function (_key, v: unknown) {
          if (typeof v === 'bigint') return v.toString();
          if (v instanceof Uint8Array) return `<${v.byteLength} bytes>`;
          if (v && typeof v === 'object') {
            if (seen.has(v)) return '[repeated reference]';
            seen.add(v);
          }
          return v;
        },
        2,
      ) ?? 'null'
    );
  } catch (err) {
    return JSON.stringify({ error: `The record could not be shown as JSON: ${err instanceof Error ? err.message : String(err)}` });
  }
}
