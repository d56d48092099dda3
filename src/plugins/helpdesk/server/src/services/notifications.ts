import type { Core } from '@strapi/strapi';
import { NOTIFICATION, NOTIFICATION_PREFERENCE } from '../../../shared/uids';
import type { NotificationKind, NotificationMail, NotificationsAnswer } from '../../../shared/contract';
import { agentForAdmin } from '../access/staff-identity';
import { mailPreference, notify } from '../notifications/notify';
import { warnOfDueTargets } from '../notifications/sla-warnings';

/** How many notifications the bell lists. */
const SHOWN = 30;

interface NotificationRow {
  id: number;
  kind: NotificationKind;
  text: string;
  ticketDocumentId: string;
  ticketNumber: string | null;
  createdAt: string | Date;
  readAt: string | Date | null;
}

/** Which of an agent's notifications a "read" marks: some by id, those of one ticket, or all. */
export type ReadSelection = { ids: number[] } | { ticket: string } | { all: true };

/** The panel's notifications (the bell) and the machine that makes them (notifications/). */
const notifications = ({ strapi }: { strapi: Core.Strapi }) => ({
  notify: (event: Parameters<typeof notify>[1]) => notify(strapi, event),
  warnOfDueTargets: (now?: Date) => warnOfDueTargets(strapi, now),

  /** The newest notifications of the admin's agent account, the unread count and the mail preference. */
  async list(admin: { email?: string | null }): Promise<NotificationsAnswer> {
    const agent = await agentForAdmin(strapi, admin);
    if (!agent) return { data: [], meta: { unread: 0, mail: 'digest', isAgent: false } };
    const [rows, unread, mail] = await Promise.all([
      strapi.db.query(NOTIFICATION).findMany({
        where: { recipientId: agent.id },
        select: ['id', 'kind', 'text', 'ticketDocumentId', 'ticketNumber', 'createdAt', 'readAt'],
        orderBy: { id: 'desc' },
        limit: SHOWN,
      }) as Promise<NotificationRow[]>,
      strapi.db.query(NOTIFICATION).count({ where: { recipientId: agent.id, readAt: { $null: true } } }),
      mailPreference(strapi, agent.id),
    ]);
    return {
      data: rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        text: row.text,
        ticket: { documentId: row.ticketDocumentId, ticketNumber: row.ticketNumber },
        createdAt: new Date(row.createdAt).toISOString(),
        read: row.readAt !== null,
      })),
      meta: { unread: Number(unread), mail, isAgent: true },
    };
  },

  /** Marks the admin's own notifications read (never another agent's); returns how many changed. */
  async markRead(admin: { email?: string | null }, selection: ReadSelection): Promise<number> {
    const agent = await agentForAdmin(strapi, admin);
    if (!agent) return 0;
    const which = 'ids' in selection ? { id: { $in: selection.ids } } : 'ticket' in selection ? { ticketDocumentId: selection.ticket } : {};
    const { count } = await strapi.db.query(NOTIFICATION).updateMany({
      where: { recipientId: agent.id, readAt: { $null: true }, ...which },
      data: { readAt: new Date() },
    });
    return count;
  },

  /** The admin's mail preference, saved (null: the admin has no agent account). */
  async setMail(admin: { email?: string | null }, mail: NotificationMail): Promise<NotificationMail | null> {
    const agent = await agentForAdmin(strapi, admin);
    if (!agent) return null;
    const existing = (await strapi.db.query(NOTIFICATION_PREFERENCE).findOne({ where: { agentId: agent.id }, select: ['id'] })) as { id: number } | null;
    if (existing) await strapi.db.query(NOTIFICATION_PREFERENCE).update({ where: { id: existing.id }, data: { mail } });
    else await strapi.db.query(NOTIFICATION_PREFERENCE).create({ data: { agentId: agent.id, mail } });
    return mail;
  },
});

export type NotificationsService = ReturnType<typeof notifications>;
export default notifications;
