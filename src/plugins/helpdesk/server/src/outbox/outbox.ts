import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { OUTBOUND_EMAIL, UPLOAD_FILE } from '../../../shared/uids';
import { isPostgres, tableIn } from '../db/table';
import { nextAttemptDelay, isPermanentFailure, type OutboxPolicy } from './retry-policy';
import { readStoredFile } from '../domain/file-content';
import { assertSecretsHidden, createSecretBox, fillSecrets, redactSecrets, secretPlaceholder, type MailSecrets } from './secrets';

/** A media library file a mail carries: read through the upload provider when the mail is sent. */
export interface MailFile {
  fileId: number;
  filename: string;
  contentType: string;
}

export interface OutgoingMail {
  to: string;
  /** Copied recipients (a ticket's Cc list); the cap of automatic mail counts `to` only. */
  cc?: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers?: Record<string, string>;
  templateKey?: string;
  ticketId?: number;
  /** Not before this moment (a digest waits for the end of its window); now when absent. */
  notBefore?: Date;
  /**
   * Secrets the mail carries (a reset code, a confirmation token), by name: the bodies hold
   * secretPlaceholder(name) instead, which is all the stored row shows; the outbox fills the secret
   * in at send time. A secret whose placeholder the bodies lack is not stored at all.
   */
  secrets?: MailSecrets;
  /**
   * Counts under the recipient's cap of automatic mail (AUTO_REPLY_CAP); by default only mail
   * with Auto-Submitted: auto-replied does. Account mails set it: anybody can trigger them.
   */
  capped?: boolean;
  /** Files sent as MIME attachments. */
  attachments?: MailFile[];
}

export interface Enqueued {
  /** Why the mail was recorded as suppressed instead of queued (the recipient's cap), or null. */
  suppressed: string | null;
}

interface ClaimedMail {
  id: number;
  to: string;
  cc: string[] | null;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  headers: Record<string, string> | null;
  attachments: MailFile[] | null;
  messageId: string;
  attempts: number;
  sealedSecrets: string | null;
  claimToken: string;
}

export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * The outbox: mail is written as an outbound-email row in the transaction of the change that
 * caused it, and delivered afterwards, right after that commit and by a cron task every few
 * seconds. Rows are claimed with one UPDATE (… FOR UPDATE SKIP LOCKED on PostgreSQL), so
 * several Strapi processes never send one row twice. The only window for a duplicate is a crash
 * after the SMTP server accepted a mail and before the row was marked sent: the claim then
 * expires and the mail is sent again (at-least-once, never silently lost).
 */
