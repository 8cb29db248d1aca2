/**
 * The server-rendered pages' static files (web/consumer, web/sandbox), served the way a CDN would:
 * read, hashed and compressed (brotli, gzip) once when the process starts, then answered from memory.
 *
 * `assetUrl('/consumer/consumer.css')` names the file with its content hash
 * (`/consumer/consumer.<hash>.css`); that URL never changes meaning, so it is cached for a year as
 * `immutable`. The plain URL keeps working with a short max-age, for pages and bookmarks from
 * before a deploy. Files are never compressed per request (@fastify/compress is off on these routes).
 *
 * To serve another folder of web/ this way, add it to ASSET_FOLDERS; every page then links
 * `assetUrl(path)`. A file that changes on disk is seen at the next start.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import negotiate from '@fastify/accept-negotiator';
import { isUtf8MimeType, mime } from '@fastify/send';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));
/**
 * The folders of web/ served from memory (brand: the favicon, linked by every page); the portal's (assets,
 * portal, audit) still go through @fastify/static.
 */
const ASSET_FOLDERS = ['brand', 'consumer', 'sandbox'];

export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Plain URLs: a page rendered before a deploy still gets its file, and sees the new one within minutes. */
export const PLAIN_MAX_AGE = 'public, max-age=300';

type Encoding = 'br' | 'gzip';

export interface Asset {
  /** The URL path without the hash, e.g. `/consumer/consumer.css`. */
  path: string;
  /** The URL path with the content hash, e.g. `/consumer/consumer.Ab3_x9QkLmZ0.css`. */
  hashedPath: string;
  contentType: string;
  hash: string;
  identity: Buffer;
  /** Only the encodings that came out smaller than the file. */
  encoded: Partial<Record<Encoding, Buffer>>;
}

/** Brotli's and gzip's densest settings: they run once per file per process, on a few kilobytes. */
function compress(body: Buffer, text: boolean): Partial<Record<Encoding, Buffer>> {
  const { constants } = zlib;
  const candidates: Record<Encoding, Buffer> = {
    br: zlib.brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: text ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gzip: zlib.gzipSync(body, { level: constants.Z_BEST_COMPRESSION }),
  };
  return Object.fromEntries(Object.entries(candidates).filter(([, encoded]) => encoded.length < body.length));
}

function readAsset(root: string, folder: string, name: string): Asset {
  const identity = readFileSync(join(root, folder, name));
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 12);
  const extension = extname(name);
  const type = mime.getType(name) ?? 'application/octet-stream';
  const text = isUtf8MimeType(type);
  return {
    path: `/${folder}/${name}`,
    hashedPath: `/${folder}/${name.slice(0, name.length - extension.length)}.${hash}${extension}`,
    contentType: text ? `${type}; charset=utf-8` : type,
    hash,
    identity,
    encoded: compress(identity, text),
  };
}

/** The files of some folders under one root, keyed by their plain URL path. */
export class WebAssets {
  readonly #byPath: ReadonlyMap<string, Asset>;

  constructor(root: string, folders: readonly string[]) {
    this.#byPath = new Map(
      folders.flatMap((folder) =>
        readdirSync(join(root, folder), { withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => readAsset(root, folder, entry.name))
          .map((asset) => [asset.path, asset] as const),
      ),
    );
  }

  get assets(): Iterable<Asset> {
    return this.#byPath.values();
  }

  /** The hashed URL of a file; throws for one that is not served here, so a typo fails the first render. */
  url(path: string): string {
    const asset = this.#byPath.get(path);
    if (!asset) throw new Error(`${path} is not one of the static assets (src/pages/assets.ts)`);
    return asset.hashedPath;
  }
}

/** web/'s assets, read and compressed once when this module is first imported. */
export const webAssets = new WebAssets(WEB_ROOT, ASSET_FOLDERS);

/** The URL a page links for a file of web/, e.g. `assetUrl('/consumer/consumer.css')`. */
export const assetUrl = (path: string): string => webAssets.url(path);

/** An entity tag per representation: the encodings of one file are different bytes. */
const etagOf = (asset: Asset, encoding: Encoding | 'identity') =>
  `"${asset.hash}${encoding === 'identity' ? '' : `.${encoding}`}"`;

function send(asset: Asset, cacheControl: string, request: FastifyRequest, reply: FastifyReply) {
  const available = [...(Object.keys(asset.encoded) as Encoding[]), 'identity'];
  const accepted = request.headers['accept-encoding'];
  // As @fastify/compress reads the header: `*` and `x-gzip` mean gzip; a refusal of everything still gets the file.
  const encoding = ((accepted &&
    negotiate(accepted.toLowerCase().replace(/\*|x-gzip/gu, 'gzip'), available)) ??
    'identity') as Encoding | 'identity';
  const etag = etagOf(asset, encoding);
  reply.header('cache-control', cacheControl).header('etag', etag).type(asset.contentType);
  if (available.length > 1) reply.header('vary', 'accept-encoding');
  const matches = request.headers['if-none-match']
    ?.split(',')
    .some((tag) => tag.trim().replace(/^W\//u, '') === etag);
  if (matches) return reply.code(304).send();
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.send(encoding === 'identity' ? asset.identity : asset.encoded[encoding]);
}

/** GET (and HEAD) routes for every asset: the hashed URL as immutable, the plain one with a short max-age. */
export function assetRoutes(app: FastifyInstance, assets: WebAssets = webAssets): void {
  for (const asset of assets.assets) {
    const options = { schema: { hide: true }, compress: false as const };
    app.get(asset.hashedPath, options, (request, reply) => send(asset, IMMUTABLE, request, reply));
    app.get(asset.path, options, (request, reply) => send(asset, PLAIN_MAX_AGE, request, reply));
  }
}
