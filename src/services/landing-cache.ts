/**
 * What a plan's QR landing page (`GET /w/<code>`) shows, rendered and compressed once and then
 * served from memory: published plan versions are frozen, so the page only changes when the
 * plan, its product, its manufacturer or the product's other plans change.
 *
 * Staleness bound. Every write path of the web process that changes what a landing shows
 * (a manufacturer suspended or reactivated, a product edited, a plan stopped) calls `invalidate()`,
 * which retires every entry at once, before its response is sent, and tells the other web processes
 * (src/services/landing-peers.ts). The worker announces the plans it publishes the same way, so they
 * show at once too. Writes nobody announces (SQL by hand), or made while the listening connection is
 * down, show within `ttlMs` (10 s by default) plus the time one load takes.
 *
 * Each response still carries its own form idempotency key (two consumers must never share an
 * order number), so an entry is the page split around that slot: the part before it is
 * compressed once per encoding with a flush that leaves the stream open, and each response
 * appends the slot and the rest as a stored (uncompressed) block plus the stream's end. That is
 * a few hundred bytes of framing per response instead of a compressor per response.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import negotiate from '@fastify/accept-negotiator';
import { LRUCache } from 'lru-cache';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);
const zstd = promisify(zlib.zstdCompress);
const { constants } = zlib;

/** What the loader renders: a page with one per-response slot, or a page without one (404, 410). */
export type LandingRender =
  | { status: 200; html: string; slot: string }
  | { status: number; html: string; slot?: undefined };

export const PRECOMPRESSED = ['zstd', 'br', 'gzip'] as const;
export type Precompressed = (typeof PRECOMPRESSED)[number];

/** The same order of preference as @fastify/compress, so a cached page is encoded as a rendered one would be. */
const NEGOTIATED = ['zstd', 'br', 'gzip', 'deflate', 'identity'];

/** The encoding @fastify/compress would choose for this Accept-Encoding; null when there is none to use. */
export function negotiatedEncoding(acceptEncoding: string | undefined): string | null {
  if (!acceptEncoding) return null;
  return negotiate(acceptEncoding.toLowerCase().replace(/\*|x-gzip/gu, 'gzip'), NEGOTIATED);
}

/** One cached landing page. */
export class CachedLanding {
  readonly status: number;
  /** The page up to the slot (the whole page when it has none). */
  readonly head: Buffer;
  /** The page after the slot. */
  readonly tail: string;
  readonly hasSlot: boolean;
  readonly #headCrc: number;
  readonly #encodedHeads: Record<Precompressed, Buffer> | null;

  constructor(
    render: LandingRender,
    head: Buffer,
    tail: string,
    encodedHeads: Record<Precompressed, Buffer> | null,
  ) {
    this.status = render.status;
    this.hasSlot = render.slot !== undefined;
    this.head = head;
    this.tail = tail;
    this.#headCrc = zlib.crc32(head);
    this.#encodedHeads = encodedHeads;
  }

