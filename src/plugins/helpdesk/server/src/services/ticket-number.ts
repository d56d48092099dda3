import type { Core } from '@strapi/strapi';
import { TICKET_SEQUENCE } from '../../../shared/uids';
import { tableIn } from '../db/table';

export const formatTicketNumber = (year: number, value: number): string =>
  `TKT-${year}-${String(value).padStart(5, '0')}`;

/**
 * Hands out ticket numbers TKT-YYYY-NNNNN, sequential within a year. The counter row is
 * incremented with one UPDATE ... RETURNING, which the database serialises, so concurrent
 * creates (and several Strapi processes) never get the same number. Run inside the ticket's
 * transaction, a failed create rolls its number back, so numbers have no gaps.
 */
const ticketNumbers = ({ strapi }: { strapi: Core.Strapi }) => ({
  async next(now: Date = new Date()): Promise<string> {
    const year = now.getUTCFullYear();
    const value = await strapi.db.transaction(async ({ trx }) => {
      const sequences = () => tableIn(strapi, trx, TICKET_SEQUENCE);
      await sequences()
        .insert({ document_id: `ticket-sequence-${year}`, year, last_value: 0, created_at: now, updated_at: now })
        .onConflict('year')
        .ignore();
      const rows: Array<{ last_value: number | string }> = await sequences()
        .where({ year })
        .increment('last_value', 1)
        .returning('last_value');
      const row = rows[0];
      if (!row) throw new Error(`ticket number sequence for ${year} is missing`);
      return Number(row.last_value);
    });

    return formatTicketNumber(year, value);
  },

  /** The number next() would hand out now, without taking it (for the honeypot's decoy receipt). */
  async peek(now: Date = new Date()): Promise<string> {
    const year = now.getUTCFullYear();
    const row = (await strapi.db.query(TICKET_SEQUENCE).findOne({ where: { year }, select: ['lastValue'] })) as
      | { lastValue: number | string }
      | null;
    return formatTicketNumber(year, Number(row?.lastValue ?? 0) + 1);
  },
});

export type TicketNumberService = ReturnType<typeof ticketNumbers>;

export default ticketNumbers;
