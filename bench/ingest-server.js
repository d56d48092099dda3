// Child process of bench/ingest.js: boots the compiled Strapi (dist/) on the database it inherits
// through the environment (a fresh SQLite file) and runs one measurement, reporting over IPC:
//
//   node bench/ingest-server.js ingest    the mail-ingestion service's ingest() on the IMAP mailbox in IMAP_* (the
//                                         product's pipeline, in-process, no HTTP), then what the
//                                         database holds, per outcome.
//                                         BENCH_PATHOLOGICAL_FOLDER: then the mails of that folder,
//                                         one ingest run each, timed.
//   node bench/ingest-server.js idle      boots and waits: Strapi's own RSS, without ingestion.
//   node bench/ingest-server.js contact   BENCH_CONTACT_TICKETS tickets bulk-inserted for one
//                                         contact, then BENCH_CREATES tickets created through the
//                                         Document Service for that contact and for a fresh one
//                                         (twice, interleaved), with the statements on the link table.
//
// Each reports { type: 'result', ... , peakRss } with process.resourceUsage().maxRSS: the peak of
// this process only (Strapi's boot included; rssAfterBoot says how much of it was there before).
// BENCH_COUNT_QUERIES=1 also reports the SQL statements run (per statement text: count and time).
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { performance } = require('perf_hooks');
const { createStrapi } = require('@strapi/strapi');

const TICKET = 'plugin::helpdesk.ticket';
const CONTACT = 'plugin::helpdesk.contact';
const COMMENT = 'plugin::helpdesk.comment';
const INBOUND = 'plugin::helpdesk.inbound-email';
const OUTBOX = 'plugin::helpdesk.outbound-email';

/**
 * Per SQL text, how often it ran and how long the driver took (better-sqlite3 runs synchronously
 * inside knex's _query, so the time is SQLite's own). Patched on the client's prototype: knex's
 * transaction clients are new objects of the same class.
 */
function countQueries(app) {
  const queries = new Map();
  const proto = app.db.connection.client.constructor.prototype;
  const run = proto._query;
  proto._query = function timedQuery(connection, obj) {
    const started = process.hrtime.bigint();
    const result = run.call(this, connection, obj);
    const done = () => {
      const sql = String(obj.sql).replace(/\s+/g, ' ').slice(0, 160);
      const entry = queries.get(sql) ?? { count: 0, ms: 0 };
      entry.count += 1;
      entry.ms += Number(process.hrtime.bigint() - started) / 1e6;
      queries.set(sql, entry);
    };
    return result && typeof result.then === 'function' ? result.finally(done) : (done(), result);
  };
  return {
    reset: () => queries.clear(),
    total: () => [...queries.values()].reduce((sum, q) => sum + q.count, 0),
    top: (n) =>
      [...queries.entries()]
        .map(([sql, q]) => ({ sql, ...q }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, n),
  };
}

/**
 * Time spent in Strapi's own Document Service creates (validation, insert, read-back; the
 * entry.create event runs at commit and is not in it), per content type: a document middleware
 * registered after boot runs innermost, around the repository's create, inside all of ours.
 */
function timeStrapiCreates(app) {
  const byType = new Map();
  app.documents.use(async (ctx, next) => {
    if (ctx.action !== 'create') return next();
    const started = performance.now();
    try {
      return await next();
    } finally {
      const entry = byType.get(ctx.uid) ?? { count: 0, ms: 0 };
      entry.count += 1;
      entry.ms += performance.now() - started;
      byType.set(ctx.uid, entry);
    }
  });
  return { reset: () => byType.clear(), read: () => Object.fromEntries([...byType].map(([uid, entry]) => [uid, { ...entry }])) };
}

/** The heap still in use after a full collection (the child runs with --expose-gc): what is kept, not garbage. */
function liveHeap() {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
}

/** Lets Strapi's post-commit work (entry.create re-reads, outbox kicks) run before a clock stops. */
async function drain(app) {
  await new Promise((resolve) => setImmediate(resolve));
  await app.db.connection.raw('select 1');
}

/** Files the upload plugin wrote into public/uploads for this database: removed after the bench. */
async function removeUploads(app) {
  const files = await app.db.query('plugin::upload.file').findMany({ select: ['url', 'formats'] });
  const publicDir = app.dirs.static.public;
  let removed = 0;
  for (const file of files) {
    const urls = [file.url, ...Object.values(file.formats ?? {}).map((format) => format.url)];
    for (const url of urls) {
      if (typeof url !== 'string' || !url.startsWith('/uploads/')) continue;
      fs.rmSync(path.join(publicDir, url), { force: true });
      removed += 1;
    }
  }
  return removed;
}

async function ingest(app, queries) {
  const ingestion = app.plugin('helpdesk').service('mail-ingestion');
  const config = ingestion.readConfig();
  queries?.reset();
  const strapiCreates = timeStrapiCreates(app);
  const liveHeapBefore = liveHeap();
  const rssBefore = process.memoryUsage().rss;
  // the largest heap, external memory and RSS seen while ingesting, sampled every 50 ms
  const memory = { heapUsed: 0, heapTotal: 0, external: 0, rss: 0 };
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    for (const key of Object.keys(memory)) memory[key] = Math.max(memory[key], now[key]);
  }, 50);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const report = await ingestion.ingest(config);
  await drain(app);
  const ms = performance.now() - started;
  clearInterval(sampler);
  // CPU time of this process alone: on a machine shared with other work, wall time stretches with
  // the load while this stays about the same
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const liveHeapAfter = liveHeap();

  const count = (uid, where = {}) => app.db.query(uid).count({ where });
  const rows = await app.db.connection(app.db.metadata.get(INBOUND).tableName).select('outcome', 'automatic').count({ n: '*' }).groupBy('outcome', 'automatic');
  const outcomes = {};
  for (const row of rows) {
    const key = row.outcome === 'ticket_created' && (row.automatic === 1 || row.automatic === true) ? 'ticket_created_automatic' : row.outcome;
    outcomes[key] = (outcomes[key] ?? 0) + Number(row.n);
  }
  const result = {
    report,
    ms,
    cpuMs,
    rssBefore,
    memory,
    outcomes,
    tickets: await count(TICKET),
    comments: await count(COMMENT),
    contacts: await count(CONTACT),
    outbox: await count(OUTBOX),
    inbound: await count(INBOUND),
    attachments: await count('plugin::helpdesk.attachment'),
    strapiCreates: strapiCreates.read(),
    liveHeap: { before: liveHeapBefore, after: liveHeapAfter },
    statements: queries ? queries.total() : null,
    topStatements: queries ? queries.top(Number(process.env.BENCH_TOP_STATEMENTS ?? 15)) : null,
  };
  // the corpus's peak, before the pathological mix (which reports its own)
  result.peakRss = process.resourceUsage().maxRSS * 1024;
  if (process.env.BENCH_PATHOLOGICAL_FOLDER) result.pathological = await pathological(app, config, process.env.BENCH_PATHOLOGICAL_FOLDER);
  result.uploadsRemoved = await removeUploads(app);
  return result;
}

