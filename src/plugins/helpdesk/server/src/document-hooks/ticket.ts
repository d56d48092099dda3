import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { fieldValidationError } from '../validation/parse';
import { resolveActor, type Actor } from '../audit/actor';
import { COMMENT_DETACH_REFUSED, HISTORY_DETACH_REFUSED, mayRewriteRecord, refused } from './record-protection';
import { currentChangeNote } from '../audit/change-note';
import { COMMENT, TICKET, TICKET_HISTORY } from '../../../shared/uids';
import { isPostgres, tableIn } from '../db/table';
import {
  canMove,
  diffTrackedFields,
  isTicketStatus,
  normalizeEmail,
  sourceForActor,
  statusTimestamps,
  type HistoryChange,
  type TrackedValues,
} from '../domain/ticket-rules';
import { slaDueDates } from '../domain/sla';
import { priorityRank } from '../domain/priority-rank';
import { normalizeTags } from '../../../shared/tags';
import { ccText, checkCcList, ccList } from '../domain/cc-list';
import { ownAddresses } from '../mail-ingestion/sender';
import { isActiveAgent } from '../access/roles';
import { CREATE_ONLY_TICKET_FIELDS, SERVER_STAMPED_TICKET_FIELDS } from '../domain/server-owned';
import { queueTicketCreatedMails, queueTicketUpdatedMails, type TicketForMail } from '../mail/ticket-mail';
import { statusGoesWithReply } from '../mail/reply-scope';
import type { DocumentCall, DocumentHook, Next, StoredEntry } from './types';
import { getService } from '../get-service';
import { changeSource, inRequesterReply, isReopening, notify } from '../notifications/notify';

export interface TicketRow extends TicketForMail {
  category: string;
  dueDate: string | Date | null;
  dueDateManual: boolean | null;
  resolvedAt: string | Date | null;
  createdAt: string | Date;
  isGuest: boolean;
  source: string;
  assignee: { id: number; username: string; email: string; blocked?: boolean | null; role?: { type: string } | null } | null;
  tags: unknown;
}

/** Loads what the hooks compare before and after a change. Given the transaction, it locks the
 * row on PostgreSQL first, so that concurrent updates of one ticket are diffed one after the other. */
async function loadTicket(strapi: Core.Strapi, where: { documentId: string } | { id: number }, lockIn?: Knex.Transaction) {
  if (lockIn && isPostgres(strapi)) {
    const column = 'documentId' in where ? 'document_id' : 'id';
    const value = 'documentId' in where ? where.documentId : where.id;
    await tableIn(strapi, lockIn, TICKET).where(column, value).forUpdate().select('id');
  }
  return (await strapi.db.query(TICKET).findOne({
    where,
    populate: { assignee: { select: ['id', 'username', 'email', 'blocked'], populate: { role: { select: ['type'] } } } },
  })) as TicketRow | null;
}

const isoOrNull = (value: unknown): string | null =>
  value === null || value === undefined || value === '' ? null : new Date(value as string).toISOString();

/** Tags as history shows them: "billing, vip" (null when there are none). */
const tagsText = (tags: unknown): string | null =>
  Array.isArray(tags) && tags.length > 0 ? tags.map(String).join(', ') : null;

function trackedValues(ticket: TicketRow): TrackedValues {
  return {
    ticketStatus: ticket.ticketStatus,
    priority: ticket.priority,
    category: ticket.category,
    dueDate: isoOrNull(ticket.dueDate),
    assignee: ticket.assignee ? ticket.assignee.username : null,
    tags: tagsText(ticket.tags),
    ccAddresses: ccText(ticket.ccAddresses),
  };
}

/** A newly set assignee must be an active agent (a ticket kept by an agent blocked since stays editable). */
function assertAssigneeIsAgent(ticket: TicketRow, before: TicketRow | null = null): void {
  if (!ticket.assignee || ticket.assignee.id === before?.assignee?.id) return;
  if (!isActiveAgent(ticket.assignee)) throw fieldValidationError('assignee', 'assignee must be an active user with the Agent role');
}

/** Server-owned values of a new ticket, from who is creating it. */
function applyCreateDefaults(data: Record<string, unknown>, actor: Actor): void {
  data.source = sourceForActor(actor, data.source);
  if (actor.type !== 'system' && actor.type !== 'requester') data.isGuest = false;
  if (actor.userId !== undefined) data.submittedBy = actor.userId;
  if (typeof data.email === 'string' && data.email.trim()) data.email = normalizeEmail(data.email);
  delete data.ticketNumber;
}

