import type { Core } from '@strapi/strapi';
import { ATTACHMENT, COMMENT, TICKET } from '../../../shared/uids';
import type { LiveChange } from '../../../shared/contract';
import { getService } from '../get-service';
import { currentActor, currentAdmin, type Actor } from '../audit/actor';
import type { DocumentCall, StoredEntry } from './types';

/** The types whose changes a ticket's live views show: the ticket and what hangs on it. */
const ON_TICKET = new Set<string>([COMMENT, ATTACHMENT]);
const CHANGES = new Set(['create', 'update', 'delete']);

export const isLiveChange = (call: DocumentCall): boolean => (call.uid === TICKET || ON_TICKET.has(call.uid)) && CHANGES.has(call.action);

/** Who made a change, as the live views compare it: the admin in the panel by admin id. */
function actorKey(strapi: Core.Strapi, actor: Actor): string {
  if (actor.surface === 'admin' || actor.type === 'admin') {
    const admin = currentAdmin(strapi);
    if (admin) return `admin:${admin.id}`;
  }
  if (actor.type === 'agent' && actor.userId !== undefined) return `agent:${actor.userId}`;
  return actor.type;
}

// the documentIds of tickets looked up in each open transaction (a mail with 200 files: one lookup)
const ticketIdsIn = new WeakMap<object, Map<number, string | null>>();

/** A ticket's documentId by its id, looked up once per transaction. */
async function ticketDocumentId(strapi: Core.Strapi, id: number): Promise<string | null> {
  return strapi.db.transaction(async ({ trx }) => {
    const known = ticketIdsIn.get(trx) ?? new Map<number, string | null>();
    ticketIdsIn.set(trx, known);
    if (!known.has(id)) {
      const row = (await strapi.db.query(TICKET).findOne({ where: { id }, select: ['documentId'] })) as { documentId: string } | null;
      known.set(id, row?.documentId ?? null);
    }
    return known.get(id) ?? null;
  });
}

/** The ticket a comment or file is on (by its id or documentId), or null. */
async function ticketOf(strapi: Core.Strapi, uid: string, where: { id: number } | { documentId: string }): Promise<string | null> {
  const row = (await strapi.db.query(uid as typeof COMMENT).findOne({ where, select: ['id'], populate: { ticket: { select: ['documentId'] } } })) as {
    ticket?: { documentId: string } | null;
  } | null;
  return row?.ticket?.documentId ?? null;
}

/**
 * Runs a change to a ticket, a comment or a file, then announces it to the live views in the same
 * transaction (sent when it commits, not at all when it rolls back): every origin, once per change.
 */
export async function withLiveAnnouncement(strapi: Core.Strapi, call: DocumentCall, run: () => Promise<unknown>): Promise<unknown> {
  return strapi.db.transaction(async () => {
    const documentId = call.params.documentId;
    // a comment or file being changed or removed: its ticket, while it still has one
    const before = ON_TICKET.has(call.uid) && documentId ? await ticketOf(strapi, call.uid, { documentId }) : null;
    const result = await run();
    const stored = result as StoredEntry | null;
    let change: Omit<LiveChange, 'at' | 'by'> | null = null;
    if (call.uid === TICKET) {
      const ticket = call.action === 'create' ? stored?.documentId : documentId;
      if (ticket) change = { ticket, kind: call.action === 'create' ? 'created' : call.action === 'delete' ? 'deleted' : 'updated' };
    } else {
      // created on a ticket given by id (server code, mail) or otherwise (REST: by documentId, connect)
      const byId = call.params.data?.ticket;
      const ticket =
        before ??
        (call.action !== 'create' ? null : typeof byId === 'number' ? await ticketDocumentId(strapi, byId) : stored?.id ? await ticketOf(strapi, call.uid, { id: Number(stored.id) }) : null);
      if (ticket) change = { ticket, kind: 'updated' };
    }
    if (change) await getService(strapi, 'live').announce({ ...change, by: actorKey(strapi, currentActor(strapi)) });
    return result;
  });
}
