import type { Core } from '@strapi/strapi';
import { describeHolder } from '../db/lease';
import { ingestionActive, readIngestionConfig } from './config';
import { ingestMailbox } from './pipeline';

/** This process's run in progress: a cron tick during it is skipped here, not sent to the lease. */
let current: { promise: Promise<void>; since: Date; stop: AbortController } | null = null;

/**
 * The cron task's run: nothing unless ingestion is on. Every run that does not read the mailbox
 * says so in one log line (skipped, and why; failed, and why), never thrown into the scheduler.
 */
export async function runScheduledIngestion(strapi: Core.Strapi): Promise<void> {
  const config = readIngestionConfig();
  if (!ingestionActive(config)) return;
  if (current) {
    strapi.log.info(`[ingest] check skipped: the previous check of this process is still running (since ${current.since.toISOString()})`);
    return;
  }
  const stop = new AbortController();
  const run = async () => {
    try {
      const report = await ingestMailbox(strapi, config, { signal: stop.signal });
      if (report.skipped === 'locked') strapi.log.info(`[ingest] check skipped: the mailbox is being read by ${describeHolder(report.holder ?? null)}`);
      else if (report.fetched > 0) strapi.log.info(`[ingest] ${report.fetched} mails: ${JSON.stringify(report.outcomes)}`);
    } catch (error) {
      strapi.log.error(`[ingest] check failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const promise = run().finally(() => {
    current = null;
  });
  current = { promise, since: new Date(), stop };
  await promise;
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
