import type { Core } from '@strapi/strapi';
import { TICKET } from '../../../shared/uids';
import { getService } from '../get-service';
import { notify } from './notify';

/** Tickets past these are not worked any more: their targets are not warned of. */
const FINISHED = ['resolved', 'closed'];
/** At most this many warnings per target and run; the next run takes the rest. */
const BATCH = 200;

interface DueTicket {
  id: number;
  firstResponseDueAt?: string | Date | null;
  dueDate?: string | Date | null;
}

const minutesUntil = (due: Date, now: Date): number => Math.max(1, Math.round((due.getTime() - now.getTime()) / 60_000));

/**
 * Warns the assignee (the team address when unassigned) of each SLA target that passes within the
 * lead time set in Helpdesk settings: the first reply of a ticket not yet answered, the resolution
 * of one not yet resolved. Once per ticket, target and due time, whatever instance runs it and how
 * often (a moved due date is warned of again). Returns how many were told.
 */
export async function warnOfDueTargets(strapi: Core.Strapi, now = new Date()): Promise<number> {
  const { slaWarningMinutes } = await getService(strapi, 'settings').current();
  if (!(slaWarningMinutes > 0)) return 0;
  const horizon = new Date(now.getTime() + slaWarningMinutes * 60_000);
  const open = { ticketStatus: { $notIn: FINISHED } };
  const firstReplies = (await strapi.db.query(TICKET).findMany({
    where: { ...open, firstResponseAt: { $null: true }, firstResponseDueAt: { $gt: now, $lte: horizon } },
    select: ['id', 'firstResponseDueAt'],
    orderBy: { firstResponseDueAt: 'asc' },
    limit: BATCH,
  })) as DueTicket[];
  const resolutions = (await strapi.db.query(TICKET).findMany({
    where: { ...open, dueDate: { $gt: now, $lte: horizon } },
    select: ['id', 'dueDate'],
    orderBy: { dueDate: 'asc' },
    limit: BATCH,
  })) as DueTicket[];

  let told = 0;
  for (const ticket of firstReplies) {
    const due = new Date(ticket.firstResponseDueAt as string);
    const text = `First reply due in ${minutesUntil(due, now)} min (${due.toISOString().slice(11, 16)} UTC)`;
    told += await notify(strapi, { kind: 'sla_warning', ticketId: ticket.id, text, source: `sla:first_response:${ticket.id}:${due.toISOString()}` });
  }
  for (const ticket of resolutions) {
    const due = new Date(ticket.dueDate as string);
    const text = `Resolution due in ${minutesUntil(due, now)} min (${due.toISOString().slice(11, 16)} UTC)`;
    told += await notify(strapi, { kind: 'sla_warning', ticketId: ticket.id, text, source: `sla:resolution:${ticket.id}:${due.toISOString()}` });
  }
  return told;
}