  get bytes(): number {
    return (
      this.head.length +
      this.tail.length +
      Object.values(this.#encodedHeads ?? {}).reduce((n, b) => n + b.length, 0)
    );
  }

  /** The whole page with `slotValue` in its slot, uncompressed. */
  text(slotValue = ''): Buffer {
    return Buffer.concat([this.head, Buffer.from(slotValue + this.tail)]);
  }

  /**
   * The whole page with `slotValue` in its slot, as one valid stream of the encoding; null for a
   * page kept uncompressed (one without a slot: small, and rare traffic).
   */
  encoded(encoding: Precompressed, slotValue: string): Buffer | null {
    if (!this.#encodedHeads) return null;
    const head = this.#encodedHeads[encoding];
    const rest = Buffer.from(slotValue + this.tail);
    // One stored block of up to 64 KiB (gzip), one 4-nibble uncompressed meta-block (br), one raw block (zstd).
    if (rest.length === 0 || rest.length > 0xffff)
      throw new RangeError('a landing slot and tail must be 1..65535 bytes');
    if (encoding === 'gzip') {
      // RFC 1951 3.2.4: BFINAL=1, BTYPE=00, then LEN and its one's complement; RFC 1952: CRC32 and ISIZE.
      const block = Buffer.alloc(5);
      block[0] = 1;
      block.writeUInt16LE(rest.length, 1);
      block.writeUInt16LE(~rest.length & 0xffff, 3);
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(zlib.crc32(rest, this.#headCrc), 0);
      trailer.writeUInt32LE((this.head.length + rest.length) >>> 0, 4);
      return Buffer.concat([head, block, rest, trailer]);
    }
    if (encoding === 'br') {
      // RFC 7932 9.2: ISLAST=0, MNIBBLES=4 (00), MLEN-1 in 16 bits, ISUNCOMPRESSED=1, zero padding;
      // then an empty last meta-block (ISLAST=1, ISLASTEMPTY=1).
      const header = ((rest.length - 1) << 3) | (1 << 19);
      return Buffer.concat([
        head,
        Buffer.from([header & 0xff, (header >> 8) & 0xff, header >> 16]),
        rest,
        Buffer.from([0b11]),
      ]);
    }
    // RFC 8878 3.1.1.2: Last_Block=1, Block_Type=Raw (0), Block_Size; the frame has no checksum.
    const header = 1 | (rest.length << 3);
    return Buffer.concat([head, Buffer.from([header & 0xff, (header >> 8) & 0xff, header >> 16]), rest]);
  }
}

/**
 * Compresses the head once per encoding, each stream flushed to a byte boundary and left open.
 * Levels: on a 13 kB page brotli 9 and zstd 6 take about 1 ms and come out no larger than
 * brotli 11 and zstd 19, which take 30 and 100 ms (a stall for everyone waiting on the load).
 */
async function cachedLanding(render: LandingRender): Promise<CachedLanding> {
  const parts = render.slot === undefined ? [render.html, ''] : render.html.split(render.slot);
  if (parts.length !== 2) throw new Error('a landing page must hold its slot exactly once');
  const [before = '', after = ''] = parts;
  const head = Buffer.from(before);
  if (render.slot === undefined) return new CachedLanding(render, head, after, null);
  const [gz, br, zs] = await Promise.all([
    gzip(head, { level: 9, finishFlush: constants.Z_SYNC_FLUSH }),
    brotli(head, {
      finishFlush: constants.BROTLI_OPERATION_FLUSH,
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 9,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: head.length,
      },
    }),
    zstd(head, {
      finishFlush: constants.ZSTD_e_flush,
      params: {
        [constants.ZSTD_c_compressionLevel]: 6,
        // The stream is finished by hand, so it must not promise a size or a checksum.
        [constants.ZSTD_c_checksumFlag]: 0,
        [constants.ZSTD_c_contentSizeFlag]: 0,
      },
    }),
  ]);
  return new CachedLanding(render, head, after, { gzip: gz, br, zstd: zs });
}

interface LoadContext {
  load: () => Promise<LandingRender>;
}

export class LandingCache {
  readonly ttlMs: number;
  readonly #pages: LRUCache<string, CachedLanding, LoadContext>;
  /**
   * Part of every key: bumping it retires every entry, and loads still running finish for their
   * own callers only (the cache is not cleared, so no load is aborted under a waiting request).
   */
  #generation = 0;
  #loads = 0;
  readonly #listeners: (() => void)[] = [];

  constructor(options: { ttlMs?: number; maxBytes?: number } = {}) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.#pages = new LRUCache<string, CachedLanding, LoadContext>({
      ttl: this.ttlMs,
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (entry) => entry.bytes + 256,
      // Entries of a retired generation are never read again; they leave when their TTL ends.
      ttlAutopurge: true,
      // A load whose entry is purged or evicted meanwhile still answers the requests waiting on it
      // (it is just not kept), rather than failing them.
      ignoreFetchAbort: true,
      // Concurrent misses for one key share one load.
      fetchMethod: async (_key, _stale, { context }) => {
        this.#loads++;
        return cachedLanding(await context.load());
      },
    });
  }

  /**
   * The cached page for (code, variant), loaded with `load` when missing or expired. `variant`
   * holds everything else the page depends on.
   */
  page(
    code: string,
    variant: string,
    load: () => Promise<LandingRender>,
  ): CachedLanding | Promise<CachedLanding> {
    const key = `${this.#generation}\n${code}\n${variant}`;
    // A hit answers at once: no promise, so the page goes out in the request's own tick.
    return this.#pages.get(key) ?? this.#load(key, code, load);
  }

  async #load(key: string, code: string, load: () => Promise<LandingRender>): Promise<CachedLanding> {
    const page = await this.#pages.fetch(key, { context: { load } });
    if (!page) throw new Error(`the landing cache answered nothing for ${code}`);
    return page;
  }

  /** How many times a page was loaded (misses), for the benchmark's report. */
  get loads(): number {
    return this.#loads;
  }

  /**
   * Something a landing shows changed: every later request renders afresh. A change made in this process
   * is announced to the other web processes (src/services/landing-peers.ts); one they announced is not.
   */
  invalidate({ announce = true }: { announce?: boolean } = {}): void {
    this.#generation++;
    if (announce) for (const listener of this.#listeners) listener();
  }

  /** Called on every invalidation made in this process. */
  onInvalidate(listener: () => void): void {
    this.#listeners.push(listener);
  }
}
