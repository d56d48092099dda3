import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { env } from '@strapi/utils';
import { keysForPurpose } from '../security/app-keys';

/**
 * Files too large to travel in a reply mail go as links that expire: a path naming the
 * attachment, the moment the link stops working and an HMAC over both, keyed from APP_KEYS (so
 * nothing about a link is stored, and a changed expiry or attachment breaks the signature).
 */

export const MAIL_FILE_ROUTE = '/api/mail-files';

/** Total bytes of files a reply mail carries as attachments; above it, all of them go as links. */
export const mailAttachmentMaxBytes = (): number => env.int('MAIL_ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024);

/** How long a file link works. */
export const mailFileLinkDays = (): number => env.int('MAIL_ATTACHMENT_LINK_DAYS', 7);

const keysFrom = (appKeys: readonly string[]): Buffer[] =>
  keysForPurpose(appKeys, 'helpdesk-mail-files', 'mail file links v1', 'mail file links cannot be signed');

const mac = (key: Buffer, documentId: string, expires: number): Buffer =>
  createHmac('sha256', key).update(`${documentId}.${expires}`).digest();

export function createFileLinkSigner(appKeys: readonly string[]) {
  let keys: Buffer[] | null = null;
  const derived = () => (keys ??= keysFrom(appKeys));

  /** The link's path: signed with the first key. */
  function path(documentId: string, expiresAt: Date): string {
    const expires = Math.floor(expiresAt.getTime() / 1000);
    const signature = mac(derived()[0], documentId, expires).toString('base64url');
    return `${MAIL_FILE_ROUTE}/${encodeURIComponent(documentId)}/${expires}/${signature}`;
  }

  /** 'ok', or why the link does not work: a signature no key made, or an expiry in the past. */
  function check(documentId: string, expires: string, signature: string, now = new Date()): 'ok' | 'bad-signature' | 'expired' {
    if (!/^\d{1,12}$/.test(expires) || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return 'bad-signature';
    const given = Buffer.from(signature, 'base64url');
    const valid = derived().some((key) => {
      const expected = mac(key, documentId, Number(expires));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!valid) return 'bad-signature';
    return Number(expires) * 1000 <= now.getTime() ? 'expired' : 'ok';
  }

  return { path, check };
}

export const fileLinkSigner = (strapi: Core.Strapi) => createFileLinkSigner(strapi.config.get<string[]>('server.app.keys') ?? []);

/** Where this server is reached from outside: PUBLIC_URL, else Strapi's own absolute URL. */
export const serverBaseUrl = (strapi: Core.Strapi): string =>
  String(strapi.config.get('server.url', '') || strapi.config.get('server.absoluteUrl', '') || '').replace(/\/+$/, '');
