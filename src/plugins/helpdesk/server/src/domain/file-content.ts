import path from 'node:path';
import { open, readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Core } from '@strapi/strapi';
import { env } from '@strapi/utils';
import { MAGIC_BYTES_NEEDED, deniedTypeReason, executableKind, imagePixelLimit, imagePixelReason, type ImageDimensions } from './attachment-policy';

type Maybe = string | null | undefined;

/**
 * The one content check a file gets before it enters a ticket, whichever way it comes (the
 * tickets' attachments route, the back office's reply, a mail part, or POST /api/attachments with
 * a file already in the media library): its name, its declared type and its first bytes.
 */
export function fileContentRefusal(names: readonly Maybe[], mimeTypes: readonly Maybe[], head: Buffer): string | null {
  const byName = deniedTypeReason(names, mimeTypes);
  if (byName) return byName;
  const executable = executableKind(head);
  return executable ? `the content is ${executable}, which is not accepted` : null;
}

/** What an image's header says about its size (sharp reads the header only); null when it is no image sharp reads. */
export async function imageDimensions(filepath: string): Promise<ImageDimensions | null> {
  try {
    const { width, height, pages } = await sharp(filepath).metadata();
    return { width, height, pages };
  } catch {
    return null;
  }
}

/** Why the image in `filepath` is not to be decoded (over IMAGE_MAX_PIXELS), or null (within it, or no image). */
export async function imagePixelRefusal(filepath: string): Promise<string | null> {
  const dimensions = await imageDimensions(filepath);
  return dimensions ? imagePixelReason(dimensions, imagePixelLimit(env)) : null;
}

export async function readHead(filepath: string, bytes = MAGIC_BYTES_NEEDED): Promise<Buffer> {
  const handle = await open(filepath, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A media library row: enough to find its bytes. */
export interface StoredFileRef {
  url: string;
  provider: string;
}

const STORED_READ_TIMEOUT_MS = 10_000;

/**
 * The first bytes of a file in the media library, read through its provider: from this server's
 * public folder for a local URL (/uploads/…), else from its URL (signed for a private bucket) with
 * a Range request. Throws when the bytes cannot be read.
 */
export async function storedFileHead(strapi: Core.Strapi, file: StoredFileRef, bytes = MAGIC_BYTES_NEEDED): Promise<Buffer> {
  const signed = (await strapi.plugin('upload').service('file').signFileUrls({ ...file })) as StoredFileRef;
  if (signed.url.startsWith('/')) {
    const publicDir = path.resolve(strapi.dirs.static.public);
    const filepath = path.resolve(publicDir, `.${decodeURIComponent(signed.url)}`);
    if (!filepath.startsWith(`${publicDir}${path.sep}`)) throw new Error(`${signed.url} is outside the public folder`);
    return readHead(filepath, bytes);
  }
  const response = await fetch(signed.url, {
    headers: { range: `bytes=0-${bytes - 1}` },
    signal: AbortSignal.timeout(STORED_READ_TIMEOUT_MS),
  });
  if (!response.ok || !response.body) throw new Error(`reading ${file.provider} file: HTTP ${response.status}`);
  // a server that ignores Range sends the whole file: read only the bytes needed
  const chunks: Buffer[] = [];
  let length = 0;
  const reader = response.body.getReader();
  try {
    while (length < bytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      length += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

/** Bytes a whole file may take to read back (a mail attachment, a download): longer than a head. */
const STORED_FILE_TIMEOUT_MS = 60_000;

/**
 * A whole file from the media library, read through its provider like storedFileHead (the local
 * public folder, or its signed URL for S3): for a mail's attachments and the mail file links.
 */
export async function readStoredFile(strapi: Core.Strapi, file: StoredFileRef): Promise<Buffer> {
  const signed = (await strapi.plugin('upload').service('file').signFileUrls({ ...file })) as StoredFileRef;
  if (signed.url.startsWith('/')) {
    const publicDir = path.resolve(strapi.dirs.static.public);
    const filepath = path.resolve(publicDir, `.${decodeURIComponent(signed.url)}`);
    if (!filepath.startsWith(`${publicDir}${path.sep}`)) throw new Error(`${signed.url} is outside the public folder`);
    return readFile(filepath);
  }
  const response = await fetch(signed.url, { signal: AbortSignal.timeout(STORED_FILE_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`reading ${file.provider} file: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}