/**
 * The pathological mix, one mail per ingest run (limit 1: nothing fetched ahead), so that
 * each mail's time, fetch to commit, is its own.
 */
async function pathological(app, config, folder) {
  const ingestion = app.plugin('helpdesk').service('mail-ingestion');
  const mails = [];
  for (;;) {
    const lines = [];
    const started = performance.now();
    const report = await ingestion.ingest(config, { folder, limit: 1, log: (line) => lines.push(line) });
    await drain(app);
    if (report.fetched === 0) break;
    const line = lines.find((entry) => /^\[ingest\] uid \d+:/.test(entry)) ?? '';
    mails.push({ ms: performance.now() - started, line: line.replace(/^\[ingest\] /, '') });
  }
  return mails;
}

/** A booted Strapi that does nothing: what of the ingesting process's RSS is Strapi's own. */
async function idle() {
  await new Promise((resolve) => setTimeout(resolve, 2000));
  return { rss: process.memoryUsage().rss };
}

// ---- one contact with many tickets ------------------------------------------------------------

/** Bulk insert as Strapi would store them: tickets rows, and tickets_contact_lnk rows with ticket_ord 1..n. */
async function seedContactTickets(app, contactId, count) {
  const sqlite = app.db.dialect.client === 'sqlite';
  const CHUNK = sqlite ? 400 : 1000;
  const meta = app.db.metadata.get(TICKET);
  const link = meta.attributes.contact.joinTable;
  const now = Date.now();
  await app.db.connection.transaction(async (trx) => {
    for (let start = 0; start < count; start += CHUNK) {
      const rows = [];
      for (let n = start + 1; n <= Math.min(count, start + CHUNK); n += 1) {
        const createdAt = new Date(now - (count - n) * 60_000);
        rows.push({
          document_id: crypto.randomBytes(12).toString('hex'),
          ticket_number: `TKT-2000-${String(n).padStart(6, '0')}`,
          subject: `Monitoring alert #${n}`,
          description: `Check ${n} failed.`,
          ticket_status: 'new',
          priority: 'medium',
          category: 'technical',
          source: 'email',
          is_guest: true,
          email: 'monitoring@example.test',
          created_at: createdAt,
          updated_at: createdAt,
          published_at: createdAt,
        });
      }
      const inserted = await trx(meta.tableName).insert(rows).returning('id');
      await trx(link.name).insert(
        inserted.map((entry, i) => ({
          [link.joinColumn.name]: typeof entry === 'object' ? entry.id : entry,
          [link.inverseJoinColumn.name]: contactId,
          // while the contact side lists its tickets, Strapi numbers them 1, 2, 3, … in this column
          ...(link.inverseOrderColumnName ? { [link.inverseOrderColumnName]: start + i + 1 } : {}),
        }))
      );
    }
  });
  await app.db.connection.raw(sqlite ? 'ANALYZE' : 'VACUUM ANALYZE');
}

