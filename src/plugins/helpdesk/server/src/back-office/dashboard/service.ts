import type { Core } from '@strapi/strapi';
import type { Filters } from '../../services/ticket-query';
import { DONE_STATUSES, type Dashboard } from '../../../../shared/contract';
import { getService } from '../../get-service';

/** Days the "created vs resolved" chart covers (today included). */
export const TREND_DAYS = 14;

/** Tickets that still need work: everything not resolved or closed (the statistics' own rule). */
export const OPEN_TICKETS: Filters = { ticketStatus: { $notIn: [...DONE_STATUSES] } };

/**
 * The home page widgets' figures. Every count is the statistics service's own (the same SQL and
 * rules as GET /api/tickets/statistics) restricted to open tickets, so the widgets and the
 * statistics endpoint with `filters[ticketStatus][$notIn]=resolved,closed` agree by construction.
 */
export async function dashboardFor(strapi: Core.Strapi, agentId: number | null, now = new Date()): Promise<Dashboard> {
  const statistics = getService(strapi, 'ticketStatistics');
  const [stats, trend] = await Promise.all([
    statistics.compute({ filters: OPEN_TICKETS, userId: agentId, now }),
    statistics.createdVsResolved({ days: TREND_DAYS, now }),
  ]);
  const byStatus = Object.fromEntries(
    Object.entries(stats.byStatus).filter(([status]) => !(DONE_STATUSES as readonly string[]).includes(status))
  ) as Dashboard['byStatus'];
  return {
    open: stats.total,
    byStatus,
    overdue: stats.overdue,
    unassigned: stats.unassigned,
    mine: agentId === null ? null : stats.mine,
    mineHint: agentId === null ? 'You have no agent account, so no ticket can be assigned to you (Settings → Helpdesk → Agents).' : null,
    createdVsResolved: trend,
  };
}
