import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase, startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { applyTestEnv } from './helpers/test-env';
import { checkOutCommit, writeWithOlderCode } from './support/older-commit';
import { ATTACHMENT, TICKET } from '../src/plugins/helpdesk/shared/uids';

/** The last commit of the helpdesk as a Strapi app of its own (api:: types, unprefixed tables). */
const PRE_PLUGIN_COMMIT = 'aec2b98';

interface Written {
  ticket: { documentId: string; ticketNumber: string };
  attachment: { documentId: string; fileId: number | null };
  partnerRole: string;
}

async function tableNames(helpdesk: Helpdesk): Promise<string[]> {
  const knex = helpdesk.strapi.db.connection;
  if (helpdesk.strapi.db.dialect.client === 'sqlite') {
    return ((await knex.raw("SELECT name FROM sqlite_master WHERE type = 'table'")) as Array<{ name: string }>).map((row) => row.name);
  }
  const result = (await knex.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()")) as { rows: Array<{ name: string }> };
  return result.rows.map((row) => row.name);
}

/**
 * A database written by the helpdesk before it became a plugin, opened by the plugin: tables
 * renamed with the helpdesk_ prefix, and the UIDs Strapi keeps as data rewritten, so nothing is lost.
 */
describe('moving an existing install into the plugin', () => {
  let helpdesk: Helpdesk;
  let oldDir: string;
  let publicDir: string;
  let written: Written;

  beforeAll(async () => {
    applyTestEnv();
    oldDir = checkOutCommit(PRE_PLUGIN_COMMIT);
    const database = await freshDatabase();
    // one uploads folder for both: the file the old code stored is the one the plugin serves
    publicDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-pre-plugin-public-'));
    fs.mkdirSync(path.join(publicDir, 'uploads'));
    written = await writeWithOlderCode<Written>('pre-plugin-writer.js', oldDir, '{"ticket"', { PUBLIC_DIR: publicDir });
    helpdesk = await startHelpdesk({ database, env: { PUBLIC_DIR: publicDir } });
  }, 300_000);
  afterAll(async () => {
    await helpdesk?.stop();
    for (const dir of [oldDir, publicDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('renames the tables and join tables, and leaves no unprefixed helpdesk table behind', async () => {
    const tables = await tableNames(helpdesk);
    for (const table of ['helpdesk_tickets', 'helpdesk_comments', 'helpdesk_attachments', 'helpdesk_tickets_contact_lnk', 'helpdesk_attachments_ticket_lnk']) {
      expect(tables).toContain(table);
    }
    for (const table of ['tickets', 'comments', 'attachments', 'contacts', 'tickets_contact_lnk', 'outbound_emails']) expect(tables).not.toContain(table);
  });

  it('keeps the ticket with its comment, its history and its file', async () => {
    const ticket = await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: written.ticket.documentId }, populate: ['contact'] });
    expect(ticket).toMatchObject({ ticketNumber: written.ticket.ticketNumber, subject: 'Printer on fire' });
    expect(ticket.contact).toMatchObject({ email: 'old.customer@example.test' });
    const comments = await helpdesk.strapi.db.query('plugin::helpdesk.comment').findMany({ where: { ticket: { documentId: written.ticket.documentId } } });
    expect(comments.map((comment: { body: string }) => comment.body)).toEqual(['We are on it.']);
    const history = await helpdesk.strapi.db.query('plugin::helpdesk.ticket-history').count({ where: { ticket: { documentId: written.ticket.documentId } } });
    expect(history).toBeGreaterThan(0);

    const attachment = await helpdesk.strapi.db.query(ATTACHMENT).findOne({ where: { documentId: written.attachment.documentId }, populate: ['file'] });
    expect(written.attachment.fileId).not.toBeNull();
    expect(attachment.file).toMatchObject({ id: written.attachment.fileId, name: 'fire.log' });
    const link = await helpdesk.strapi.db.connection('files_related_mph').where({ file_id: written.attachment.fileId }).first();
    expect(link.related_type).toBe(ATTACHMENT);
  });

  it('serves the old ticket and its file over the same REST paths', async () => {
    const agent = await helpdesk.agent();
    const list = await helpdesk.request<{ data: Array<{ documentId: string }> }>('GET', '/api/tickets', { token: agent.jwt });
    expect(list.status).toBe(200);
    expect(list.body.data.map((ticket) => ticket.documentId)).toContain(written.ticket.documentId);
    const file = await helpdesk.strapi.db.query('plugin::upload.file').findOne({ where: { id: written.attachment.fileId } });
    const download = await fetch(`${helpdesk.baseUrl}${file.url}`);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('the log of the fire');
  });

  it("keeps staff's Content Manager label and the roles' permissions under the new UIDs", async () => {
    const contentTypes = helpdesk.strapi.plugin('content-manager').service('content-types');
    const configuration = await contentTypes.findConfiguration(contentTypes.findContentType(TICKET));
    expect(configuration.metadatas.subject.edit.label).toBe('Betreff');
    const stale = await helpdesk.strapi.db.connection('strapi_core_store_settings').where('key', 'like', '%api::ticket.ticket%').count({ count: '*' });
    expect(Number(stale[0].count)).toBe(0);

    const auditor = await helpdesk.strapi.db.query('admin::role').findOne({ where: { name: 'Auditor' }, populate: ['permissions'] });
    expect(auditor.permissions.map((permission: { action: string; subject: string }) => [permission.action, permission.subject])).toEqual([
      ['plugin::content-manager.explorer.read', TICKET],
    ]);
    const partner = await helpdesk.strapi.db.query('plugin::users-permissions.role').findOne({ where: { name: written.partnerRole }, populate: ['permissions'] });
    expect(partner.permissions.map((permission: { action: string }) => permission.action)).toEqual(['plugin::helpdesk.ticket.find']);
  });
});
