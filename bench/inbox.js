#!/usr/bin/env node
// npm run bench:inbox — the back office inbox (GET /helpdesk-admin/tickets) on 100,000 tickets.
//
// Compiles the project (dist/), starts it in a child process (bench/inbox-server.js) on a fresh
// database (a temp SQLite file; with DATABASE_CLIENT=postgres, a new database on the server at
// DATABASE_URL, dropped afterwards), which bulk-inserts the tickets with raw SQL. Then, for two
// views with a sort (All open by priority, Unassigned by last activity), page 1 and page 500 of 20,
// one request at a time, BENCH_RUNS rounds after a warm-up (each round runs every measurement once,
// in turn), it measures side by side:
//   endpoint   GET /helpdesk-admin/tickets?view=…&sort=…&page=… over HTTP with an admin token
//   floor      the same SQL statements the endpoint runs (captured from knex), directly on the
//              database from this process (one after the other on SQLite, in parallel on PostgreSQL)
//   documents  Strapi's plain Document Service findMany + count for the same selection, sort and
//              page, in the server process (no HTTP)
//   CM list    the Content Manager's list route over HTTP, same filters, sort and page
// and prints medians and the ratio endpoint / floor and endpoint / documents.
//
// Then the live feed's cost: the endpoint's median (first case) without live clients, with
// BENCH_LIVE_CLIENTS (50) connected to GET /helpdesk-admin/live, and without again, while the server
// makes a change every 200 ms; prints the share the clients add.
//
// Environment knobs: BENCH_TICKETS (100000)  BENCH_RUNS (20)  BENCH_WARMUP (3)  BENCH_LIVE_CLIENTS (50)
const { BENCH_STRAPI_ENV } = require('./strapi-env');
const os = require('os');
const { appDir, median, ms, freshDatabase, startServer, stopChild } = require('./harness');
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const PASSWORD = 'Bench-Admin-Password-1';


/** Times of `runs` Document Service findMany + count calls, measured in the server process. */
function documentsTimes(child, index, runs) {
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (message?.type !== 'documents-times') return;
      child.off('message', onMessage);
      resolve(message.times);
    };
    child.on('message', onMessage);
    child.send({ type: 'documents', index, runs });
  });
}

