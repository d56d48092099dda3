import type { Core } from '@strapi/strapi';
import { describeHolder, type LeaseHolder } from '../db/lease';
import { ingestionActive, readIngestionConfig } from './config';
import { checkErrorText, recordCheckFailure, recordCheckSuccess } from './health';
import { ingestMailbox, type IngestReport } from './pipeline';

/** This process's run in progress: a check asked for during it is skipped here, not sent to the lease. */
let current: { promise: Promise<CheckOutcome>; since: Date; stop: AbortController } | null = null;

/** What one check of the mailbox came to. */
export type CheckOutcome =
  /** Email to ticket is off or its IMAP settings are incomplete. */
  | { status: 'off' }
  /** This process's previous check still runs. */
  | { status: 'running'; since: Date }
  /** Another instance reads the mailbox (null: its lease ended meanwhile). */
  | { status: 'locked'; holder: LeaseHolder | null }
  | { status: 'done'; report: IngestReport }
  | { status: 'failed'; error: string };

/**
 * One check of the mailbox: the cron task's, and Settings → Helpdesk's "Check now", through the
 * same lease. Every check that does not read the mailbox says so in one log line (skipped, and why;
 * failed, and why), never thrown to the caller; a check that read it, or failed, is recorded for
 * the health panel (./health.ts).
 */
export async function checkMailbox(strapi: Core.Strapi): Promise<CheckOutcome> {
  const config = readIngestionConfig();
  if (!ingestionActive(config)) return { status: 'off' };
  if (current) {
    strapi.log.info(`[ingest] check skipped: the previous check of this process is still running (since ${current.since.toISOString()})`);
    return { status: 'running', since: current.since };
  }
  const stop = new AbortController();
  const run = async (): Promise<CheckOutcome> => {
    try {
      const report = await ingestMailbox(strapi, config, { signal: stop.signal });
      if (report.skipped === 'locked') {
        strapi.log.info(`[ingest] check skipped: the mailbox is being read by ${describeHolder(report.holder ?? null)}`);
        return { status: 'locked', holder: report.holder ?? null };
      }
      if (report.fetched > 0) strapi.log.info(`[ingest] ${report.fetched} mails: ${JSON.stringify(report.outcomes)}`);
      await recordCheckSuccess(strapi, report.fetched);
      return { status: 'done', report };
    } catch (error) {
      const text = checkErrorText(error);
      strapi.log.error(`[ingest] check failed: ${text}`);
      await recordCheckFailure(strapi, text);
      return { status: 'failed', error: text };
    }
  };
  const promise = run().finally(() => {
    current = null;
  });
  current = { promise, since: new Date(), stop };
  return promise;
}

/** The cron task's run: nothing unless ingestion is on. */
export async function runScheduledIngestion(strapi: Core.Strapi): Promise<void> {
  await checkMailbox(strapi);
}

/**
 * At shutdown: the run in progress stops after the mails it is writing and gives its lease back.
 * Without this the database closed under the run, the release failed, and the next start found
 * the mailbox held by a process that no longer existed until the lease ran out.
 */
export async function stopScheduledIngestion(): Promise<void> {
  const running = current;
  if (!running) return;
  running.stop.abort();
  await running.promise;
}
