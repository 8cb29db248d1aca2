/** GETs over real HTTP that keep the body as it travelled, for tests of encodings and caching headers. */
import http from 'node:http';
import zlib from 'node:zlib';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as it travelled. */
  raw: Buffer;
  /** The body decoded by its content-encoding, as UTF-8. */
  text: string;
}

export function decode(encoding: string | undefined, raw: Buffer): Buffer {
  switch (encoding) {
    case undefined:
      return raw;
    case 'gzip':
      return zlib.gunzipSync(raw);
    case 'br':
      return zlib.brotliDecompressSync(raw);
    case 'zstd':
      return zlib.zstdDecompressSync(raw);
    case 'deflate':
      return zlib.inflateSync(raw);
    default:
      throw new Error(`unexpected content-encoding ${encoding}`);
  }
}

/** A GET over real HTTP that keeps the bytes as sent (no client-side decompression). */
export function get(base: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const raw = Buffer.concat(chunks);
          const encoding = response.headers['content-encoding'];
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            raw,
            text: decode(encoding, raw).toString('utf8'),
          });
        });
        response.on('error', reject);
      })
      .on('error', reject);
  });
}
