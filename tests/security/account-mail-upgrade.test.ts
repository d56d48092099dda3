import path from 'node:path';
import { withPrePluginTableNames } from '../support/pre-plugin-tables';
import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';

const OUTBOX = 'plugin::helpdesk.outbound-email';
const UP_USER = 'plugin::users-permissions.user';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const migration = require(path.resolve(__dirname, '../../database/migrations/2026.12.06T00.00.00.mask-account-mail-secrets.js')) as {
  up(knex: unknown): Promise<void>;
};

/**
 * Issue 16, finding 1, for databases from before the fix: account mails stored then hold their
 * link's code readable. The upgrade masks the codes, withdraws those tokens and fails a mail that
 * still waited for one.
 */
describe('upgrade: account mails stored readable before secrets were sealed', () => {
  let helpdesk: Helpdesk;
  beforeAll(async () => {
    helpdesk = await startHelpdesk();
  });
  afterAll(() => helpdesk?.stop());

  it('masks the codes, withdraws the tokens, fails a waiting mail, and leaves other mail alone', async () => {
    const { id: userId } = await helpdesk.agent('old-reset@example.test');
    const code = 'ab12'.repeat(32);
    await helpdesk.strapi.db.query(UP_USER).update({ where: { id: userId }, data: { resetPasswordToken: code } });
    const link = `https://help.example.test/reset-password?code=${code}`;
    const legacy = (deliveryStatus: string, messageId: string) =>
      helpdesk.strapi.db.query(OUTBOX).create({
        data: {
          to: 'old-reset@example.test',
          subject: 'Reset password',
          textBody: `Open ${link}`,
          htmlBody: `<p><a href="${link}">${link}</a></p>`,
          messageId,
          templateKey: 'users-permissions:reset_password',
          deliveryStatus,
        },
      });
    const sent = await legacy('sent', '<old-sent@example.test>');
    const queued = await legacy('queued', '<old-queued@example.test>');
    const other = await helpdesk.strapi.db.query(OUTBOX).create({
      data: { to: 'gina@example.test', subject: 'Hello', textBody: `A link ${link}`, messageId: '<other@example.test>', templateKey: 'ticket_confirmation', deliveryStatus: 'sent' },
    });

    await withPrePluginTableNames(helpdesk.strapi.db.connection, ['outbound_emails'], () => migration.up(helpdesk.strapi.db.connection));

    const after = async (id: number) => helpdesk.strapi.db.query(OUTBOX).findOne({ where: { id } });
    for (const row of [await after(sent.id), await after(queued.id)]) {
      expect(`${row.textBody} ${row.htmlBody}`).not.toContain(code);
      expect(row.textBody).toContain('?code=[hidden: removed at upgrade]');
    }
    expect((await after(sent.id)).deliveryStatus).toBe('sent');
    expect((await after(queued.id)).deliveryStatus).toBe('failed');
    expect((await after(other.id)).textBody).toContain(code);
    const user = await helpdesk.strapi.db.query(UP_USER).findOne({ where: { id: userId } });
    expect(user.resetPasswordToken).toBeNull();
    const reset = await helpdesk.request('POST', '/api/auth/reset-password', {
      body: { code, password: 'Battery-Staple-7', passwordConfirmation: 'Battery-Staple-7' },
    });
    expect(reset.status).toBe(400);
  });
});
