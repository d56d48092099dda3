// For tests/status-migration.test.ts: boots the helpdesk as it was before the status rename (a
// `git archive` of that commit, given as argv[2]) on the database the parent test gives it, writes
// tickets, history and outbox rows in every state through that code, and prints what it wrote as JSON.
const path = require('path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');

const TICKET = 'api::ticket.ticket';
const OUTBOX = 'api::outbound-email.outbound-email';
const TEMPLATE = 'api::email-template.email-template';

async function main() {
  const appDir = path.resolve(process.argv[2]);
  const distDir = path.join(appDir, 'dist');
  await compileStrapi({ appDir });
  const app = await createStrapi({ appDir, distDir }).load();

  const tickets = {};
  const statuses = ['new', 'open', 'in_progress', 'pending', 'on_hold', 'resolved', 'closed', 'reopened'];
  for (const [index, status] of statuses.entries()) {
    const ticket = await app.documents(TICKET).create({
      data: { subject: `Legacy ${status}`, email: `legacy${index}@example.test`, status: 'new' },
    });
    // an update through the old code, so history rows with the old field name exist too
    if (status !== 'new') await app.documents(TICKET).update({ documentId: ticket.documentId, data: { status } });
    tickets[ticket.documentId] = status;
  }

  // one confirmation per ticket is queued (no SMTP); give them every delivery state
  const mails = {};
  const rows = await app.db.query(OUTBOX).findMany({ orderBy: { id: 'asc' } });
  const states = ['queued', 'sending', 'sent', 'failed'];
  for (const [index, row] of rows.entries()) {
    const state = states[index % states.length];
    await app.db.query(OUTBOX).update({ where: { id: row.id }, data: { status: state } });
    mails[row.messageId] = state;
  }

  // the notification template keeps its seeded subject; the confirmation one is edited by staff
  await app.db.query(TEMPLATE).update({ where: { key: 'ticket_confirmation' }, data: { subject: 'Edited: {ticket_number}' } });

  process.stdout.write(`${JSON.stringify({ tickets, mails })}\n`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await app.destroy();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
