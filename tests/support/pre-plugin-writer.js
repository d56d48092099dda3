// For tests/plugin-move-migration.test.ts: boots the helpdesk as it was before it became a plugin
// (a `git archive` of that commit, given as argv[2]) on the database the parent test gives it,
// writes what a real install holds (a ticket with a comment and an attached file, a staff-edited
// Content Manager label, an admin role and a users-permissions role granted on helpdesk types), and
// prints what it wrote as JSON. Old UIDs on purpose: this is the code before the move.
const path = require('path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');

const TICKET = 'api::ticket.ticket';
const PASSWORD = 'Correct-Horse-9';

async function main() {
  const appDir = path.resolve(process.argv[2]);
  await compileStrapi({ appDir });
  const app = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${app.server.httpServer.address().port}`;

  const { createAgent } = require(path.join(app.dirs.dist.src, 'access', 'roles.js'));
  await createAgent(app, { email: 'old.agent@example.test', password: PASSWORD, name: 'Old Agent' });
  const login = await (await fetch(`${base}/api/auth/local`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: 'old.agent@example.test', password: PASSWORD }) })).json();
  const auth = { authorization: `Bearer ${login.jwt}` };

  const created = await (await fetch(`${base}/api/tickets`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ data: { subject: 'Printer on fire', email: 'old.customer@example.test' } }) })).json();
  const ticket = created.data;
  await fetch(`${base}/api/tickets/${ticket.documentId}/comments`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ data: { body: 'We are on it.', isInternal: false } }) });
  const form = new FormData();
  form.append('files', new Blob(['the log of the fire'], { type: 'text/plain' }), 'fire.log');
  const attached = await fetch(`${base}/api/tickets/${ticket.documentId}/attachments`, { method: 'POST', headers: auth, body: form });
  if (attached.status !== 201) throw new Error(`attachment: ${attached.status} ${await attached.text()}`);

  // staff renamed a field's label in the Content Manager (Configure the view)
  const contentTypes = app.plugin('content-manager').service('content-types');
  const contentType = contentTypes.findContentType(TICKET);
  const configuration = await contentTypes.findConfiguration(contentType);
  configuration.metadatas.subject.edit.label = 'Betreff';
  await contentTypes.updateConfiguration(contentType, { settings: configuration.settings, metadatas: configuration.metadatas, layouts: configuration.layouts });

  // an admin role of the team's own that may read tickets
  const adminRole = await app.service('admin::role').create({ name: 'Auditor', description: 'reads tickets' });
  await app.service('admin::role').assignPermissions(adminRole.id, [{ action: 'plugin::content-manager.explorer.read', subject: TICKET, properties: { fields: ['subject'] }, conditions: [] }]);

  // a users-permissions role of the team's own that may list tickets over the REST API
  const partner = await app.plugin('users-permissions').service('role').createRole({ name: 'Partner', description: 'lists tickets', permissions: { 'api::ticket': { controllers: { ticket: { find: { enabled: true } } } } } });

  const attachments = await app.db.query('api::attachment.attachment').findMany({ populate: ['file'] });
  process.stdout.write(
    `${JSON.stringify({
      ticket: { documentId: ticket.documentId, ticketNumber: ticket.ticketNumber },
      attachment: { documentId: attachments[0].documentId, fileId: attachments[0].file?.id ?? null },
      partnerRole: partner?.name ?? 'Partner',
    })}\n`
  );
  await app.destroy();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  }
);
