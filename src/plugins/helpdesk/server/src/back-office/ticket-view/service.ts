import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ATTACHMENT, COMMENT, INBOUND_EMAIL, TICKET, TICKET_HISTORY } from '../../../../shared/uids';
import { agentForAdmin } from '../../access/staff-identity';
import type { AttachmentRecord } from '../../services/attachment-upload';
import type { MultipartFile } from '../../domain/multipart-files';
import { DONE_STATUSES, TRANSITIONS, isTicketStatus } from '../../domain/ticket-rules';
import { fieldValidationError } from '../../validation/parse';
import { ccList } from '../../domain/cc-list';
import type { AdminUser } from '../admin-route';
import { historySentence } from './words';
import { ticketVersion } from './version';
import type { AssignInput, FieldsInput, NewTicketInput, ReplyInput, StatusInput } from './validators';
import type { MessageKind, TicketViewData, TimelineAttachment, TimelineItem } from '../../../../shared/contract';
import { getService } from '../../get-service';

/** How many of the requester's other tickets the side panel lists. */
export const OTHER_TICKETS = 10;

/** History the timeline shows in another form: the opening message, the comment, the file inline. */
const SHOWN_ELSEWHERE = new Set(['created', 'commented', 'attachment_added']);

interface TicketRow {
  id: number;
  documentId: string;
  ticketNumber: string;
  subject: string;
  description: string | null;
  ticketStatus: string;
  priority: string;
  category: string;
  source: string;
  dueDate: string | Date | null;
  tags: unknown;
  ccAddresses: unknown;
  createdAt: string | Date;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  assignee: { id: number; documentId: string; username: string } | null;
  contact: { id: number; firstName: string | null; lastName: string | null; email: string; phone: string | null; company: string | null } | null;
}

interface CommentRow {
  id: number;
  documentId: string;
  body: string;
  isInternal: boolean | null;
  authorType: string;
  authorName: string | null;
  createdAt: string | Date;
}

interface AttachmentRow {
  id: number;
  documentId: string;
  uploadedByType: string | null;
  uploadedByName: string | null;
  createdAt: string | Date;
  comment: { id: number } | null;
}

/**
 * A file of the mail that opened the ticket: ingestion stores those on the ticket alone (there is
 * no comment), as the system. Files staff or requesters add to the ticket name their uploader.
 */
const fromOpeningMail = (ticket: TicketRow, file: AttachmentRow): boolean => ticket.source === 'email' && file.uploadedByType === 'system';

/** The mail a ticket or comment came from, as ingestion recorded it (sanitised HTML). */
interface InboundRow {
  htmlBody: string | null;
  outcome: string;
  comment: { id: number } | null;
}

interface HistoryRow {
  id: number;
  action: string;
  oldValue: string | null;
  newValue: string | null;
  note: string | null;
  actorType: string | null;
  actorName: string | null;
  timestamp: string | Date | null;
  createdAt: string | Date;
}

const iso = (value: string | Date): string => new Date(value).toISOString();
const fullName = (first: string | null | undefined, last: string | null | undefined) => [first, last].filter(Boolean).join(' ');

const kindOf = (comment: CommentRow): MessageKind => {
  if (comment.isInternal) return 'internal_note';
  return comment.authorType === 'requester' ? 'customer' : 'public_reply';
};

const asTags = (value: unknown): string[] => (Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === 'string') : []);

const toAttachment = (record: AttachmentRecord): TimelineAttachment => ({
  id: record.id,
  name: record.filename ?? record.documentId,
  size: record.size,
  mime: record.mimeType,
  url: record.url,
});

