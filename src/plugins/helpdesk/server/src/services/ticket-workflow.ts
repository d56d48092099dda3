import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { COMMENT, TICKET, UP_USER } from '../../../shared/uids';
import { withChangeNote } from '../audit/change-note';
import { fieldValidationError } from '../validation/parse';
import { isActiveAgent } from '../access/roles';
import type { AssignInput, CommentInput } from '../validators/ticket-workflow';
import { canMove, isTicketStatus, type TicketStatus } from '../domain/ticket-rules';
import { withReplyScope } from '../mail/reply-scope';
import { queueReplyMail } from '../mail/ticket-mail';
import type { StoredUpload } from './attachment-upload';
import type { MultipartFile } from '../domain/multipart-files';
import { getService } from '../get-service';

/** A reply action: the comment, optionally a new status (and its note) and files. */
export interface ReplyInput extends CommentInput {
  ticketStatus?: TicketStatus;
  note?: string;
}

interface AgentRow {
  id: number;
  blocked: boolean | null;
  role: { type: string } | null;
}

/**
 * What staff do to a ticket: move its status, assign it, comment on it. Each goes through the
 * Document Service like every other origin, so transitions, history and mail come from the
 * document hooks, identical whether the change came from here, a core PUT or the admin panel.
 */
const ticketWorkflow = ({ strapi }: { strapi: Core.Strapi }) => {
  async function requireTicket(documentId: string): Promise<{ id: number; ticketStatus: string }> {
    const found = (await strapi.db.query(TICKET).findOne({ where: { documentId }, select: ['id', 'ticketStatus'] })) as
      | { id: number; ticketStatus: string }
      | null;
    if (!found) throw new errors.NotFoundError('Ticket not found');
    return found;
  }

  const addComment = async (documentId: string, input: CommentInput) => {
    await requireTicket(documentId);
    return strapi.documents(COMMENT).create({
      // authorType and source are required by the schema; the comment hook sets both from the actor
      data: { ticket: documentId, body: input.body, isInternal: input.isInternal ?? false, authorType: 'staff', source: 'api' },
    });
  };

  const changeStatus = async (documentId: string, ticketStatus: TicketStatus, note?: string) => {
    await requireTicket(documentId);
    return withChangeNote(note, () => strapi.documents(TICKET).update({ documentId, data: { ticketStatus } }));
  };

  /** The user an assignment names, who must hold the Agent role. */
  async function resolveAgent(agent: AssignInput['agent'], callerId: number | undefined): Promise<number | null> {
    if (agent === null) return null;
    const where =
      agent === 'me' ? { id: callerId ?? -1 } : typeof agent === 'number' ? { id: agent } : { documentId: agent };
    const user = (await strapi.db.query(UP_USER).findOne({
      where,
      select: ['id', 'blocked'],
      populate: { role: { select: ['type'] } },
    })) as AgentRow | null;
    if (!user) throw fieldValidationError('agent', 'no such user');
    if (!isActiveAgent(user)) {
      throw fieldValidationError('agent', 'only an active user with the Agent role can be assigned');
    }
    return user.id;
  }

  return {
    changeStatus,
    addComment,

    /**
     * A reply or internal note, its files and optionally a new status, all or nothing, and one mail
     * for all of it: the move is checked against the transition table before anything is stored;
     * the files are checked and stored next (and removed again if anything after fails); the
     * comment, its attachments and the status change are one transaction, which also queues the
     * reply's mail with the files and the new status (a status move without a public reply keeps
     * its own mail). The same for every caller: REST, the back office, server code.
     */
    async reply(documentId: string, input: ReplyInput, files: MultipartFile[] = []) {
      const ticket = await requireTicket(documentId);
      const target = input.ticketStatus;
      if (target && isTicketStatus(ticket.ticketStatus) && !canMove(ticket.ticketStatus, target)) {
        throw fieldValidationError('ticketStatus', `a ticket cannot move from ${ticket.ticketStatus} to ${target}`);
      }
      const attachments = getService(strapi, 'attachmentUpload');
      if (files.length > attachments.limits.maxFiles) {
        throw fieldValidationError('files', `at most ${attachments.limits.maxFiles} files per request, got ${files.length}`);
      }
      const upload: StoredUpload | null = files.length > 0 ? await attachments.store(files) : null;
      try {
        return await strapi.db.transaction(async () => {
          const { result, pending } = await withReplyScope(async () => {
            const comment = await addComment(documentId, input);
            if (upload) await attachments.link(upload, { ticket: ticket.id, comment: Number(comment.id) });
            if (target && target !== ticket.ticketStatus) await changeStatus(documentId, target, input.note);
            return comment;
          }, Boolean(target && target !== ticket.ticketStatus));
          if (pending) await queueReplyMail(strapi, pending);
          return result;
        });
      } catch (error) {
        if (upload) await attachments.discard(upload);
        throw error;
      }
    },

    async assign(documentId: string, agent: AssignInput['agent'], callerId?: number) {
      await requireTicket(documentId);
      const assignee = await resolveAgent(agent, callerId);
      return strapi.documents(TICKET).update({ documentId, data: { assignee } });
    },
  };
};

export type TicketWorkflowService = ReturnType<typeof ticketWorkflow>;

export default ticketWorkflow;
