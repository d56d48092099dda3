import { factories } from '@strapi/strapi';
import type { Core } from '@strapi/strapi';
import { TICKET_HISTORY } from '../../../uids';
import type { Actor } from '../../../audit/actor';
import type { HistoryChange } from '../../ticket/domain/ticket-rules';

/** Writes history rows. They go through the query engine, not the Document Service, because
 * the Document Service refuses history writes from everyone (see document-hooks/read-only). */
export const historyActions = (strapi: Core.Strapi) => ({
  async record(ticketId: number, actor: Actor, changes: HistoryChange[]): Promise<void> {
    const timestamp = new Date();
    for (const change of changes) {
      await strapi.db.query(TICKET_HISTORY).create({
        data: {
          ticket: ticketId,
          action: change.action,
          fieldName: change.fieldName ?? null,
          oldValue: change.oldValue ?? null,
          newValue: change.newValue ?? null,
          note: change.note ?? null,
          actorType: actor.type,
          actorId: actor.id,
          actorName: actor.name,
          timestamp,
        },
      });
    }
  },
});

export type HistoryService = ReturnType<typeof historyActions>;

export default factories.createCoreService(TICKET_HISTORY, ({ strapi }) => historyActions(strapi));
