import type { Core } from '@strapi/strapi';
import type { QueryCaller, ContentApiAuth } from '../services/ticket-query';
import { exportFilename } from '../services/ticket-export';
import { asFilterError } from '../validation/filter-values';
import { getService } from '../get-service';

type Context = Parameters<Core.ControllerHandler>[0];

/** Who asks, as the query services need it. */
const callerOf = (ctx: Context): QueryCaller & ContentApiAuth => ({
  userId: (ctx.state.user as { id?: number } | undefined)?.id ?? null,
  auth: ctx.state.auth,
});

/** Ticket statistics and CSV export; both take the list's helpdesk parameters and `filters`. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/tickets/statistics */
  async statistics(ctx: Context) {
    const caller = callerOf(ctx);
    const filters = await getService(strapi, 'ticketQuery').reportFilters(ctx.query, caller);
    try {
      ctx.body = { data: await getService(strapi, 'ticketStatistics').compute({ filters, userId: caller.userId }) };
    } catch (error) {
      throw asFilterError(error);
    }
  },

  /** GET /api/tickets/export.csv */
  async exportCsv(ctx: Context) {
    const filters = await getService(strapi, 'ticketQuery').reportFilters(ctx.query, callerOf(ctx));
    let csv;
    try {
      csv = await getService(strapi, 'ticketExport').open(filters);
    } catch (error) {
      throw asFilterError(error);
    }
    ctx.set('Content-Type', 'text/csv; charset=utf-8');
    ctx.set('Content-Disposition', `attachment; filename="${exportFilename(new Date())}"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = csv;
  },
});