/** Due dates from the SLA policy, unless staff gave a due date themselves. */
async function applySlaOnCreate(strapi: Core.Strapi, data: Record<string, unknown>, now: Date): Promise<void> {
  const { slaPolicy } = await getService(strapi, 'settings').current();
  const due = slaDueDates(String(data.priority ?? 'medium'), now, slaPolicy);
  data.dueDateManual = data.dueDate != null;
  data.firstResponseDueAt = due?.firstResponseDueAt ?? null;
  if (data.dueDate == null) data.dueDate = due?.dueDate ?? null;
}

async function createTicket(strapi: Core.Strapi, call: DocumentCall, next: Next) {
  const actor = await resolveActor(strapi);
  const data: Record<string, unknown> = { ...(call.params.data ?? {}) };
  if (actor.type !== 'system') takeStampsFromServer(data, null);
  assertNotEmptied(data);
  applyTagRule(data);
  applyCreateDefaults(data, actor);
  await applyCcRule(strapi, data, null);

  return strapi.db.transaction(async () => {
    // in the ticket's transaction: a failed create leaves no contact behind
    if (typeof data.email === 'string' && data.email && data.contact == null) {
      const contact = await getService(strapi, 'contact').findOrCreateByEmail({
        email: data.email,
        firstName: data.firstName as string | undefined,
        lastName: data.lastName as string | undefined,
        phone: data.phone as string | undefined,
        company: data.company as string | undefined,
        branch: data.branch as string | undefined,
      });
      // by id: Strapi would otherwise look the documentId up again, and the default locale with it
      data.contact = contact.id;
    }
    const now = new Date();
    data.ticketNumber = await getService(strapi, 'ticketNumber').next(now);
    Object.assign(data, statusTimestamps(String(data.ticketStatus ?? 'new'), {}, now));
    await applySlaOnCreate(strapi, data, now);
    // inbox sorting: severity order and last activity are the server's (an unknown priority is left to enum validation)
    data.priorityRank = priorityRank(data.priority);
    data.lastActivityAt = now;
    call.params.data = data;

    const created = (await next()) as StoredEntry;
    // Strapi returns the stored row: read it again only to see the assignee it was linked to
    const ticket = data.assignee == null ? ({ ...created, assignee: null } as unknown as TicketRow) : await loadTicket(strapi, { id: created.id });
    if (!ticket) return created;
    const changes: HistoryChange[] = [{ action: 'created', newValue: String(data.ticketNumber) }];
    if (ticket.assignee) {
      assertAssigneeIsAgent(ticket);
      changes.push({ action: 'assigned', fieldName: 'assignee', oldValue: null, newValue: trackedValues(ticket).assignee });
    }
    await getService(strapi, 'history').record({ id: created.id, ticketNumber: String(data.ticketNumber) }, actor, changes);
    await queueTicketCreatedMails(strapi, ticket);
    return created;
  });
}

const isBlank = (value: unknown): boolean => value === null || value === undefined || value === '';

/** Whether a value sent for a stamped field is the stored one (dates compared as instants). */
const sameStamp = (sent: unknown, stored: unknown): boolean => {
  if (isBlank(sent) || isBlank(stored)) return isBlank(sent) && isBlank(stored);
  if (typeof stored === 'boolean' || typeof stored === 'number') return sent === stored;
  return new Date(sent as string).getTime() === new Date(stored as string).getTime();
};

/**
 * A request (REST, Content Manager, Helpdesk pages, mail ingestion) never sets what the server
 * stamps: a change is refused with a 400 naming the field; the stored value sent back unchanged
 * (the Content Manager's form sends every field) is dropped, and the rules below stamp them.
 */
function takeStampsFromServer(data: Record<string, unknown>, stored: Record<string, unknown> | null): void {
  for (const field of SERVER_STAMPED_TICKET_FIELDS) {
    if (!(field in data)) continue;
    if (!sameStamp(data[field], stored ? stored[field] : null)) {
      throw fieldValidationError(field, `${field} is set by the server and cannot be changed`);
    }
    delete data[field];
  }
}

/** Fields with a default that may never be emptied (the schema leaves them optional so creates can omit them). */
const NEVER_EMPTY_FIELDS = ['ticketStatus', 'priority', 'category', 'source', 'isGuest'] as const;

