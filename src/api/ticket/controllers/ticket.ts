import { factories } from '@strapi/strapi';
import { TICKET } from '../../../uids';
import { validateTicketCreate, validateTicketUpdate } from '../validators/ticket';
import { validateGuestTicket } from '../validators/guest-ticket';
import { guestTicketService, settingsService } from '../../../services';
import { TICKET_QUERY_PARAMS, ticketQueryService } from '../services/ticket-query';
import { asFilterError } from '../../../validation/filter-values';

/** REST writes are validated strictly (unknown, server-owned and malformed fields are a 400)
 * before Strapi's core actions run; everything else happens in the document hooks. */
export default factories.createCoreController(TICKET, ({ strapi }) => ({
  /** POST /api/tickets/guest: a ticket from someone without an account (Public role). */
  async guestCreate(ctx) {
    const input = validateGuestTicket(ctx.request.body);
    // a bot caught by the honeypot gets the same status and a receipt of the same shape, and no ticket
    const receipt = await guestTicketService(strapi).submit(input);
    ctx.status = 201;
    ctx.body = { data: receipt };
  },

  /** GET /tickets/guest/branding: the company name for the guest form page. */
  async guestBranding(ctx) {
    const settings = await settingsService(strapi).current();
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = { companyName: settings.companyName };
  },

  /** GET /api/tickets: Strapi's list plus the helpdesk parameters (my, unassigned, overdue,
   * createdAfter, createdBefore, search, assignee), which become filters ANDed with the caller's. */
  async find(ctx) {
    const userId = (ctx.state.user as { id?: number } | undefined)?.id ?? null;
    const query = await ticketQueryService(strapi).listQuery(ctx.query, { userId });
    // Strapi's setter re-serialises the query string: leave a query without our parameters untouched
    if (TICKET_QUERY_PARAMS.some((param) => param in ctx.query)) ctx.query = query;
    try {
      return await super.find(ctx);
    } catch (error) {
      throw asFilterError(error);
    }
  },

  async create(ctx) {
    ctx.request.body = { data: validateTicketCreate(ctx.request.body) };
    return super.create(ctx);
  },
  async update(ctx) {
    ctx.request.body = { data: validateTicketUpdate(ctx.request.body) };
    return super.update(ctx);
  },
}));
