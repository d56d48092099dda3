import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { COMMENT, TICKET } from '../../../uids';
import { ticketWorkflowService } from '../../../services';
import { validateAssign, validateComment, validateStatusChange } from '../validators/ticket-workflow';

interface WorkflowContext extends Context {
  params: { documentId: string };
  state: { user?: { id: number }; auth?: unknown };
}

/** Staff actions on one ticket: validate, call the workflow service, answer what the caller may see. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const answer = async (ctx: WorkflowContext, uid: typeof TICKET | typeof COMMENT, entity: unknown, status = 200) => {
    const data = await strapi.contentAPI.sanitize.output(entity, strapi.getModel(uid), { auth: ctx.state.auth });
    ctx.status = status;
    ctx.body = { data };
  };

  return {
    /** POST /api/tickets/:documentId/status { data: { ticketStatus, note? } } */
    async changeStatus(ctx: WorkflowContext) {
      const input = validateStatusChange(ctx.request.body);
      const ticket = await ticketWorkflowService(strapi).changeStatus(ctx.params.documentId, input.ticketStatus, input.note);
      await answer(ctx, TICKET, ticket);
    },

    /** POST /api/tickets/:documentId/assign { data: { agent: id | documentId | "me" | null } } */
    async assign(ctx: WorkflowContext) {
      const input = validateAssign(ctx.request.body);
      const ticket = await ticketWorkflowService(strapi).assign(ctx.params.documentId, input.agent, ctx.state.user?.id);
      await answer(ctx, TICKET, ticket);
    },

    /** POST /api/tickets/:documentId/comments { data: { body, isInternal? } } */
    async addComment(ctx: WorkflowContext) {
      const input = validateComment(ctx.request.body);
      const comment = await ticketWorkflowService(strapi).addComment(ctx.params.documentId, input);
      await answer(ctx, COMMENT, comment, 201);
    },
  };
};
