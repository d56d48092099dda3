import type { Core } from '@strapi/strapi';
import type { AdminContext } from '../admin-route';
import { getService } from '../../get-service';
import { parseBulk, parseInboxQuery } from './validators';

/** Thin: validate, call the inbox service, shape the answer. */
export const inboxController = {
  /** GET /helpdesk-admin/tickets?view=&search=&ticketStatus=&priority=&category=&assignee=&sort=&page=&pageSize= */
  async list(ctx: AdminContext, strapi: Core.Strapi) {
    const query = parseInboxQuery(ctx.query as Record<string, unknown>);
    ctx.body = await getService(strapi, 'inbox').list(query, ctx.state.user);
  },

  /** GET /helpdesk-admin/tickets/counts → { data: { my, unassigned, overdue, open, resolved } } */
  async counts(ctx: AdminContext, strapi: Core.Strapi) {
    ctx.body = { data: await getService(strapi, 'inbox').counts(ctx.state.user) };
  },

  /** POST /helpdesk-admin/tickets/bulk/preview: the bulk body → { data: BulkPreview } (nothing changes) */
  async bulkPreview(ctx: AdminContext, strapi: Core.Strapi) {
    const input = parseBulk(ctx.request.body);
    ctx.body = { data: await getService(strapi, 'inbox').bulkPreview(input) };
  },

  /** POST /helpdesk-admin/tickets/bulk { documentIds, action: 'assign', agent } | { documentIds, action: 'status', ticketStatus, note? } */
  async bulk(ctx: AdminContext, strapi: Core.Strapi) {
    const input = parseBulk(ctx.request.body);
    ctx.body = { data: await getService(strapi, 'inbox').bulk(input, ctx.state.user) };
  },

  /** GET /helpdesk-admin/agents → { data: [{ id, documentId, name, email, isMe }] } */
  async agents(ctx: AdminContext, strapi: Core.Strapi) {
    ctx.body = { data: await getService(strapi, 'inbox').agents(ctx.state.user) };
  },
};
