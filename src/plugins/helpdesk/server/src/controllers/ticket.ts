import { factories } from '@strapi/strapi';
import { TICKET } from '../../../shared/uids';
import { validateTicketCreate, validateTicketUpdate } from '../validators/ticket';
import { validateGuestTicket } from '../validators/guest-ticket';
import { TICKET_QUERY_PARAMS } from '../services/ticket-query';
import { asFilterError } from '../validation/filter-values';
import { errors } from '@strapi/utils';
import { guestChallengeConfig, guestWidgetFile, guestWidgetVersion, newGuestChallenge, spendGuestChallenge } from '../security/guest-challenge';
import { getService } from '../get-service';

/** REST writes are validated strictly (unknown, server-owned and malformed fields are a 400)
 * before Strapi's core actions run; everything else happens in the document hooks. */
export default factories.createCoreController(TICKET, ({ strapi }) => ({
  /** POST /api/tickets/guest: a ticket from someone without an account (Public role). */
  async guestCreate(ctx) {
    const challenge = guestChallengeConfig(strapi);
    const { altcha, ...input } = validateGuestTicket(ctx.request.body, { challenge: challenge.enabled });
    // one transaction: a solution is spent only with the ticket it paid for
    const receipt = await strapi.db.transaction(async () => {
      if (challenge.enabled) await spendGuestChallenge(strapi, challenge, altcha ?? '');
      // a bot caught by the honeypot gets the same status and a receipt of the same shape, and no ticket
      return getService(strapi, 'guestTicket').submit(input);
    });
    ctx.status = 201;
    ctx.body = { data: receipt };
  },

  /** GET /tickets/guest/branding: the company name for the guest form page, and whether it must
   * show the proof-of-work widget. */
  async guestBranding(ctx) {
    const settings = await getService(strapi, 'settings').current();
    ctx.set('Cache-Control', 'public, max-age=60');
    const on = guestChallengeConfig(strapi).enabled;
    ctx.body = {
      companyName: settings.companyName,
      challenge: on ? { type: 'altcha', url: '/tickets/guest/challenge', widget: `/tickets/guest/altcha/${guestWidgetVersion()}/` } : null,
    };
  },

  /** GET /tickets/guest/altcha/:version/:file: the widget, served by us (no third party). */
  async guestWidget(ctx) {
    const file = guestChallengeConfig(strapi).enabled ? guestWidgetFile(String(ctx.params.version), String(ctx.params.file)) : null;
    if (!file) throw new errors.NotFoundError('Not found');
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.type = file.type;
    ctx.body = file.body;
  },

  /** GET /tickets/guest/challenge: a fresh altcha challenge for the form's widget (404 when off). */
  async guestChallenge(ctx) {
    const challenge = guestChallengeConfig(strapi);
    if (!challenge.enabled) throw new errors.NotFoundError('The guest form has no challenge');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await newGuestChallenge(challenge);
  },

  /** GET /api/tickets: Strapi's list plus the helpdesk parameters (my, unassigned, overdue,
   * createdAfter, createdBefore, search, assignee), which become filters ANDed with the caller's. */
  async find(ctx) {
    const userId = (ctx.state.user as { id?: number } | undefined)?.id ?? null;
    const query = await getService(strapi, 'ticketQuery').listQuery(ctx.query, { userId });
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
