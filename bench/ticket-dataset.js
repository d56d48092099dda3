// The benches' ticket dataset: BENCH_TICKETS tickets over a year with realistic spreads of status,
// priority, category and source, about 30% unassigned, deterministic (seeded), bulk-inserted with raw
// SQL with the columns the ticket hook would fill (priority_rank, last_activity_at, due dates).
const crypto = require('crypto');

const TICKET = 'plugin::helpdesk.ticket';
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let seed = 42;
/** mulberry32: the same dataset every run */
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

/** Bulk insert in one transaction, a chunk of rows per INSERT (knex writes SQLite's as a compound
 * SELECT, which SQLite limits to 500 terms); then planner statistics, as a running database has. */
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

module.exports = { seedTickets };
