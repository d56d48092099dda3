// Child process of bench/stats.js: boots the compiled Strapi (dist/) on the database it inherits
// through the environment, creates the bench agents, bulk-inserts BENCH_TICKETS tickets, and
// reports to the parent over IPC:
//   { type: 'ready', port, agents: [{ id, email }], statements: [{ name, sql, bindings }] }
// where statements are the statistics endpoint's SQL for the first agent (knex's native SQL and
// bindings, Dates converted the way the driver stores them), for the parent's direct-SQL floor.
const path = require('path');
const crypto = require('crypto');
const { createStrapi } = require('@strapi/strapi');

const TICKET = 'api::ticket.ticket';
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

// ---- a deterministic dataset -------------------------------------------------------------------
let seed = 42;
/** mulberry32: the same dataset every run */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
/** One of `weights`' keys, with the given relative weights. */
function pick(weights) {
  const entries = Object.entries(weights);
  let r = random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of entries) {
    r -= weight;
    if (r < 0) return value;
  }
  return entries[entries.length - 1][0];
}
/** Exponentially distributed duration with the given mean (hours), in ms. */
const hoursAround = (mean) => -Math.log(1 - random()) * mean * HOUR;

const STATUS = { new: 10, open: 15, in_progress: 10, pending: 7, on_hold: 3, resolved: 30, closed: 22, reopened: 3 };
const PRIORITY = { low: 25, medium: 40, high: 20, urgent: 10, critical: 5 };
const CATEGORY = { support: 30, technical: 25, billing: 15, product: 10, feature_request: 8, bug: 10, general: 2 };
const SOURCE = { web: 45, email: 30, api: 15, admin: 10 };
const SLA_HOURS = { critical: 4, urgent: 8, high: 24, medium: 72, low: 168 };
const WORDS = ['printer', 'vpn', 'invoice', 'password', 'laptop', 'email', 'login', 'refund', 'crash', 'slow', 'export', 'upgrade'];
const FIRST = ['Ann', 'Ben', 'Chloé', 'Dev', 'Eva', 'Farid', 'Greta', 'Hugo'];
const LAST = ['Lee', 'Müller', 'Okafor', 'Rossi', 'Smith', 'Tanaka', 'Weber', 'Zhang'];

function ticketRow(n, now, agentIds) {
  const createdAt = new Date(now - random() * 365 * DAY);
  const ticketStatus = pick(STATUS);
  const priority = pick(PRIORITY);
  const source = pick(SOURCE);
  const word = WORDS[Math.floor(random() * WORDS.length)];
  const first = FIRST[Math.floor(random() * FIRST.length)];
  const last = LAST[Math.floor(random() * LAST.length)];
  const answered = ticketStatus !== 'new';
  const done = ticketStatus === 'resolved' || ticketStatus === 'closed';
  const firstResponseAt = answered ? new Date(createdAt.getTime() + hoursAround(4)) : null;
  const resolvedAt = done ? new Date((firstResponseAt ?? createdAt).getTime() + hoursAround(30)) : null;
  return {
    ticket: {
      document_id: crypto.randomBytes(12).toString('hex'),
      ticket_number: `TKT-${createdAt.getUTCFullYear()}-${String(n).padStart(5, '0')}`,
      subject: `${word[0].toUpperCase()}${word.slice(1)} problem #${n}`,
      description: `Since this morning the ${word} does not work. Ticket ${n}.`,
      ticket_status: ticketStatus,
      priority,
      category: pick(CATEGORY),
      source,
      is_guest: source === 'web' && random() < 0.7,
      first_name: first,
      last_name: last,
      email: `${first.toLowerCase()}.${n}@example.test`,
      due_date: new Date(createdAt.getTime() + SLA_HOURS[priority] * HOUR),
      first_response_at: firstResponseAt,
      resolved_at: resolvedAt,
      closed_at: ticketStatus === 'closed' ? new Date(resolvedAt.getTime() + 24 * HOUR) : null,
      tags: JSON.stringify([word]),
      created_at: createdAt,
      updated_at: resolvedAt ?? firstResponseAt ?? createdAt,
      published_at: createdAt,
    },
    // about 30% unassigned
    assignee: random() < 0.3 ? null : agentIds[Math.floor(random() * agentIds.length)],
  };
}

/** Bulk insert in one transaction, a chunk of rows per INSERT (knex writes SQLite's as a compound
 * SELECT, which SQLite limits to 500 terms). */
async function seedTickets(app, count, agentIds) {
  const CHUNK = app.db.dialect.client === 'sqlite' ? 400 : 1000;
  const meta = app.db.metadata.get(TICKET);
  const link = meta.attributes.assignee.joinTable;
  const now = Date.now();
  await app.db.connection.transaction(async (trx) => {
    for (let start = 0; start < count; start += CHUNK) {
      const rows = [];
      for (let n = start + 1; n <= Math.min(count, start + CHUNK); n += 1) rows.push(ticketRow(n, now, agentIds));
      const inserted = await trx(meta.tableName)
        .insert(rows.map((row) => row.ticket))
        .returning('id');
      const links = [];
      inserted.forEach((entry, i) => {
        const id = typeof entry === 'object' ? entry.id : entry;
        if (rows[i].assignee !== null) links.push({ [link.joinColumn.name]: id, [link.inverseJoinColumn.name]: rows[i].assignee });
      });
      if (links.length) await trx(link.name).insert(links);
    }
  });
  // planner statistics (and on PostgreSQL the visibility map that index-only scans need), as
  // autovacuum keeps them on a database that has been running a while
  await app.db.connection.raw(app.db.dialect.client === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
}

async function main() {
  const appDir = path.resolve(__dirname, '..');
  const app = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  const { createAgent } = require(path.join(app.dirs.dist.src, 'access', 'roles.js'));

  const agents = [];
  for (let i = 1; i <= Number(process.env.BENCH_AGENTS ?? 5); i += 1) {
    const email = `bench-agent-${i}@example.test`;
    const user = await createAgent(app, { email, password: process.env.BENCH_AGENT_PASSWORD, name: `Bench Agent ${i}` });
    agents.push({ id: user.id, email });
  }
  const started = Date.now();
  await seedTickets(app, Number(process.env.BENCH_TICKETS ?? 100000), agents.map((agent) => agent.id));
  const seedMs = Date.now() - started;

  const sqlite = app.db.dialect.client === 'sqlite';
  const statistics = app.service('api::ticket.ticket-statistics').statements({ userId: agents[0].id, now: new Date() });
  const statements = Object.entries(statistics).map(([name, query]) => {
    const { sql, bindings } = query.toSQL().toNative();
    // as knex would hand them to the driver: SQLite stores datetimes as epoch milliseconds
    const values = bindings.map((value) => (value instanceof Date ? (sqlite ? value.getTime() : value.toISOString()) : value));
    return { name, sql, bindings: values };
  });

  await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  process.on('message', (message) => {
    if (message?.type === 'exit') process.exit(0);
  });
  process.send({ type: 'ready', port: app.server.httpServer.address().port, agents, statements, seedMs });
}

main().catch((error) => {
  // a failed bulk insert's message holds its whole SQL
  console.error(String(error.stack ?? error).slice(0, 2000));
  process.exit(1);
});
