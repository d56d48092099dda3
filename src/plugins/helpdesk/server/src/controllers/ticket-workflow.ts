import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { COMMENT, TICKET } from '../../../shared/uids';
import { validateAssign, validateComment, validateStatusChange } from '../validators/ticket-workflow';
import { filesField } from '../domain/multipart-files';
import { getService } from '../get-service';

interface WorkflowContext extends Context {
  params: { documentId: string };
  state: { user?: { id: number }; auth?: unknown };
  request: Context['request'] & { files?: Record<string, unknown> };
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
      const ticket = await getService(strapi, 'ticketWorkflow').changeStatus(ctx.params.documentId, input.ticketStatus, input.note);
      await answer(ctx, TICKET, ticket);
    },

    /** POST /api/tickets/:documentId/assign { data: { agent: id | documentId | "me" | null } } */
    async assign(ctx: WorkflowContext) {
      const input = validateAssign(ctx.request.body);
      const ticket = await getService(strapi, 'ticketWorkflow').assign(ctx.params.documentId, input.agent, ctx.state.user?.id);
      await answer(ctx, TICKET, ticket);
    },

    /** POST /api/tickets/:documentId/comments { data: { body, isInternal?, ticketStatus?, note? } } (JSON, or multipart with `files`): one reply action, one mail */
    async addComment(ctx: WorkflowContext) {
      const files = filesField(ctx.request.files);
      const input = validateComment(ctx.request.body);
      const comment = await getService(strapi, 'ticketWorkflow').reply(ctx.params.documentId, input, files);
      await answer(ctx, COMMENT, comment, 201);
    },
  };
};
