import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { COMMENT, TICKET, UP_USER } from '../../../uids';
import { withChangeNote } from '../../../audit/change-note';
import { fieldValidationError } from '../../../validation/parse';
import { AGENT_ROLE_TYPE } from '../../../access/roles';
import type { AssignInput, CommentInput } from '../validators/ticket-workflow';
import type { TicketStatus } from '../domain/ticket-rules';

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
  async function requireTicket(documentId: string): Promise<void> {
    const found = await strapi.db.query(TICKET).findOne({ where: { documentId }, select: ['id'] });
    if (!found) throw new errors.NotFoundError('Ticket not found');
  }

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
    if (user.role?.type !== AGENT_ROLE_TYPE || user.blocked) {
      throw fieldValidationError('agent', 'only an active user with the Agent role can be assigned');
    }
    return user.id;
  }

  return {
    async changeStatus(documentId: string, ticketStatus: TicketStatus, note?: string) {
      await requireTicket(documentId);
      return withChangeNote(note, () => strapi.documents(TICKET).update({ documentId, data: { ticketStatus } }));
    },

    async assign(documentId: string, agent: AssignInput['agent'], callerId?: number) {
      await requireTicket(documentId);
      const assignee = await resolveAgent(agent, callerId);
      return strapi.documents(TICKET).update({ documentId, data: { assignee } });
    },

    async addComment(documentId: string, input: CommentInput) {
      await requireTicket(documentId);
      return strapi.documents(COMMENT).create({
        // authorType and source are required by the schema; the comment hook sets both from the actor
        data: { ticket: documentId, body: input.body, isInternal: input.isInternal ?? false, authorType: 'staff', source: 'api' },
      });
    },
  };
};

export type TicketWorkflowService = ReturnType<typeof ticketWorkflow>;

export default ticketWorkflow;
