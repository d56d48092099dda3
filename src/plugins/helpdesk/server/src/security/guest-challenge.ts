import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib';
import type { Challenge } from 'altcha-lib/types';
import { CHALLENGE_SOLUTION } from '../../../shared/uids';
import { tableIn } from '../db/table';
import { errors } from '@strapi/utils';
import { pluginRequire } from '../plugin-files';

/** The optional proof of work on the guest form (altcha, verified here: no third-party service). */
export interface GuestChallengeConfig {
  enabled: boolean;
  hmacKey: string;
  maxNumber: number;
  expiresMs: number;
}

export const guestChallengeConfig = (strapi: Core.Strapi): GuestChallengeConfig =>
  strapi.config.get('plugin::helpdesk.guest.challenge') as GuestChallengeConfig;

export async function newGuestChallenge(config: GuestChallengeConfig): Promise<Challenge> {
  return createChallenge({ hmacKey: config.hmacKey, maxNumber: config.maxNumber, expires: new Date(Date.now() + config.expiresMs) });
}

/** The signature names the challenge (it signs its salt, which carries a random part and the expiry). */
function signatureOf(payload: string): string | null {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    const signature = (decoded as { signature?: unknown } | null)?.signature;
    return typeof signature === 'string' && /^[0-9a-f]{16,128}$/i.test(signature) ? signature : null;
  } catch {
    return null;
  }
}

/** A 400 naming the field, in the shape of every other field error (path ['altcha']). */
const altchaError = (message: string) =>
  new errors.ValidationError(`altcha: ${message}`, { errors: [{ path: ['altcha'], message, name: 'ValidationError' }] });

let nextPruneAt = 0;

/**
 * Verifies the widget's payload (signature, solution and expiry) and spends it: an INSERT … ON
 * CONFLICT (key) DO NOTHING of its signature, so of two requests with one solution, on any
 * instance, exactly one gets the row. Call it in the ticket's transaction: a ticket that fails to
 * be created leaves the solution unspent. Spent rows are kept until the challenge expires.
 */
export async function spendGuestChallenge(strapi: Core.Strapi, config: GuestChallengeConfig, payload: string): Promise<void> {
  const signature = signatureOf(payload);
  const valid = signature !== null && (await verifySolution(payload, config.hmacKey, true).catch(() => false));
  if (!valid) throw altchaError('the anti-spam check failed or has expired, please try again');
  const expires = Number(extractParams(payload).expires);
  const now = new Date();
  const expiresAt = new Date(Number.isFinite(expires) ? expires * 1000 : now.getTime() + config.expiresMs);
  await strapi.db.transaction(async ({ trx }) => {
    const inserted: Array<{ id: number }> = await tableIn(strapi, trx, CHALLENGE_SOLUTION)
      .insert({ key: signature, expires_at: expiresAt, document_id: randomUUID(), created_at: now, updated_at: now })
      .onConflict('key')
      .ignore()
      .returning('id');
    if (inserted.length === 0) throw altchaError('this anti-spam check was already used, please try again');
    if (now.getTime() >= nextPruneAt) {
      nextPruneAt = now.getTime() + 60_000;
      await tableIn(strapi, trx, CHALLENGE_SOLUTION).where('expires_at', '<', now).delete();
    }
  });
}

/** The widget's files (altcha's "external" build: the worker is a same-origin file, so the page's
 * CSP, script-src 'self', needs no blob: worker), read once from node_modules. */
const WIDGET_FILES: Record<string, string> = {
  'altcha.js': 'text/javascript; charset=utf-8',
  'worker.js': 'text/javascript; charset=utf-8',
  'altcha.css': 'text/css; charset=utf-8',
};
const widgetDir = () => path.join(path.dirname(pluginRequire.resolve('altcha')), '..', 'dist_external');
let widgetVersion: string | null = null;

/** The installed widget's version: part of its URL, so the files can be cached for a year. */
export function guestWidgetVersion(): string {
  widgetVersion ??= String((JSON.parse(fs.readFileSync(path.join(widgetDir(), '..', 'package.json'), 'utf8')) as { version: string }).version);
  return widgetVersion;
}

export function guestWidgetFile(version: string, file: string): { body: Buffer; type: string } | null {
  const type = WIDGET_FILES[file];
  if (!type || version !== guestWidgetVersion()) return null;
  return { body: fs.readFileSync(path.join(widgetDir(), file)), type };
}