function assertNotEmptied(data: Record<string, unknown>): void {
  for (const field of NEVER_EMPTY_FIELDS) {
    if (field in data && (data[field] === null || data[field] === '')) throw fieldValidationError(field, `${field} cannot be empty`);
  }
}

/** Tags from any origin (a Content Manager JSON edit, server code) follow the one tag rule. */
function applyTagRule(data: Record<string, unknown>): void {
  if (!('tags' in data)) return;
  const checked = normalizeTags(data.tags);
  if (!checked.ok) throw fieldValidationError('tags', checked.error);
  data.tags = checked.tags;
}

/**
 * The Cc rule for every origin (see cc-list.ts); a new requester address leaves the Cc list too.
 * `stored` is the ticket before the change, null on create.
 */
async function applyCcRule(strapi: Core.Strapi, data: Record<string, unknown>, stored: TicketRow | null): Promise<void> {
  const requester = typeof data.email === 'string' ? data.email : stored?.email;
  if ('ccAddresses' in data) {
    const checked = checkCcList(data.ccAddresses, requester, await ownAddresses(strapi));
    if (!checked.ok) throw fieldValidationError('ccAddresses', checked.error);
    data.ccAddresses = checked.addresses;
  } else if (stored && typeof data.email === 'string' && ccList(stored.ccAddresses).includes(requester ?? '')) {
    data.ccAddresses = ccList(stored.ccAddresses).filter((address) => address !== requester);
  }
}

/** The transition table guards every origin; an unknown value is left to Strapi's enum validation. */
function assertTransition(before: TicketRow, requested: unknown): void {
  if (!isTicketStatus(requested) || !isTicketStatus(before.ticketStatus)) return;
  if (!canMove(before.ticketStatus, requested)) {
    throw fieldValidationError('ticketStatus', `a ticket cannot move from ${before.ticketStatus} to ${requested}`);
  }
}

/** A due date set by hand stays; otherwise a priority change moves the due dates to the new target. */
async function applySlaOnUpdate(strapi: Core.Strapi, data: Record<string, unknown>, before: TicketRow): Promise<void> {
  if ('dueDate' in data && isoOrNull(data.dueDate) !== isoOrNull(before.dueDate)) {
    data.dueDateManual = true;
    return;
  }
  if (typeof data.priority !== 'string' || data.priority === before.priority) return;
  const { slaPolicy } = await getService(strapi, 'settings').current();
  const due = slaDueDates(data.priority, new Date(before.createdAt), slaPolicy);
  if (!due) return;
  data.firstResponseDueAt = due.firstResponseDueAt;
  if (!before.dueDateManual) data.dueDate = due.dueDate;
}

async function updateTicket(strapi: Core.Strapi, call: DocumentCall, next: Next) {
  const documentId = call.params.documentId;
  if (!documentId) return next();
  const actor = await resolveActor(strapi);

  return strapi.db.transaction(async ({ trx }) => {
    const before = await loadTicket(strapi, { documentId }, trx);
    if (!before) return next();
    const linksBefore = await recordLinks(strapi, call, before.id);

    const data: Record<string, unknown> = { ...(call.params.data ?? {}) };
    // Numbering, origin and submitter are fixed at creation; the admin form sends them back unchanged.
    if (actor.type !== 'system') {
      for (const field of CREATE_ONLY_TICKET_FIELDS) delete data[field];
      takeStampsFromServer(data, before as unknown as Record<string, unknown>);
    }
    delete data.priorityRank;
    if ('priority' in data) data.priorityRank = priorityRank(data.priority);
    data.lastActivityAt = new Date();
    assertNotEmptied(data);
    applyTagRule(data);
    if (typeof data.ticketStatus === 'string' && data.ticketStatus !== before.ticketStatus) {
      assertTransition(before, data.ticketStatus);
      Object.assign(data, statusTimestamps(data.ticketStatus, before, new Date()));
    }
    await applySlaOnUpdate(strapi, data, before);
    if (typeof data.email === 'string' && data.email.trim()) data.email = normalizeEmail(data.email);
    await applyCcRule(strapi, data, before);
    call.params.data = data;

    const result = await next();
    if (linksBefore) await assertRecordKept(strapi, before.id, linksBefore, actor);
    const after = await loadTicket(strapi, { id: before.id });
    if (after) {
      assertAssigneeIsAgent(after, before);
      const note = currentChangeNote() ?? null;
      const changes = diffTrackedFields(trackedValues(before), trackedValues(after)).map((change) =>
        change.action === 'status_changed' ? { ...change, note } : change
      );
      await getService(strapi, 'history').record(before, actor, changes);
      // a move made with a public reply is told in that reply's one mail
      const statusInReply = before.ticketStatus !== after.ticketStatus && statusGoesWithReply(before.id, before.ticketStatus, after.ticketStatus, note);
      await queueTicketUpdatedMails(strapi, before, after, note, statusInReply);
      // a requester's reply that reopens tells of both in its own notification
      if (isReopening(before.ticketStatus, after.ticketStatus) && !inRequesterReply()) {
        await notify(strapi, { kind: 'reopened', ticketId: after.id, text: `${actor.name} reopened the ticket`, source: changeSource('reopened', after.id) });
      }
    }
    return result;
  });
}