export function createOutbox(strapi: Core.Strapi, policy: OutboxPolicy) {
  let running: Promise<DeliveryReport> | null = null;
  let again = false;
  let stopped = false;
  const secretBox = createSecretBox(strapi.config.get<string[]>('server.app.keys') ?? []);

  /** Why an automatic mail to `to` must not go out now (the recipient's cap is reached), or null. */
  async function capReached(to: string): Promise<string | null> {
    const since = new Date(Date.now() - policy.automaticCapWindowMs);
    const recent = await strapi.db.query(OUTBOUND_EMAIL).count({
      where: { to, automatic: true, deliveryStatus: { $ne: 'suppressed' }, createdAt: { $gt: since } },
    });
    if (recent < policy.automaticCap) return null;
    return `suppressed: ${recent} automatic mails to this address in the last ${Math.round(policy.automaticCapWindowMs / 60_000)} minutes (cap ${policy.automaticCap})`;
  }

  /**
   * Writes a mail into the outbox in the caller's transaction. An automatic mail (a confirmation or
   * auto-reply, Auto-Submitted: auto-replied, or `capped`) past the recipient's cap is recorded as
   * suppressed with the reason instead, so a form or mailbox flood cannot turn the helpdesk into a
   * mail cannon. A suppressed mail keeps no secret.
   */
  async function enqueue(mail: OutgoingMail): Promise<Enqueued> {
    const automatic = mail.capped ?? mail.headers?.['Auto-Submitted'] === 'auto-replied';
    const secrets = Object.fromEntries(
      Object.entries(mail.secrets ?? {}).filter(([name]) => mail.text.includes(secretPlaceholder(name)) || mail.html.includes(secretPlaceholder(name)))
    );
    assertSecretsHidden([mail.to, ...(mail.cc ?? []), mail.subject, mail.text, mail.html, JSON.stringify(mail.headers ?? {})], mail.secrets ?? {});
    return strapi.db.transaction(async ({ trx, onCommit }) => {
      // one count per recipient at a time, or requests that come at once would all see room under the cap
      if (automatic && isPostgres(strapi)) await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`outbox-cap:${mail.to}`]);
      const suppressed = automatic ? await capReached(mail.to) : null;
      const sealedSecrets = !suppressed && Object.keys(secrets).length > 0 ? secretBox.seal(secrets, mail.messageId) : null;
      await strapi.db.query(OUTBOUND_EMAIL).create({
        data: {
          to: mail.to,
          cc: mail.cc?.length ? mail.cc : null,
          subject: mail.subject,
          textBody: mail.text,
          htmlBody: mail.html,
          headers: mail.headers ?? {},
          attachments: mail.attachments?.length ? mail.attachments : null,
          messageId: mail.messageId,
          templateKey: mail.templateKey ?? null,
          ticket: mail.ticketId ?? null,
          deliveryStatus: suppressed ? 'suppressed' : 'queued',
          lastError: suppressed,
          automatic,
          sealedSecrets,
          attempts: 0,
          nextAttemptAt: mail.notBefore ?? new Date(),
        },
        // the query engine reads the row back after the insert: only its id, not the bodies
        select: ['id'],
      });
      // a mail for later is left to the cron task
      if (!mail.notBefore) onCommit(() => kick());
      return { suppressed };
    });
  }

  /** Claims up to `limit` due rows for this run; expired claims of a crashed run are due again. */
  async function claim(limit: number): Promise<ClaimedMail[]> {
    const now = new Date();
    const token = randomUUID();
    const claimedIds = await strapi.db.transaction(async ({ trx }) => {
      const due = tableIn(strapi, trx, OUTBOUND_EMAIL)
        .select('id')
        .where((q) => q.where('delivery_status', 'queued').andWhere('next_attempt_at', '<=', now))
        .orWhere((q) => q.where('delivery_status', 'sending').andWhere('locked_until', '<', now))
        .orderBy('id')
        .limit(limit);
      if (isPostgres(strapi)) due.forUpdate().skipLocked();
      const rows: Array<{ id: number }> = await tableIn(strapi, trx, OUTBOUND_EMAIL)
        .whereIn('id', due)
        .update({
          delivery_status: 'sending',
          claim_token: token,
          locked_until: new Date(now.getTime() + policy.claimTimeoutMs),
          attempts: trx.raw('attempts + 1'),
          updated_at: now,
        })
        .returning('id');
      return rows.map((row) => row.id);
    });
    if (claimedIds.length === 0) return [];
    return (await strapi.db.query(OUTBOUND_EMAIL).findMany({
      where: { id: { $in: claimedIds }, claimToken: token },
      orderBy: { id: 'asc' },
    })) as ClaimedMail[];
  }

  /** A file's bytes from its provider at send time; a file gone from the media library fails the attempt. */
  async function readAttachment(file: MailFile): Promise<{ filename: string; contentType: string; content: Buffer }> {
    const stored = (await strapi.db.query(UPLOAD_FILE).findOne({ where: { id: file.fileId }, select: ['url', 'provider'] })) as
      | { url: string; provider: string }
      | null;
    if (!stored) throw new Error(`attachment ${file.filename} (file ${file.fileId}) is no longer in the media library`);
    return { filename: file.filename, contentType: file.contentType, content: await readStoredFile(strapi, stored) };
  }

  async function send(mail: ClaimedMail, report: DeliveryReport): Promise<void> {
    const rows = strapi.db.query(OUTBOUND_EMAIL);
    const secrets = mail.sealedSecrets ? secretBox.open(mail.sealedSecrets, mail.messageId) : {};
    if (!secrets) {
      await rows.update({
        where: { id: mail.id },
        data: { deliveryStatus: 'failed', lastError: 'its secrets could not be decrypted (were APP_KEYS replaced?)', lockedUntil: null, sealedSecrets: null },
      });
      report.failed += 1;
      strapi.log.warn(`[outbox] mail ${mail.messageId} to ${mail.to} failed for good: its secrets could not be decrypted`);
      return;
    }
    try {
      const attachments = await Promise.all((mail.attachments ?? []).map(readAttachment));
      await strapi.plugin('email').service('email').send({
        to: mail.to,
        cc: mail.cc?.length ? mail.cc : undefined,
        subject: mail.subject,
        text: fillSecrets(mail.textBody, secrets),
        html: mail.htmlBody === null ? undefined : fillSecrets(mail.htmlBody, secrets),
        // Reply-To as the address option: the provider's defaultReplyTo would replace the header
        replyTo: mail.headers?.['Reply-To'],
        headers: mail.headers ?? undefined,
        messageId: mail.messageId,
        attachments: attachments.length > 0 ? attachments : undefined,
      });
      await rows.update({
        where: { id: mail.id },
        data: { deliveryStatus: 'sent', sentAt: new Date(), lockedUntil: null, lastError: null, sealedSecrets: null },
      });
      report.sent += 1;
    } catch (error) {
      // an error may quote what it was given: never the secret
      const message = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
      const giveUp = isPermanentFailure(error) || mail.attempts >= policy.maxAttempts;
      await rows.update({
        where: { id: mail.id },
        data: giveUp
          ? { deliveryStatus: 'failed', lastError: message, lockedUntil: null, sealedSecrets: null }
          : {
              deliveryStatus: 'queued',
              lastError: message,
              lockedUntil: null,
              nextAttemptAt: new Date(Date.now() + nextAttemptDelay(mail.attempts, policy)),
            },
      });
      if (giveUp) {
        report.failed += 1;
        strapi.log.warn(`[outbox] mail ${mail.messageId} to ${mail.to} failed for good: ${message}`);
      } else {
        report.retried += 1;
      }
    }
  }

  /**
   * Keeps these claims alive while they are being sent (a slow SMTP server may take longer than
   * the claim timeout); the caller stops it. A dead process stops renewing, and its claims are due
   * again within OUTBOX_CLAIM_TIMEOUT_MS.
   */
  function renewClaims(batch: ClaimedMail[]): () => void {
    const token = batch[0].claimToken;
    const ids = batch.map((mail) => mail.id);
    const timer = setInterval(() => {
      strapi.db
        .transaction(async ({ trx }) => {
          await tableIn(strapi, trx, OUTBOUND_EMAIL)
            .whereIn('id', ids)
            .andWhere({ claim_token: token, delivery_status: 'sending' })
            .update({ locked_until: new Date(Date.now() + policy.claimTimeoutMs) });
        })
        .catch((error: unknown) => strapi.log.warn(`[outbox] could not renew claims: ${error instanceof Error ? error.message : String(error)}`));
    }, Math.max(100, Math.floor(policy.claimTimeoutMs / 3)));
    timer.unref();
    return () => clearInterval(timer);
  }

  async function runUntilEmpty(): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
    do {
      again = false;
      while (!stopped) {
        const batch = await claim(policy.batchSize);
        if (batch.length === 0) break;
        const stopRenewing = renewClaims(batch);
        try {
          await Promise.all(batch.map((mail) => send(mail, report)));
        } finally {
          stopRenewing();
        }
      }
    } while (again && !stopped);
    return report;
  }

  /** Delivers every due mail; a call during a run makes that run look again instead of overlapping. */
  function deliverDue(): Promise<DeliveryReport> {
    if (!policy.deliveryEnabled || stopped) return Promise.resolve({ sent: 0, retried: 0, failed: 0 });
    if (running) {
      again = true;
      return running;
    }
    running = runUntilEmpty().finally(() => {
      running = null;
    });
    return running;
  }

  /** Starts a delivery run soon, without waiting for it (used after commits and by cron). */
  function kick(): void {
    deliverDue().catch((error: unknown) => strapi.log.error(`[outbox] delivery run failed: ${String(error)}`));
  }

  async function stop(): Promise<void> {
    stopped = true;
    await running?.catch(() => undefined);
  }

  return { enqueue, claim, deliverDue, kick, stop, isDeliveryEnabled: () => policy.deliveryEnabled };
}

export type Outbox = ReturnType<typeof createOutbox>;