async function timed(work) {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The Content Manager list URL for the same selection (Strapi's generic admin list). */
function contentManagerUrl(url) {
  const q = new URL(url, 'http://x').searchParams;
  const [field, direction] = q.get('sort').split(':');
  const params = new URLSearchParams({ page: q.get('page'), pageSize: q.get('pageSize'), sort: `${field === 'priority' ? 'priorityRank' : field}:${direction.toUpperCase()}` });
  params.set('filters[$and][0][ticketStatus][$notIn][0]', 'resolved');
  params.set('filters[$and][0][ticketStatus][$notIn][1]', 'closed');
  if (q.get('view') === 'unassigned') params.set('filters[$and][1][assignee][id][$null]', 'true');
  return `/content-manager/collection-types/plugin::helpdesk.ticket?${params}`;
}

/** Opens `count` live feeds (GET /helpdesk-admin/live), each read to the end as the panel reads it; resolves once all said ready. */
async function openLiveClients(baseUrl, token, count) {
  const controllers = [];
  let events = 0;
  await Promise.all(
    Array.from({ length: count }, async () => {
      const controller = new AbortController();
      controllers.push(controller);
      const response = await fetch(`${baseUrl}/helpdesk-admin/live`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal });
      if (response.status !== 200) throw new Error(`the live feed answered ${response.status}`);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let ready = false;
      await new Promise((resolve) => {
        (async () => {
          try {
            for (;;) {
              const { value, done } = await reader.read();
              if (done) return;
              const text = decoder.decode(value);
              if (!ready && text.includes('event: ready')) {
                ready = true;
                resolve();
              }
              events += (text.match(/event: change/g) ?? []).length;
            }
          } catch {
            // closed
          }
        })();
      });
    })
  );
  return { close: () => controllers.forEach((controller) => controller.abort()), events: () => events };
}

/**
 * What live clients cost the inbox endpoint: its median with none connected, then with
 * BENCH_LIVE_CLIENTS (50) connected, then with none again, while a change is made every 200 ms
 * (each sent to every client); the ratio is against both runs without clients.
 */
async function liveClientsCost({ baseUrl, token, get, url, child }) {
  const CLIENTS = Number(process.env.BENCH_LIVE_CLIENTS ?? 50);
  // each phase at least 5 s long, so that the clients receive some 25 changes while it is measured
  const run = async () => {
    const times = [];
    const started = Date.now();
    for (let i = 0; i < WARMUP + RUNS * 2 || Date.now() - started < 5000; i += 1) {
      const t = await timed(() => get(url));
      if (i >= WARMUP) times.push(t);
    }
    return times;
  };
  await new Promise((resolve) => {
    child.once('message', resolve);
    child.send({ type: 'changes-start' });
  });
  const before = await run();
  const clients = await openLiveClients(baseUrl, token, CLIENTS);
  const withClients = await run();
  const received = clients.events();
  clients.close();
  const after = await run();
  child.send({ type: 'changes-stop' });
  const without = median([...before, ...after]);
  const withLive = median(withClients);
  console.log(`\nlive: ${CLIENTS} clients on GET /helpdesk-admin/live, a change every 200 ms (${received.toLocaleString('en')} events delivered to them)`);
  console.log(`  inbox endpoint median without clients ${ms(without)} (${before.length + after.length} requests), with ${CLIENTS} clients ${ms(withLive)} (${withClients.length}): ${((withLive / without - 1) * 100).toFixed(1)}% added (target < 10%)`);
}

async function main() {
  const client = process.env.DATABASE_CLIENT === 'postgres' ? 'postgres' : 'sqlite';
  let database = null;
  let server = null;
  let floor = null;
  process.once('exit', () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  });
  try {
    console.log(`load average before the run: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
    process.stdout.write('compiling (helpdesk plugin, then compileStrapi) ... ');
    await require('../scripts/compile').compileHelpdesk();
    console.log('done');

    database = await freshDatabase('inbox', client, { firstAlone: true });
    process.stdout.write(`starting the server on ${client} and inserting ${TICKETS.toLocaleString('en')} tickets ... `);
    server = startServer('inbox-server.js', { ...BENCH_STRAPI_ENV, LOG_LEVEL: 'error', CRON_ENABLED: 'false', BENCH_TICKETS: String(TICKETS), BENCH_AGENT_PASSWORD: PASSWORD, ...database.env });
    const { port, admin, cases, seedMs } = await server.ready;
    const baseUrl = `http://127.0.0.1:${port}`;
    console.log(`inserted in ${(seedMs / 1000).toFixed(1)} s; listening on ${baseUrl}`);

    const login = await fetch(`${baseUrl}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.email, password: admin.password }),
    });
    const token = (await login.json())?.data?.token;
    if (!token) throw new Error(`admin login failed: ${login.status}`);
    const get = async (url) => {
      const response = await fetch(baseUrl + url, { headers: { authorization: `Bearer ${token}` } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.slice(0, 300)}`);
      return JSON.parse(body);
    };

    // one request each first: a broken endpoint shows its error before any timing
    for (const c of cases) {
      const answer = await get(c.url);
      if (answer.data.length !== 20) throw new Error(`${c.url} gave ${answer.data.length} rows (total ${answer.meta.pagination.total})`);
      const cm = await get(contentManagerUrl(c.url));
      if (cm.pagination.total !== answer.meta.pagination.total) throw new Error(`the Content Manager counted ${cm.pagination.total}, the inbox ${answer.meta.pagination.total}`);
    }

    floor = await database.connect();
    console.log(`measuring: ${WARMUP} warm-up + ${RUNS} runs each, one request at a time\n`);
    const results = cases.map(() => ({ endpoint: [], floor: [], documents: [], cm: [] }));
    for (let round = 0; round < WARMUP + RUNS; round += 1) {
      for (const [i, c] of cases.entries()) {
        const endpoint = await timed(() => get(c.url));
        const direct = await timed(() => floor.run(c.statements));
        const [documents] = await documentsTimes(server.child, i, 1);
        const cm = await timed(() => get(contentManagerUrl(c.url)));
        if (round < WARMUP) continue;
        results[i].endpoint.push(endpoint);
        results[i].floor.push(direct);
        results[i].documents.push(documents);
        results[i].cm.push(cm);
      }
    }

    console.log(`${client}: ${TICKETS.toLocaleString('en')} tickets, medians of ${RUNS}`);
    console.log('');
    console.log(`${'case'.padEnd(44)}${'total'.padStart(7)}${'endpoint'.padStart(11)}${'floor'.padStart(10)}${'documents'.padStart(11)}${'CM list'.padStart(10)}${'ep/floor'.padStart(10)}${'ep/docs'.padStart(9)}`);
    for (const [i, c] of cases.entries()) {
      const m = Object.fromEntries(Object.entries(results[i]).map(([key, times]) => [key, median(times)]));
      console.log(
        `${c.name.padEnd(44)}${String(c.total).padStart(7)}${ms(m.endpoint).padStart(11)}${ms(m.floor).padStart(10)}${ms(m.documents).padStart(11)}${ms(m.cm).padStart(10)}${(m.endpoint / m.floor).toFixed(2).padStart(10)}${(m.endpoint / m.documents).toFixed(2).padStart(9)}`
      );
    }
    console.log(`\n(floor: ${cases[0].statements.length} statements per request)`);

    await liveClientsCost({ baseUrl, token, get, url: cases[0].url, child: server.child });
  } finally {
    if (floor) await floor.close();
    if (server) await stopChild(server.child);
    if (database) await database.drop();
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
