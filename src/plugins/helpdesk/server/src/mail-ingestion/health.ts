import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { MAIL_CHECK } from '../../../shared/uids';
import { tableIn } from '../db/table';
import { maskSecrets } from '../security/mask-secrets';

/**
 * How the checks of the mailbox go, for Settings → Helpdesk: the last check that read the mailbox
 * and the last one that failed, with their times. One row (`mail-check`, named like the ingestion
 * lease) in the database, so it survives restarts and every instance writes and reads the same.
 */
export interface MailCheckRecord {
  lastSuccessAt: Date | null;
  /** Mails the last successful check read. */
  lastSuccessMails: number | null;
  lastErrorAt: Date | null;
  lastError: string | null;
}

const CHECK_NAME = 'mail-ingestion';
const MAX_ERROR_LENGTH = 2000;

/** An error as staff read it: its message, with the mailbox password masked should a server echo it. */
export function checkErrorText(error: unknown, secrets: Array<string | undefined> = [process.env.IMAP_PASSWORD]): string {
  const message = error instanceof Error ? error.message : String(error);
  return maskSecrets(message || 'unknown error', secrets).slice(0, MAX_ERROR_LENGTH);
}

async function save(strapi: Core.Strapi, at: Date, columns: Record<string, unknown>): Promise<void> {
  await strapi.db.transaction(async ({ trx }) => {
    await tableIn(strapi, trx, MAIL_CHECK)
      .insert({ name: CHECK_NAME, document_id: randomUUID(), ...columns, created_at: at, updated_at: at })
      .onConflict('name')
      .merge({ ...columns, updated_at: at });
  });
}

/** Records a check's outcome; a failure to record is logged, never thrown into the check. */
async function record(strapi: Core.Strapi, at: Date, columns: Record<string, unknown>): Promise<void> {
  try {
    await save(strapi, at, columns);
  } catch (error) {
    strapi.log.warn(`[ingest] could not record the check's outcome: ${checkErrorText(error)}`);
  }
}

export const recordCheckSuccess = (strapi: Core.Strapi, mails: number, at = new Date()): Promise<void> =>
  record(strapi, at, { last_success_at: at, last_success_mails: mails });

/** `error`: what checkErrorText made of the failure. */
export const recordCheckFailure = (strapi: Core.Strapi, error: string, at = new Date()): Promise<void> =>
  record(strapi, at, { last_error_at: at, last_error: error });

type Stamp = Date | string | number | null;
const dateOf = (value: Stamp): Date | null => (value === null || value === undefined ? null : new Date(value));

export async function readMailCheck(strapi: Core.Strapi): Promise<MailCheckRecord> {
  const row = (await strapi.db.query(MAIL_CHECK).findOne({ where: { name: CHECK_NAME } })) as {
    lastSuccessAt: Stamp;
    lastSuccessMails: number | string | null;
    lastErrorAt: Stamp;
    lastError: string | null;
  } | null;
  return {
    lastSuccessAt: dateOf(row?.lastSuccessAt ?? null),
    lastSuccessMails: row?.lastSuccessMails === null || row?.lastSuccessMails === undefined ? null : Number(row.lastSuccessMails),
    lastErrorAt: dateOf(row?.lastErrorAt ?? null),
    lastError: row?.lastError ?? null,
  };
}
