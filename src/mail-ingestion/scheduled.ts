import type { Core } from '@strapi/strapi';
import { ingestionActive, readIngestionConfig } from './config';
import { ingestMailbox } from './pipeline';

/** The cron task's run: nothing unless ingestion is on; a failure is logged, never thrown into the scheduler. */
export async function runScheduledIngestion(strapi: Core.Strapi): Promise<void> {
  const config = readIngestionConfig();
  if (!ingestionActive(config)) return;
  try {
    const report = await ingestMailbox(strapi, config);
    if (report.fetched > 0) strapi.log.info(`[ingest] ${report.fetched} mails: ${JSON.stringify(report.outcomes)}`);
  } catch (error) {
    strapi.log.error(`[ingest] run failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