async function contact(app) {
  const { runAs } = app.plugin('helpdesk').service('actor');
  const TICKETS = Number(process.env.BENCH_CONTACT_TICKETS ?? 100000);
  const CREATES = Number(process.env.BENCH_CREATES ?? 200);
  const meta = app.db.metadata.get(TICKET);
  const link = meta.attributes.contact.joinTable;
  // always counted here: the point is which statements grow with the contact's tickets
  const queries = countQueries(app);

  const heavy = await app.documents(CONTACT).create({ data: { email: 'monitoring@example.test', firstName: 'Monitoring' } });
  const started = performance.now();
  await seedContactTickets(app, heavy.id, TICKETS);
  const seedMs = performance.now() - started;

  const requester = (email) => ({ type: 'requester', id: email, name: email });
  /** CREATES tickets for `email` through the Document Service, as ingestion creates them. */
  const creates = async (email) => {
    queries.reset();
    const times = [];
    for (let i = 0; i < CREATES; i += 1) {
      const t = performance.now();
      await runAs(requester(email), () =>
        app.documents(TICKET).create({
          data: { subject: `Alert ${i}`, description: 'Disk full', email, source: 'email', isGuest: true, priority: 'medium', category: 'technical' },
        })
      );
      times.push(performance.now() - t);
    }
    await drain(app);
    const total = times.reduce((sum, t) => sum + t, 0);
    times.sort((a, b) => a - b);
    const onLink = queries.top(1000).filter((q) => q.sql.includes(link.name));
    return {
      meanMs: total / CREATES,
      medianMs: times[Math.floor(times.length / 2)],
      perSecond: (CREATES / total) * 1000,
      statementsPerCreate: queries.total() / CREATES,
      // statements on the link table: with an order column on the contact's side, Strapi's max()
      linkStatements: onLink.map((q) => ({ ...q, msEach: q.ms / q.count })),
      top: queries.top(6).map((q) => ({ ...q, msEach: q.ms / q.count })),
    };
  };

  // interleaved, so that other load on the machine falls on both alike
  const rounds = [];
  for (let round = 0; round < 2; round += 1) {
    rounds.push({ heavy: await creates('monitoring@example.test'), fresh: await creates(`fresh-${round}@example.test`) });
  }
  const columns = app.db.dialect.client === 'sqlite'
    ? (await app.db.connection.raw(`PRAGMA table_info(${link.name})`)).map((row) => row.name)
    : (await app.db.connection.raw('SELECT column_name FROM information_schema.columns WHERE table_name = ?', [link.name])).rows.map((row) => row.column_name);
  return { tickets: TICKETS, creates: CREATES, seedMs, table: link.name, columns, orderColumn: link.inverseOrderColumnName ?? null, rounds };
}

async function main() {
  const mode = process.argv[2];
  const appDir = path.resolve(__dirname, '..');
  const app = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  const queries = process.env.BENCH_COUNT_QUERIES === '1' ? countQueries(app) : null;
  const rssAfterBoot = process.memoryUsage().rss;
  let result;
  if (mode === 'ingest') result = await ingest(app, queries);
  else if (mode === 'contact') result = await contact(app);
  else if (mode === 'idle') result = await idle();
  else throw new Error(`unknown mode ${mode}`);
  result.rssAfterBoot = rssAfterBoot;
  result.peakRss ??= process.resourceUsage().maxRSS * 1024;
  // a normal exit (no graceful destroy: the outbox would try to deliver), so --cpu-prof is written
  process.send({ type: 'result', result }, () => process.exit(0));
}

main().catch((error) => {
  console.error(String(error && error.stack ? error.stack : error).slice(0, 3000));
  process.exit(1);
});