/** Items in time order; at the same instant, in the order given (a reply before the status it set). */
export function inTimeOrder(items: TimelineItem[]): TimelineItem[] {
  return items
    .map((item, index) => ({ item, index, time: new Date(item.at).getTime() }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map(({ item }) => item);
}

export const ticketViewService = (strapi: Core.Strapi) => {
  const workflow = () => getService(strapi, 'ticketWorkflow');
  const attachments = () => getService(strapi, 'attachmentUpload');

  async function findTicket(documentId: string): Promise<TicketRow> {
    const ticket = (await strapi.db.query(TICKET).findOne({
      where: { documentId },
      populate: {
        assignee: { select: ['id', 'documentId', 'username'] },
        contact: { select: ['id', 'firstName', 'lastName', 'email', 'phone', 'company'] },
      },
    })) as TicketRow | null;
    if (!ticket) throw new errors.NotFoundError('Ticket not found');
    return ticket;
  }

  async function otherTickets(ticket: TicketRow): Promise<TicketViewData['requester']['otherTickets']> {
    const person = ticket.contact ? { contact: { id: ticket.contact.id } } : ticket.email ? { email: ticket.email } : null;
    if (!person) return [];
    const rows = (await strapi.db.query(TICKET).findMany({
      where: { ...person, id: { $ne: ticket.id } },
      select: ['documentId', 'ticketNumber', 'subject', 'ticketStatus'],
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      limit: OTHER_TICKETS,
    })) as Array<{ documentId: string; ticketNumber: string; subject: string; ticketStatus: string }>;
    return rows.map((row) => ({ documentId: row.documentId, number: row.ticketNumber, subject: row.subject, status: row.ticketStatus }));
  }

  async function timeline(ticket: TicketRow, requesterName: string): Promise<TimelineItem[]> {
    const [comments, files, history, mails] = await Promise.all([
      strapi.db.query(COMMENT).findMany({
        where: { ticket: { id: ticket.id } },
        select: ['id', 'documentId', 'body', 'isInternal', 'authorType', 'authorName', 'createdAt'],
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }) as Promise<CommentRow[]>,
      strapi.db.query(ATTACHMENT).findMany({
        where: { ticket: { id: ticket.id } },
        select: ['id', 'documentId', 'uploadedByType', 'uploadedByName', 'createdAt'],
        populate: { comment: { select: ['id'] } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }) as Promise<AttachmentRow[]>,
      strapi.db.query(TICKET_HISTORY).findMany({
        where: { ticket: { id: ticket.id }, action: { $notIn: [...SHOWN_ELSEWHERE] } },
        orderBy: [{ timestamp: 'asc' }, { id: 'asc' }],
      }) as Promise<HistoryRow[]>,
      // the HTML of the mails the ticket and its comments came from (the inbound log keeps it, server-written)
      strapi.db.query(INBOUND_EMAIL).findMany({
        where: { ticket: { id: ticket.id }, outcome: { $in: ['ticket_created', 'comment_added'] }, htmlBody: { $notNull: true } },
        select: ['htmlBody', 'outcome'],
        populate: { comment: { select: ['id'] } },
      }) as Promise<InboundRow[]>,
    ]);
    const openingHtml = mails.find((mail) => mail.outcome === 'ticket_created')?.htmlBody ?? null;
    const htmlOf = new Map(mails.flatMap((mail) => (mail.comment ? [[mail.comment.id, mail.htmlBody] as const] : [])));
    const openingFiles: TimelineAttachment[] = [];
    // names, sizes and download URLs as the attachment route answers them (signed for a private bucket)
    const records = new Map((await attachments().readRecords(files.map((file) => file.id))).map((record) => [record.id, record]));
    const filesOf = new Map<number, TimelineAttachment[]>();
    const items: TimelineItem[] = [
      {
        type: 'message',
        kind: 'opening',
        id: `ticket-${ticket.documentId}`,
        at: iso(ticket.createdAt),
        author: requesterName,
        body: ticket.description ?? '',
        html: openingHtml,
        attachments: openingFiles,
      },
    ];
    for (const file of files) {
      const record = records.get(file.id);
      if (!record) continue;
      if (file.comment) {
        filesOf.set(file.comment.id, [...(filesOf.get(file.comment.id) ?? []), toAttachment(record)]);
      } else if (fromOpeningMail(ticket, file)) {
        openingFiles.push(toAttachment(record));
      } else {
        items.push({ type: 'attachment', id: `attachment-${file.documentId}`, at: iso(file.createdAt), author: file.uploadedByName ?? 'System', attachment: toAttachment(record) });
      }
    }
    for (const comment of comments) {
      items.push({
        type: 'message',
        kind: kindOf(comment),
        id: `comment-${comment.documentId}`,
        at: iso(comment.createdAt),
        author: comment.authorName ?? (comment.authorType === 'requester' ? requesterName : 'System'),
        body: comment.body,
        // a system note quoting a mail (an unknown sender's) keeps its text, with the heading saying why
        html: comment.authorType === 'system' ? null : htmlOf.get(comment.id) ?? null,
        attachments: filesOf.get(comment.id) ?? [],
      });
    }
    for (const row of history) {
      items.push({
        type: 'event',
        id: `history-${row.id}`,
        at: iso(row.timestamp ?? row.createdAt),
        action: row.action,
        text: historySentence(row),
        note: row.note,
      });
    }
    return inTimeOrder(items);
  }

  async function view(documentId: string, admin: AdminUser): Promise<TicketViewData> {
    const ticket = await findTicket(documentId);
    const contact = ticket.contact;
    const name =
      fullName(contact?.firstName, contact?.lastName) || fullName(ticket.firstName, ticket.lastName) || contact?.email || ticket.email || 'Unknown requester';
    const dueDate = ticket.dueDate ? iso(ticket.dueDate) : null;
    const [others, items, agent, version] = await Promise.all([otherTickets(ticket), timeline(ticket, name), agentForAdmin(strapi, admin), ticketVersion(strapi, ticket.id)]);
    return {
      ticket: {
        documentId: ticket.documentId,
        number: ticket.ticketNumber,
        subject: ticket.subject,
        description: ticket.description,
        status: ticket.ticketStatus,
        nextStatuses: isTicketStatus(ticket.ticketStatus) ? [...TRANSITIONS[ticket.ticketStatus]] : [],
        priority: ticket.priority,
        category: ticket.category,
        source: ticket.source,
        dueDate,
        overdue: dueDate !== null && !(DONE_STATUSES as readonly string[]).includes(ticket.ticketStatus) && new Date(dueDate) < new Date(),
        tags: asTags(ticket.tags),
        ccAddresses: ccList(ticket.ccAddresses),
        createdAt: iso(ticket.createdAt),
        assignee: ticket.assignee ? { id: ticket.assignee.id, documentId: ticket.assignee.documentId, name: ticket.assignee.username } : null,
      },
      requester: {
        name,
        email: contact?.email ?? ticket.email,
        phone: contact?.phone ?? ticket.phone,
        company: contact?.company ?? ticket.company,
        otherTickets: others,
      },
      timeline: items,
      viewer: agent ? { agentId: agent.id, name: agent.username } : null,
      version,
    };
  }

  return {
    view,

    /** A reply or internal note, its files and optionally a new status: the workflow's one reply action (one mail). */
    async reply(documentId: string, input: ReplyInput, files: MultipartFile[]): Promise<void> {
      await findTicket(documentId);
      await workflow().reply(documentId, { body: input.body, isInternal: input.isInternal ?? false, ticketStatus: input.ticketStatus }, files);
    },

    async changeStatus(documentId: string, input: StatusInput): Promise<void> {
      await workflow().changeStatus(documentId, input.ticketStatus, input.note);
    },

    /** 'me' is the admin's own agent account: the one staff identity shares their email. */
    async assign(documentId: string, input: AssignInput, admin: AdminUser): Promise<void> {
      await findTicket(documentId);
      let agent: number | string | null = input.agent;
      if (agent === 'me') {
        const mine = await agentForAdmin(strapi, admin);
        if (!mine) {
          throw fieldValidationError(
            'agent',
            `You have no agent account, so tickets cannot be assigned to you: an agent with your email (${admin.email}) must exist (Settings → Helpdesk → Agents).`
          );
        }
        agent = mine.id;
      }
      await workflow().assign(documentId, agent);
    },

    /** Priority, category, due date, tags and Cc through the Document Service: SLA, the Cc rule and history come from its hooks. */
    async updateFields(documentId: string, input: FieldsInput): Promise<void> {
      await findTicket(documentId);
      await strapi.documents(TICKET).update({ documentId, data: input as Record<string, unknown> });
    },

    /**
     * A ticket staff open for a requester (a phone call, a walk-in), created as REST creates one:
     * the ticket hook numbers it, links the contact, sets the SLA, writes history and queues mail.
     */
    async open(input: NewTicketInput): Promise<string> {
      const created = await strapi.documents(TICKET).create({ data: input as Record<string, unknown> as never });
      return created.documentId;
    },
  };
};

export type TicketViewService = ReturnType<typeof ticketViewService>;
