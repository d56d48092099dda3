import path from 'node:path';
import type { Knex } from 'knex';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { SmtpSink } from './support/smtp-sink';
import { withPrePluginTableNames } from './support/pre-plugin-tables';
import { DEFAULT_TEMPLATES } from '../src/plugins/helpdesk/server/src/mail/default-templates';
import type { Outbox } from '../src/plugins/helpdesk/server/src/outbox/outbox';

const OUTBOX = 'plugin::helpdesk.outbound-email';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const migration = require(path.resolve(__dirname, '../database/migrations/2026.12.08T00.00.00.one-template-body.js')) as {
  up(knex: Knex): Promise<void>;
};

const seededBody = (key: string) => DEFAULT_TEMPLATES.find((template) => template.key === key)!.body;

/** The mailed-in tickets' confirmation as seeded before (text and HTML body). */
const OLD_AUTO_REPLY_TEXT = [
  'Hello {guest_name},',
  '',
  'thank you for your mail. We opened ticket {ticket_number} for it and will answer as soon as we can.',
  '',
  'Subject: {subject}',
  'Status: {status}',
  '',
  'To add anything, reply to this mail and keep {ticket_number} in the subject.',
  '',
  '{company_name} support',
].join('\n');
const OLD_AUTO_REPLY_HTML = [
  '<p>Hello {guest_name},</p>',
  '<p>thank you for your mail. We opened ticket <strong>{ticket_number}</strong> for it and will answer as soon as we can.</p>',
  '<table><tr><td>Subject</td><td>{subject}</td></tr><tr><td>Status</td><td>{status}</td></tr></table>',
  '<p>To add anything, reply to this mail and keep {ticket_number} in the subject.</p>',
  '<p>{company_name} support</p>',
].join('\n');

/**
 * Issue 17, point 5, for databases from before: templates with a text and an HTML body, where staff
 * edited the text body and recipients kept reading the untouched HTML one. The upgrade gives each
 * template one body, and the edit is what the mail carries.
 */
describe('upgrade: email templates from two bodies to one', () => {
  let helpdesk: Helpdesk;
  const sink = new SmtpSink();

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'support@helpdesk.test', GUEST_RATE_LIMIT_MAX: '1000', CRON_ENABLED: 'false' },
    });
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink.stop();
  });

  it('keeps every edit: a text-only edit wins over the seeded HTML, an edited HTML body stays, a text-only template becomes HTML', async () => {
    const knex = helpdesk.strapi.db.connection;
    const bodies = await withPrePluginTableNames(knex, ['email_templates'], async () => {
      // the table as the old code had it: text_body and html_body, no body
      await knex.schema.alterTable('email_templates', (table) => {
        table.text('text_body');
        table.text('html_body');
      });
      await knex.schema.alterTable('email_templates', (table) => table.dropColumn('body'));
      const oldShape = async (key: string, textBody: string, htmlBody: string | null) => {
        const updated = await knex('email_templates').where({ key }).update({ text_body: textBody, html_body: htmlBody });
        if (Number(updated) === 0) {
          await knex('email_templates').insert({ key, subject: '[{ticket_number}] {subject}', text_body: textBody, html_body: htmlBody, enabled: true, document_id: `legacy-${key}` });
        }
      };
      // staff edited the confirmation's text body; its HTML body is still the seeded one
      await oldShape('ticket_confirmation', 'Dear {guest_name},\n\nEDITED-TEXT: ticket {ticket_number} is ours & we are on it.\nBye', seededBody('ticket_confirmation'));
      // a template with only a text body
      await oldShape('new_ticket_notification', 'New: {ticket_number}\nFrom <{requester_email}>\n\n{description}', null);
      // both bodies edited: the HTML one is what recipients saw
      await oldShape('status_changed', 'EDITED-TEXT-STATUS {status}', '<p>EDITED-HTML-STATUS {status}</p>');
      // the mailed-in tickets' own confirmation, as seeded: no longer sent, removed
      await oldShape('auto_reply', OLD_AUTO_REPLY_TEXT, OLD_AUTO_REPLY_HTML);
      // the same, edited by staff: kept for its words
      await oldShape('auto_reply_custom', 'Our own words', null);

      await migration.up(knex);

      return Object.fromEntries(
        ((await knex('email_templates').select('key', 'body')) as Array<{ key: string; body: string }>).map((row) => [row.key, row.body])
      );
    });
    expect(bodies.ticket_confirmation).toBe('<p>Dear {guest_name},</p>\n<p>EDITED-TEXT: ticket {ticket_number} is ours &amp; we are on it.<br>\nBye</p>');
    expect(bodies.new_ticket_notification).toBe('<p>New: {ticket_number}<br>\nFrom &lt;{requester_email}&gt;</p>\n<p>{description}</p>');
    expect(bodies.status_changed).toBe('<p>EDITED-HTML-STATUS {status}</p>');
    expect(bodies.auto_reply_custom).toBe('<p>Our own words</p>');
    expect(bodies).not.toHaveProperty('auto_reply');

    // a guest ticket's confirmation carries the edit, in both parts
    const response = await helpdesk.submitGuest({
      data: { firstName: 'Mia', lastName: 'Migrated', email: 'mia@example.test', phone: '0301234567', company: 'Mig & Co', subject: 'After the upgrade', description: 'Does it carry the edit?' },
    });
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: { ticketNumber: string } };
    const outbox = helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
    for (let i = 0; i < 50 && sink.messages.length === 0; i += 1) await outbox.deliverDue();
    const [mail] = await sink.waitFor(1);
    expect(mail.envelopeTo).toEqual(['mia@example.test']);
    expect(mail.parsed.text).toBe(`Dear Mia,\n\nEDITED-TEXT: ticket ${data.ticketNumber} is ours & we are on it.\nBye`);
    expect(mail.parsed.html).toContain(`EDITED-TEXT: ticket ${data.ticketNumber} is ours &amp; we are on it.<br>`);
    // the seeded HTML body, which hid the edit before, is gone
    expect(mail.parsed.html).not.toContain('thank you for contacting');
  });
});
