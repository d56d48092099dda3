import fs from 'node:fs';
import { freshDatabase, startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { applyTestEnv } from './helpers/test-env';
import { checkOutCommit, writeWithOlderCode } from './support/older-commit';

const TICKET = 'plugin::helpdesk.ticket';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const HISTORY = 'plugin::helpdesk.ticket-history';
const TEMPLATE = 'plugin::helpdesk.email-template';
/** The last commit whose ticket and outbox kept an attribute named `status`. */
const LEGACY_COMMIT = '4405396';

interface Written {
  tickets: Record<string, string>;
  mails: Record<string, string>;
}

/**
 * A database written by the code before the rename (ticket `status`, outbox `status`) and then
 * opened by today's code keeps every ticket's status and every mail's delivery state.
 */
describe('migrating a database from the `status` attributes', () => {
  let helpdesk: Helpdesk;
  let legacyDir: string;
  let written: Written;

  beforeAll(async () => {
    applyTestEnv();
    legacyDir = checkOutCommit(LEGACY_COMMIT);
    const database = await freshDatabase();
    written = await writeWithOlderCode<Written>('legacy-writer.js', legacyDir, '{"tickets"');
    helpdesk = await startHelpdesk({ database });
  }, 240_000);
  afterAll(async () => {
    await helpdesk?.stop();
    if (legacyDir) fs.rmSync(legacyDir, { recursive: true, force: true });
  });

  it('keeps every ticket status', async () => {
    expect(Object.keys(written.tickets)).toHaveLength(8);
    const rows = (await helpdesk.strapi.db.query(TICKET).findMany({ select: ['documentId', 'ticketStatus'] })) as Array<{ documentId: string; ticketStatus: string }>;
    expect(Object.fromEntries(rows.map((row) => [row.documentId, row.ticketStatus]))).toEqual(written.tickets);
  });

  it('keeps every delivery state, and delivery picks up the queued mail', async () => {
    expect(new Set(Object.values(written.mails))).toEqual(new Set(['queued', 'sending', 'sent', 'failed']));
    const rows = (await helpdesk.strapi.db.query(OUTBOX).findMany({ select: ['messageId', 'deliveryStatus'] })) as Array<{ messageId: string; deliveryStatus: string }>;
    expect(Object.fromEntries(rows.map((row) => [row.messageId, row.deliveryStatus]))).toEqual(written.mails);
    const due = await helpdesk.strapi.db.query(OUTBOX).count({ where: { deliveryStatus: 'queued' } });
    expect(due).toBe(Object.values(written.mails).filter((state) => state === 'queued').length);
  });

  it('drops the old columns and indexes the new ones', async () => {
    // a knex schema builder collects its calls: take a new one for each question
    const hasColumn = (table: string, column: string) => helpdesk.strapi.db.connection.schema.hasColumn(table, column);
    expect(await hasColumn('helpdesk_tickets', 'ticket_status')).toBe(true);
    expect(await hasColumn('helpdesk_tickets', 'status')).toBe(false);
    expect(await hasColumn('helpdesk_outbound_emails', 'delivery_status')).toBe(true);
    expect(await hasColumn('helpdesk_outbound_emails', 'status')).toBe(false);
    const inspector = helpdesk.strapi.db.dialect.schemaInspector;
    const indexed = (await inspector.getIndexes('helpdesk_tickets')).map((index: { columns: string[] }) => index.columns.join(','));
    expect(indexed).toContain('ticket_status');
  });

  it('names the field ticketStatus in old history rows too', async () => {
    const rows = (await helpdesk.strapi.db.query(HISTORY).findMany({ where: { action: 'status_changed' } })) as Array<{ fieldName: string }>;
    expect(rows).toHaveLength(7);
    expect(new Set(rows.map((row) => row.fieldName))).toEqual(new Set(['ticketStatus']));
  });

  it('moves an unedited seeded subject to the new one and keeps an edited one', async () => {
    const subjects = Object.fromEntries(
      ((await helpdesk.strapi.db.query(TEMPLATE).findMany({ select: ['key', 'subject'] })) as Array<{ key: string; subject: string }>).map((t) => [t.key, t.subject])
    );
    expect({ ticket_confirmation: subjects.ticket_confirmation, new_ticket_notification: subjects.new_ticket_notification }).toEqual({
      ticket_confirmation: 'Edited: {ticket_number}',
      new_ticket_notification: '[{ticket_number}] New ticket: {subject}',
    });
  });

  it('goes on working: a status change on a migrated ticket is recorded under the new name', async () => {
    const [documentId] = Object.entries(written.tickets).find(([, status]) => status === 'open')!;
    const updated = await helpdesk.strapi.documents(TICKET).update({ documentId, data: { ticketStatus: 'resolved' } });
    expect(updated?.ticketStatus).toBe('resolved');
    expect(updated?.resolvedAt).toBeTruthy();
  });
});
