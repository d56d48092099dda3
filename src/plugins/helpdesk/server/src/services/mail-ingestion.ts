import type { Core } from '@strapi/strapi';
import { readIngestionConfig, type ImapConfig, type IngestionConfig } from '../mail-ingestion/config';
import { ingestMailbox, reprocessQuarantined, LEASE_NAME, type IngestOptions, type IngestReport } from '../mail-ingestion/pipeline';
import { backfillCcFromParticipants } from '../mail-ingestion/cc-list';
import { createLease, type Lease } from '../db/lease';
import { mailConfigView } from '../back-office/settings/service';
import type { MailConfigView } from '../../../shared/contract';

type Env = Record<string, string | undefined>;

/**
 * Email to ticket for callers outside the cron task: the `ingest` CLI, the benches, and hosts that
 * drive the mailbox themselves. The same code the cron task runs, inside the plugin's one bundle.
 */
const mailIngestion = ({ strapi }: { strapi: Core.Strapi }) => ({
  readConfig: (env: Env = process.env): IngestionConfig => readIngestionConfig(env),
  ingest: (config: IngestionConfig & { imap: ImapConfig }, options?: IngestOptions): Promise<IngestReport> => ingestMailbox(strapi, config, options),
  reprocessQuarantined: (config: IngestionConfig, options?: IngestOptions): Promise<IngestReport> =>
    reprocessQuarantined(strapi, config, options),
  /** Fills empty Cc lists from the addresses on each ticket's recorded mails; resolves to the tickets changed. */
  backfillCc: (): Promise<number> => backfillCcFromParticipants(strapi),
  /** The mailbox lease as a holder of its own: while it is held, every instance's run skips (maintenance). */
  holdMailbox: (ttlMs: number): Lease => createLease(strapi, LEASE_NAME, ttlMs),
  /** What Settings → Helpdesk shows about the mailbox: configuration, health, lease holder. */
  health: (env: NodeJS.ProcessEnv = process.env): Promise<MailConfigView> => mailConfigView(strapi, env),
});

export type MailIngestionService = ReturnType<typeof mailIngestion>;
export default mailIngestion;