interface RecordLinks {
  comments: Map<number, { documentId: string; body: string }>;
  history: Set<number>;
}

/** The comments and history rows of a ticket, read before an update that names either relation. */
async function recordLinks(strapi: Core.Strapi, call: DocumentCall, ticketId: number): Promise<RecordLinks | null> {
  const data = call.params.data ?? {};
  if (!('comments' in data) && !('history' in data)) return null;
  const comments = (await strapi.db.query(COMMENT).findMany({
    where: { ticket: { id: ticketId } },
    select: ['id', 'documentId', 'body'],
  })) as Array<{ id: number; documentId: string; body: string }>;
  const history = (await strapi.db.query(TICKET_HISTORY).findMany({ where: { ticket: { id: ticketId } }, select: ['id'] })) as Array<{ id: number }>;
  return {
    comments: new Map(comments.map((comment) => [comment.id, { documentId: comment.documentId, body: comment.body }])),
    history: new Set(history.map((row) => row.id)),
  };
}

/**
 * After the update, inside its transaction: a comment or history row the update took off the
 * ticket (a Content Manager save disconnecting it, a `set`) rolls the whole update back, unless a
 * super admin (or server code) detached a comment: then it is recorded in the ticket's history.
 */
async function assertRecordKept(strapi: Core.Strapi, ticketId: number, before: RecordLinks, actor: Actor): Promise<void> {
  const comments = (await strapi.db.query(COMMENT).findMany({ where: { ticket: { id: ticketId } }, select: ['id'] })) as Array<{ id: number }>;
  const history = (await strapi.db.query(TICKET_HISTORY).findMany({ where: { ticket: { id: ticketId } }, select: ['id'] })) as Array<{ id: number }>;
  const historyNow = new Set(history.map((row) => row.id));
  if ([...before.history].some((id) => !historyNow.has(id))) throw refused(HISTORY_DETACH_REFUSED);
  const commentsNow = new Set(comments.map((comment) => comment.id));
  const detached = [...before.comments].filter(([id]) => !commentsNow.has(id)).map(([, comment]) => comment);
  if (detached.length === 0) return;
  if (!mayRewriteRecord(strapi)) throw refused(COMMENT_DETACH_REFUSED);
  await getService(strapi, 'history').record(
    ticketId,
    actor,
    detached.map((comment) => ({
      action: 'comment_detached' as const,
      fieldName: 'comments',
      oldValue: `#${comment.documentId}`,
      newValue: null,
      note: comment.body.length > 2000 ? `${comment.body.slice(0, 1999)}\u2026` : comment.body,
    }))
  );
}

/**
 * A `deleted` row, written before the ticket goes and in the delete's transaction. The ticket's
 * rows lose their relation with it but keep `ticketNumber`, so they still say which ticket it was.
 */
async function deleteTicket(strapi: Core.Strapi, call: DocumentCall, next: Next) {
  const documentId = call.params.documentId;
  if (!documentId) return next();
  return strapi.db.transaction(async ({ trx }) => {
    const ticket = await loadTicket(strapi, { documentId }, trx);
    if (ticket) {
      await getService(strapi, 'history').record(ticket, await resolveActor(strapi), [
        { action: 'deleted', oldValue: ticket.ticketStatus, newValue: null, note: ticket.subject ?? null },
      ]);
    }
    return next();
  });
}

export const ticketHook: DocumentHook = (strapi, call, next) => {
  if (call.action === 'create') return createTicket(strapi, call, next);
  if (call.action === 'update') return updateTicket(strapi, call, next);
  if (call.action === 'delete') return deleteTicket(strapi, call, next);
  return next();
};
