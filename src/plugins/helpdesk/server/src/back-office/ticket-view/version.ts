import type { Core } from '@strapi/strapi';
import { TICKET, TICKET_HISTORY } from '../../../../shared/uids';
import type { StaleTicketDetails } from '../../../../shared/contract';
import { isPostgres, tableIn } from '../../db/table';
import { historySentence, type HistoryFacts } from './words';

/** A ticket's version: its newest history row (every tracked change writes one), "0" before any. */
export async function ticketVersion(strapi: Core.Strapi, ticketId: number): Promise<string> {
  const newest = (await strapi.db.query(TICKET_HISTORY).findOne({ where: { ticket: { id: ticketId } }, select: ['id'], orderBy: { id: 'desc' } })) as { id: number } | null;
  return String(newest?.id ?? 0);
}

/** "just now", "2 minutes ago", "3 hours ago", "2 days ago". */
export function ago(instant: Date, now = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - instant.getTime()) / 1000));
  if (seconds < 45) return 'just now';
  const [value, unit] = seconds < 3600 ? [Math.round(seconds / 60), 'minute'] : seconds < 86_400 ? [Math.round(seconds / 3600), 'hour'] : [Math.round(seconds / 86_400), 'day'];
  return `${value} ${unit}${value === 1 ? '' : 's'} ago`;
}

export interface StaleWrite {
  message: string;
  details: StaleTicketDetails;
}

/**
 * Whether the ticket changed since `version` (what the writer's view was read at): the words of
 * the newest change, or null. In the caller's transaction; on PostgreSQL the ticket row is locked
 * first, so a colleague's write cannot slip in between this check and the write that follows.
 */
export async function changedSince(strapi: Core.Strapi, documentId: string, version: string): Promise<StaleWrite | null> {
  return strapi.db.transaction(async ({ trx }) => {
    const tickets = tableIn(strapi, trx, TICKET).where({ document_id: documentId }).select('id').first();
    const ticket = (await (isPostgres(strapi) ? tickets.forUpdate() : tickets)) as { id: number } | undefined;
    if (!ticket) return null;
    const since = Number(version);
    const where = { ticket: { id: ticket.id }, ...(Number.isSafeInteger(since) ? { id: { $gt: since } } : {}) };
    const changes = await strapi.db.query(TICKET_HISTORY).count({ where });
    if (changes === 0) return null;
    const newest = (await strapi.db.query(TICKET_HISTORY).findOne({
      where,
      select: ['id', 'action', 'oldValue', 'newValue', 'actorType', 'actorName', 'timestamp'],
      orderBy: { id: 'desc' },
    })) as (HistoryFacts & { id: number; timestamp: string | Date | null }) | null;
    if (!newest) return null;
    const latest = historySentence(newest);
    const when = newest.timestamp ? ` ${ago(new Date(newest.timestamp))}` : '';
    const others = changes > 1 ? ` (and ${changes - 1} more change${changes > 2 ? 's' : ''})` : '';
    return {
      message: `${latest}${when}${others}, after you opened this ticket. Nothing was saved: look at the ticket as it is now, then try again.`,
      details: { reason: 'stale' as const, version: String(newest.id), latest, changes },
    };
  });
}
