import type { Core } from '@strapi/strapi';
import { INBOUND_EMAIL } from '../../../../shared/uids';
import { describeHolder } from '../../db/lease';
import { readMailCheck } from '../../mail-ingestion/health';
import { checkMailbox } from '../../mail-ingestion/scheduled';
import type { MailCheckResult, MailHealthView } from '../../../../shared/contract';
import { emailToTicketState, ingestionHolder } from './service';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every outcome an inbound record may have, in the schema's order. */
function inboundOutcomes(strapi: Core.Strapi): string[] {
  const attribute = strapi.contentType(INBOUND_EMAIL).attributes.outcome as { enum?: string[] };
  return attribute.enum ?? [];
}

/** The health panel's data: settings, the recorded last success and error, the lease's holder, the last day's mail. */
export async function mailHealthView(strapi: Core.Strapi, now = new Date()): Promise<MailHealthView> {
  const { state } = emailToTicketState();
  const since = new Date(now.getTime() - DAY_MS);
  const [record, holder, outcomes] = await Promise.all([
    readMailCheck(strapi),
    ingestionHolder(strapi),
    Promise.all(
      inboundOutcomes(strapi).map(async (outcome) => ({
        outcome,
        count: await strapi.db.query(INBOUND_EMAIL).count({ where: { outcome, createdAt: { $gte: since } } }),
      }))
    ),
  ]);
  return {
    ...state,
    lastSuccess: record.lastSuccessAt ? { at: record.lastSuccessAt.toISOString(), mails: record.lastSuccessMails ?? 0 } : null,
    lastError: record.lastErrorAt ? { at: record.lastErrorAt.toISOString(), message: record.lastError ?? '' } : null,
    holder,
    lastDay: { since: since.toISOString(), total: outcomes.reduce((sum, entry) => sum + entry.count, 0), outcomes },
  };
}

/** Why "Check now" did not check: the route answers 409 with these words. */
export interface CheckRefusal {
  reason: 'off' | 'running' | 'locked';
  message: string;
  details: Record<string, unknown>;
}

/**
 * "Check now": one check of the mailbox through the cron task's own code and lease. A check already
 * running in this process, or another instance holding the lease, is a refusal, not a second run.
 */
export async function checkMailboxNow(strapi: Core.Strapi): Promise<MailCheckResult | CheckRefusal> {
  const outcome = await checkMailbox(strapi);
  switch (outcome.status) {
    case 'off': {
      const { problems } = emailToTicketState().state;
      const why = problems.length > 0 ? problems.join('; ') : 'EMAIL_TO_TICKET_ENABLED is not true';
      return { reason: 'off', message: `Email to ticket is off: ${why}`, details: { problems } };
    }
    case 'running':
      return {
        reason: 'running',
        message: `A check of the mailbox is already running on this server (since ${outcome.since.toISOString()})`,
        details: { since: outcome.since.toISOString() },
      };
    case 'locked':
      return {
        reason: 'locked',
        message: `Another instance is reading the mailbox: ${describeHolder(outcome.holder)}`,
        details: { holder: outcome.holder && { host: outcome.holder.host, pid: outcome.holder.pid, expiresAt: outcome.holder.expiresAt.toISOString() } },
      };
    case 'done':
      return { ok: true, mails: outcome.report.fetched, error: null, health: await mailHealthView(strapi) };
    case 'failed':
      return { ok: false, mails: 0, error: outcome.error, health: await mailHealthView(strapi) };
  }
}
