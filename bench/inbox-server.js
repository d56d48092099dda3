// Child process of bench/inbox.js: boots the compiled Strapi (dist/) on the database it inherits
// through the environment, makes a super admin who is also an agent (same email) and four more
// agents, bulk-inserts BENCH_TICKETS tickets with raw SQL (priority_rank and last_activity_at
// filled as the ticket hook would), and reports over IPC:
//   { type: 'ready', port, admin: { email, password }, cases: [{ name, url, statements, documents }] }
// where statements are the SQL the inbox endpoint runs for that case (captured from knex while the
// inbox service answers it once in-process), for the parent's direct-SQL floor. On
// { type: 'documents', index, runs } it times Strapi's plain Document Service findMany + count for
// that case in-process and answers { type: 'documents-times', times }.
const path = require('path');
const { createStrapi } = require('@strapi/strapi');
const { seedTickets } = require('./ticket-dataset');

const TICKET = 'plugin::helpdesk.ticket';

/** The measured cases: two views with a sort, pages 1 and 500 (20 per page). */
const CASES = [
  { view: 'open', sort: 'priority:desc', page: 1 },
  { view: 'open', sort: 'priority:desc', page: 500 },
  { view: 'unassigned', sort: 'lastActivityAt:desc', page: 1 },
  { view: 'unassigned', sort: 'lastActivityAt:desc', page: 500 },
];
const PAGE_SIZE = 20;
const NOT_DONE = { ticketStatus: { $notIn: ['resolved', 'closed'] } };

/** The same selection through Strapi's plain Document Service (what a generic list would run). */
function documentsQuery({ view, sort, page }) {
  const [field, direction] = sort.split(':');
  const column = field === 'priority' ? 'priorityRank' : field;
  return {
    filters: view === 'unassigned' ? { $and: [{ assignee: { id: { $null: true } } }, NOT_DONE] } : NOT_DONE,
    sort: [{ [column]: direction }, { id: direction }],
    fields: ['documentId', 'ticketNumber', 'subject', 'firstName', 'lastName', 'email', 'ticketStatus', 'priority', 'category', 'lastActivityAt', 'dueDate'],
    populate: { assignee: { fields: ['username'] } },
    start: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
}

async function main() {
  const appDir = path.resolve(__dirname, '..');
  const app = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  const { createAgent } = app.plugin('helpdesk').service('staff');
  const inbox = app.plugin('helpdesk').service('inbox');

  const password = process.env.BENCH_AGENT_PASSWORD;
  const email = 'bench-admin@example.test';
  const superAdmin = await app.service('admin::role').getSuperAdmin();
  await app.service('admin::user').create({ email, firstname: 'Bench', lastname: 'Admin', password, isActive: true, registrationToken: null, roles: [superAdmin.id] });
  const agentIds = [(await createAgent({ email, password, name: 'Bench Admin' })).id];
  for (let i = 1; i <= 4; i += 1) agentIds.push((await createAgent({ email: `bench-agent-${i}@example.test`, password, name: `Bench Agent ${i}` })).id);

  const started = Date.now();
  await seedTickets(app, Number(process.env.BENCH_TICKETS ?? 100000), agentIds);
  const seedMs = Date.now() - started;

  // the SQL the endpoint runs for each case, captured while the service answers it once
  const cases = [];
  for (const c of CASES) {
    // a small BENCH_TICKETS has fewer than 500 pages: the deep case reads the last full one
    const probe = await inbox.list(inbox.parseQuery({ view: c.view, pageSize: String(PAGE_SIZE) }), { email });
    c.page = Math.min(c.page, Math.floor(probe.meta.pagination.total / PAGE_SIZE));
    const query = { view: c.view, sort: c.sort, page: String(c.page), pageSize: String(PAGE_SIZE) };
    const statements = [];
    const listener = (q) => statements.push({ sql: q.sql, bindings: (q.bindings ?? []).map((v) => (v instanceof Date ? (app.db.dialect.client === 'sqlite' ? v.valueOf() : v) : typeof v === 'boolean' && app.db.dialect.client === 'sqlite' ? Number(v) : v)) });
    app.db.connection.on('query', listener);
    const answer = await inbox.list(inbox.parseQuery(query), { email });
    app.db.connection.off('query', listener);
    cases.push({
      name: `${c.view}, sort ${c.sort}, page ${c.page}`,
      url: `/helpdesk-admin/tickets?${new URLSearchParams(query)}`,
      statements,
      total: answer.meta.pagination.total,
      rows: answer.data.length,
    });
  }

  await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  let changes = null;
  process.on('message', async (message) => {
    if (message?.type === 'exit') process.exit(0);
    // a change every 200 ms through the Document Service, as staff make them: each goes to every live client
    if (message?.type === 'changes-start') {
      const some = await app.db.query(TICKET).findMany({ select: ['documentId'], limit: 50 });
      let n = 0;
      changes = setInterval(() => {
        const { documentId } = some[n++ % some.length];
        app.documents(TICKET).update({ documentId, data: { priority: ['low', 'medium', 'high'][n % 3] } }).catch((error) => console.error(error));
      }, 200);
      process.send({ type: 'changes-started' });
    }
    if (message?.type === 'changes-stop') clearInterval(changes);
    if (message?.type === 'documents') {
      const params = documentsQuery(CASES[message.index]);
      const times = [];
      for (let i = 0; i < message.runs; i += 1) {
        const t0 = process.hrtime.bigint();
        const [rows] = await Promise.all([app.documents(TICKET).findMany(params), app.documents(TICKET).count({ filters: params.filters })]);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (rows.length !== PAGE_SIZE) throw new Error(`documents findMany gave ${rows.length} rows`);
      }
      process.send({ type: 'documents-times', times });
    }
  });
  process.send({ type: 'ready', port: app.server.httpServer.address().port, admin: { email, password }, cases, seedMs });
}

main().catch((error) => {
  console.error(String(error.stack ?? error).slice(0, 2000));
  process.exit(1);
});
