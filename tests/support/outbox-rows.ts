import type { Core } from '@strapi/strapi';

const OUTBOX = 'plugin::helpdesk.outbound-email';
const IN_FLIGHT = ['queued', 'sending'];

export type OutboxRow = { deliveryStatus: string; lastError: string | null; attempts: number; messageId: string | null };

/**
 * The SMTP sink holds a mail a moment before its outbox row is marked sent (the worker writes the
 * row after the server's 250), so a check that reads rows right after `sink.waitFor` races it.
 * Polls the rows matching `where` (by id) until none is queued or sending.
 */
export async function settledOutboxRows<Row extends { deliveryStatus: string } = OutboxRow>(
  strapi: Core.Strapi,
  where: Record<string, unknown>,
  timeoutMs = 10_000
): Promise<Row[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await strapi.db.query(OUTBOX).findMany({ where, orderBy: { id: 'asc' } })) as Row[];
    if (!rows.some((row) => IN_FLIGHT.includes(row.deliveryStatus))) return rows;
    if (Date.now() > deadline) throw new Error(`outbox rows still in flight after ${timeoutMs} ms: ${rows.map((row) => row.deliveryStatus).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
