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
const crypto = require('crypto');
const { createStrapi } = require('@strapi/strapi');

const TICKET = 'api::ticket.ticket';
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let seed = 42;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function pick(weights) {
  const entries = Object.entries(weights);
  let r = random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of entries) {
    r -= weight;
    if (r < 0) return value;
  }
  return entries[entries.length - 1][0];
}
const hoursAround = (mean) => -Math.log(1 - random()) * mean * HOUR;

const STATUS = { new: 10, open: 15, in_progress: 10, pending: 7, on_hold: 3, resolved: 30, closed: 22, reopened: 3 };
const PRIORITY = { low: 25, medium: 40, high: 20, urgent: 10, critical: 5 };
const RANK = { critical: 5, urgent: 4, high: 3, medium: 2, low: 1 };
const CATEGORY = { support: 30, technical: 25, billing: 15, product: 10, feature_request: 8, bug: 10, general: 2 };
const SOURCE = { web: 45, email: 30, api: 15, admin: 10 };
const SLA_HOURS = { critical: 4, urgent: 8, high: 24, medium: 72, low: 168 };
const WORDS = ['printer', 'vpn', 'invoice', 'password', 'laptop', 'email', 'login', 'refund', 'crash', 'slow', 'export', 'upgrade'];
const FIRST = ['Ann', 'Ben', 'Chloé', 'Dev', 'Eva', 'Farid', 'Greta', 'Hugo'];
const LAST = ['Lee', 'Müller', 'Okafor', 'Rossi', 'Smith', 'Tanaka', 'Weber', 'Zhang'];

function ticketRow(n, now, agentIds, dateValue) {
  const createdAt = new Date(now - random() * 365 * DAY);
  const ticketStatus = pick(STATUS);
  const priority = pick(PRIORITY);
  const source = pick(SOURCE);
  const word = WORDS[Math.floor(random() * WORDS.length)];
  const first = FIRST[Math.floor(random() * FIRST.length)];
  const last = LAST[Math.floor(random() * LAST.length)];
  const done = ticketStatus === 'resolved' || ticketStatus === 'closed';
  const firstResponseAt = ticketStatus !== 'new' ? new Date(createdAt.getTime() + hoursAround(4)) : null;
  const resolvedAt = done ? new Date((firstResponseAt ?? createdAt).getTime() + hoursAround(30)) : null;
  const closedAt = ticketStatus === 'closed' ? new Date(resolvedAt.getTime() + DAY) : null;
  const updatedAt = closedAt ?? resolvedAt ?? firstResponseAt ?? createdAt;
  const lastActivity = new Date(Math.min(now, updatedAt.getTime() + (done ? 0 : hoursAround(48))));
  return {
    ticket: {
      document_id: crypto.randomBytes(12).toString('hex'),
      ticket_number: `TKT-${createdAt.getUTCFullYear()}-${String(n).padStart(6, '0')}`,
      subject: `${word[0].toUpperCase()}${word.slice(1)} problem #${n}`,
      description: `Since this morning the ${word} does not work. Ticket ${n}.`,
      ticket_status: ticketStatus,
      priority,
      priority_rank: RANK[priority],
      category: pick(CATEGORY),
      source,
      is_guest: source === 'web' && random() < 0.7,
      first_name: first,
      last_name: last,
      email: `${first.toLowerCase()}.${n}@example.test`,
      due_date: dateValue(new Date(createdAt.getTime() + SLA_HOURS[priority] * HOUR)),
      first_response_at: dateValue(firstResponseAt),
      resolved_at: dateValue(resolvedAt),
      closed_at: dateValue(closedAt),
      last_activity_at: dateValue(lastActivity),
      tags: JSON.stringify([word]),
      created_at: dateValue(createdAt),
      updated_at: dateValue(updatedAt),
      published_at: dateValue(createdAt),
    },
    assignee: random() < 0.3 ? null : agentIds[Math.floor(random() * agentIds.length)],
  };
}

async function seedTickets(app, count, agentIds) {
  const sqlite = app.db.dialect.client === 'sqlite';
  // as Strapi itself writes datetimes: text on SQLite ('YYYY-MM-DD HH:MM:SS.mmm', UTC), timestamps on PostgreSQL
  const dateValue = (date) => (date === null ? null : sqlite ? date.toISOString().replace('T', ' ').replace('Z', '') : date);
  const CHUNK = sqlite ? 400 : 1000;
  const meta = app.db.metadata.get(TICKET);
  const link = meta.attributes.assignee.joinTable;
  const now = Date.now();
  await app.db.connection.transaction(async (trx) => {
    for (let start = 0; start < count; start += CHUNK) {
      const rows = [];
      for (let n = start + 1; n <= Math.min(count, start + CHUNK); n += 1) rows.push(ticketRow(n, now, agentIds, dateValue));
      const inserted = await trx(meta.tableName).insert(rows.map((row) => row.ticket)).returning('id');
      const links = [];
      inserted.forEach((entry, i) => {
        const id = typeof entry === 'object' ? entry.id : entry;
        if (rows[i].assignee !== null) links.push({ [link.joinColumn.name]: id, [link.inverseJoinColumn.name]: rows[i].assignee });
      });
      if (links.length) await trx(link.name).insert(links);
    }
  });
  await app.db.connection.raw(sqlite ? 'ANALYZE' : 'VACUUM ANALYZE');
}

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
  const dist = app.dirs.dist.src;
  const { createAgent } = require(path.join(dist, 'access', 'roles.js'));
  const { inboxService } = require(path.join(dist, 'back-office', 'inbox', 'service.js'));
  const { parseInboxQuery } = require(path.join(dist, 'back-office', 'inbox', 'validators.js'));

  const password = process.env.BENCH_AGENT_PASSWORD;
  const email = 'bench-admin@example.test';
  const superAdmin = await app.service('admin::role').getSuperAdmin();
  await app.service('admin::user').create({ email, firstname: 'Bench', lastname: 'Admin', password, isActive: true, registrationToken: null, roles: [superAdmin.id] });
  const agentIds = [(await createAgent(app, { email, password, name: 'Bench Admin' })).id];
  for (let i = 1; i <= 4; i += 1) agentIds.push((await createAgent(app, { email: `bench-agent-${i}@example.test`, password, name: `Bench Agent ${i}` })).id);

  const started = Date.now();
  await seedTickets(app, Number(process.env.BENCH_TICKETS ?? 100000), agentIds);
  const seedMs = Date.now() - started;

  // the SQL the endpoint runs for each case, captured while the service answers it once
  const cases = [];
  for (const c of CASES) {
    // a small BENCH_TICKETS has fewer than 500 pages: the deep case reads the last full one
    const probe = await inboxService(app).list(parseInboxQuery({ view: c.view, pageSize: String(PAGE_SIZE) }), { email });
    c.page = Math.min(c.page, Math.floor(probe.meta.pagination.total / PAGE_SIZE));
    const query = { view: c.view, sort: c.sort, page: String(c.page), pageSize: String(PAGE_SIZE) };
    const statements = [];
    const listener = (q) => statements.push({ sql: q.sql, bindings: (q.bindings ?? []).map((v) => (v instanceof Date ? (app.db.dialect.client === 'sqlite' ? v.valueOf() : v) : typeof v === 'boolean' && app.db.dialect.client === 'sqlite' ? Number(v) : v)) });
    app.db.connection.on('query', listener);
    const answer = await inboxService(app).list(parseInboxQuery(query), { email });
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
  process.on('message', async (message) => {
    if (message?.type === 'exit') process.exit(0);
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
