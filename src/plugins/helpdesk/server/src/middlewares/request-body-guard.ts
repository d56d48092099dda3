import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Context, Next } from 'koa';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { isSameRoute, normaliseRoutePath } from '../security/route-path';

/** A route that may carry a multipart body: method and a pattern for the path. */
export interface MultipartRoute {
  method: string;
  /** Tested against the path in lower case without trailing slashes (see security/route-path.ts). */
  path: RegExp;
}

export interface RequestBodyGuardConfig {
  /** The only routes strapi::body may parse multipart bodies for (uploads). */
  multipartRoutes: readonly MultipartRoute[];
  /** How much of a refused multipart body is still read (and dropped) so that the client gets the answer. */
  drainBytes: number;
}

const decoders: Record<string, (() => NodeJS.ReadWriteStream) | null> = {
  identity: null,
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** Strapi's error JSON for a status @strapi/utils has no error class for (415). */
function refuse(ctx: Context, status: number, name: string, message: string): void {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message, details: {} } };
}

/**
 * Reads the request body, decompressed, and stops as soon as more than `limit` bytes have come
 * out: the limit holds for chunked and compressed bodies, whatever Content-Length says.
 */
async function readLimited(req: Readable, encoding: string, limit: number): Promise<Buffer> {
  const decoder = decoders[encoding];
  const source: Readable = decoder ? (req.pipe(decoder()) as unknown as Readable) : req;
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source) {
      total += (chunk as Buffer).length;
      if (total > limit) throw new errors.PayloadTooLargeError(`The request body must be at most ${limit} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    req.unpipe();
    req.resume(); // drain the rest so that the 413 reaches the client
    if (error instanceof errors.PayloadTooLargeError) throw error;
    throw new errors.ValidationError('The request body could not be read (bad compression or aborted)');
  }
  return Buffer.concat(chunks);
}

const DRAIN_TIMEOUT_MS = 30_000;

/** Reads and drops what is left of a request body: at most `maxBytes`, within `timeoutMs`. */
function drainRequest(req: Readable, maxBytes: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    let drained = 0;
    const done = () => {
      clearTimeout(timer);
      req.off('data', count);
      req.off('end', done);
      req.off('close', done);
      resolve();
    };
    const count = (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > maxBytes) done();
    };
    const timer = setTimeout(done, timeoutMs);
    req.on('data', count);
    req.once('end', done);
    req.once('close', done);
    req.resume();
  });
}

const tempPaths = (files: unknown): string[] =>
  Object.values((files ?? {}) as Record<string, unknown>)
    .flatMap((value) => (Array.isArray(value) ? value : [value]))
    .map((file) => (file as { filepath?: unknown } | null)?.filepath)
    .filter((filepath): filepath is string => typeof filepath === 'string');

/**
 * Runs right before strapi::body, which parses every body before any route (and so any route
 * middleware) runs:
 * - the guest endpoint accepts only application/json (a cross-site form cannot post it without a
 *   CORS preflight), and its body is read here with the guest limit on the decompressed bytes;
 * - multipart bodies are refused unless the route takes uploads: formidable writes their files to
 *   the temp directory before anything could refuse them;
 * - whatever happens after parsing, every multipart temp file of the request is removed (Strapi
 *   removes only the `files` field, and only when no error was thrown).
 */
export default (config: RequestBodyGuardConfig, { strapi }: { strapi: Core.Strapi }) => {
  const prefix = String(strapi.config.get('api.rest.prefix', '/api'));
  const guestPath = `${prefix}/tickets/guest`;
  const guestLimit = Number(strapi.config.get('plugin::helpdesk.guest.bodyLimitBytes'));

  return async (ctx: Context, next: Next) => {
    if (ctx.method === 'POST' && isSameRoute(ctx.path, guestPath)) {
      if (!ctx.request.is('application/json')) {
        return refuse(ctx, 415, 'UnsupportedMediaTypeError', 'This endpoint accepts only application/json');
      }
      const encoding = String(ctx.get('content-encoding') || 'identity').toLowerCase();
      if (!(encoding in decoders)) {
        return refuse(ctx, 415, 'UnsupportedMediaTypeError', `Unsupported content encoding "${encoding}"`);
      }
      if (encoding === 'identity' && (ctx.request.length ?? 0) > guestLimit) {
        throw new errors.PayloadTooLargeError(`The request body must be at most ${guestLimit} bytes`);
      }
      const raw = await readLimited(ctx.req, encoding, guestLimit);
      try {
        ctx.request.body = raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as unknown);
      } catch {
        throw new errors.ValidationError('The request body is not valid JSON');
      }
      // the body is consumed: without these headers strapi::body sees no body and leaves ours alone
      delete ctx.req.headers['content-length'];
      delete ctx.req.headers['transfer-encoding'];
      delete ctx.req.headers['content-encoding'];
      return next();
    }

    if (ctx.request.is('multipart') && !config.multipartRoutes.some((route) => route.method === ctx.method && route.path.test(normaliseRoutePath(ctx.path)))) {
      return refuse(ctx, 415, 'UnsupportedMediaTypeError', 'This route does not accept multipart bodies');
    }

    // strapi::body deletes ctx.request.files once the request is done (and removes only the
    // `files` field): note every value it sets, so that every temp file of the request goes.
    const parsed: unknown[] = [];
    let current: unknown;
    Object.defineProperty(ctx.request, 'files', {
      configurable: true,
      enumerable: true,
      get: () => current,
      set: (value: unknown) => {
        current = value;
        parsed.push(value);
      },
    });
    try {
      await next();
    } catch (error) {
      // A body refused halfway (a 413 past the upload limit): answering while the client still sends
      // makes Node close the connection under it, and the client sees a reset instead of our answer.
      // Read and drop the rest first, up to what an upload may carry. (Not `is('multipart')`: the
      // body parser's failure leaves the request looking bodiless to it.)
      if (!ctx.req.complete) await drainRequest(ctx.req, config.drainBytes, DRAIN_TIMEOUT_MS);
      throw error;
    } finally {
      const files = parsed.flatMap(tempPaths);
      if (files.length > 0) await Promise.all(files.map((filepath) => rm(filepath, { force: true })));
    }
  };
};
