#!/usr/bin/env node
// npm run bench:stats — ticket statistics and the filtered list on 100,000 tickets.
//
// Compiles the project (dist/), starts it in a child process (bench/stats-server.js) on a fresh
// database (a temp SQLite file; with DATABASE_CLIENT=postgres, a new database on the server at
// DATABASE_URL, dropped afterwards), which bulk-inserts the tickets (a year of them, realistic
// spreads of status, priority, category and source, about 30% unassigned, 5 agents). Then, one
// request at a time, BENCH_RUNS rounds after a warm-up (each round runs every measured call once, in
// turn, so that other load on the machine falls on all alike), it measures side by side:
//   statistics: GET /api/tickets/statistics (agent JWT)  vs  the same SQL statements run directly
//               on the database by this process (the floor; same concurrency as the endpoint:
//               one after the other on SQLite, in parallel on PostgreSQL). Target: ratio <= 2.
//   list:       GET /api/tickets?filters[ticketStatus][$eq]=open&filters[priority][$eq]=high&unassigned=true
//               page 1 (target < 50 ms)  vs  Strapi's plain list with the same Strapi filters, and
//               with unassigned written as a Strapi filter (the query ours becomes).
// and prints medians.
//
// Environment knobs (all optional):
//   BENCH_TICKETS (100000)  BENCH_RUNS (30)  BENCH_WARMUP (3)  BENCH_AGENTS (5)
//   BENCH_ENFORCE=1         exit 1 when a target is missed
const { BENCH_STRAPI_ENV } = require('./strapi-env');
const os = require('os');
const { appDir, median, ms, freshDatabase, startServer, stopChild } = require('./harness');
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const PASSWORD = 'Bench-Agent-Password-1';
const TARGET_RATIO = 2;
const TARGET_LIST_MS = 50;

const STATUS_PRIORITY = 'filters[ticketStatus][$eq]=open&filters[priority][$eq]=high';
const LISTS = [
  ['ours   ?…&unassigned=true', `/api/tickets?${STATUS_PRIORITY}&unassigned=true`],
  ['Strapi ?… (same filters, without unassigned)', `/api/tickets?${STATUS_PRIORITY}`],
  ['Strapi ?…&filters[assignee][id][$null]=true', `/api/tickets?${STATUS_PRIORITY}&filters[assignee][id][$null]=true`],
  ['Strapi /api/tickets (no filters)', '/api/tickets'],
];


// ---- measuring ---------------------------------------------------------------------------------
async function timed(work) {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * Median and minimum wall time of each of `works` over RUNS rounds, after WARMUP rounds. A round
 * runs each once, in turn, so that load from elsewhere on the machine falls on all of them alike.
 */
async function measure(works) {
  for (let i = 0; i < WARMUP; i += 1) for (const work of works) await work();
  const times = works.map(() => []);
  for (let i = 0; i < RUNS; i += 1) {
    for (const [j, work] of works.entries()) times[j].push(await timed(work));
  }
  return times.map((series) => ({ median: median(series), min: Math.min(...series) }));
}

async function main() {
  const client = process.env.DATABASE_CLIENT === 'postgres' ? 'postgres' : 'sqlite';
  let database = null;
  let server = null;
  let floorConnection = null;
  process.once('exit', () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  });
  try {
    console.log(`load average before the run: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
    process.stdout.write('compiling (helpdesk plugin, then compileStrapi) ... ');
    await require('../scripts/compile').compileHelpdesk();
    console.log('done');

    database = await freshDatabase('stats', client);
    process.stdout.write(`starting the server on ${client} and inserting ${TICKETS.toLocaleString('en')} tickets ... `);
    server = startServer('stats-server.js', {
      ...BENCH_STRAPI_ENV,
      LOG_LEVEL: 'error',
      TRUST_PROXY: 'true',
      BENCH_TICKETS: String(TICKETS),
      BENCH_AGENT_PASSWORD: PASSWORD,
      ...database.env,
    });
    const { port, agents, statements, seedMs } = await server.ready;
    const baseUrl = `http://127.0.0.1:${port}`;
    console.log(`inserted in ${(seedMs / 1000).toFixed(1)} s; listening on ${baseUrl}`);

    // production marks the refresh cookie Secure: log in as if through a TLS proxy (as bench:guest)
    const login = await fetch(`${baseUrl}/api/auth/local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ identifier: agents[0].email, password: PASSWORD }),
    });
    const { jwt } = await login.json();
    if (!jwt) throw new Error(`agent login failed: ${login.status}`);

    const get = async (url) => {
      const response = await fetch(baseUrl + url, { headers: { authorization: `Bearer ${jwt}` } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.slice(0, 300)}`);
      return JSON.parse(body);
    };

    // one request each first, so that a broken endpoint shows its error before any timing
    const stats = (await get('/api/tickets/statistics')).data;
    if (stats.total !== TICKETS) throw new Error(`statistics counted ${stats.total} tickets, not ${TICKETS}`);
    const listTotals = [];
    for (const [, url] of LISTS) listTotals.push((await get(url)).meta.pagination.total);

    floorConnection = await database.connect();
    console.log(`measuring: ${WARMUP} warm-up + ${RUNS} runs each, one request at a time\n`);
    const [endpoint, floor] = await measure([() => get('/api/tickets/statistics'), () => floorConnection.run(statements)]);
    const listTimes = await measure(LISTS.map(([, url]) => () => get(url)));
    const lists = LISTS.map(([label], i) => [label, listTimes[i]]);

    // ---- report ------------------------------------------------------------------------------
    const ratio = endpoint.median / floor.median;
    const ours = lists[0][1].median;
    console.log(`${client}: ${TICKETS.toLocaleString('en')} tickets (unassigned ${stats.unassigned.toLocaleString('en')}, overdue ${stats.overdue.toLocaleString('en')})`);
    console.log('');
    console.log('statistics                                    median       min');
    console.log(`  GET /api/tickets/statistics             ${ms(endpoint.median).padStart(10)}  ${ms(endpoint.min).padStart(8)}`);
    console.log(`  same SQL, directly (floor)              ${ms(floor.median).padStart(10)}  ${ms(floor.min).padStart(8)}  (${statements.length} statements)`);
    console.log(`  ratio endpoint / floor                  ${ratio.toFixed(2).padStart(10)}            target <= ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}`);
    console.log('');
    console.log('list, page 1 (25 per page)                                        median       min    total');
    lists.forEach(([label, result], i) =>
      console.log(`  ${label.padEnd(62)}${ms(result.median).padStart(10)}  ${ms(result.min).padStart(8)}  ${String(listTotals[i]).padStart(7)}`)
    );
    console.log(`  filtered list target < ${TARGET_LIST_MS} ms: ${ours < TARGET_LIST_MS ? 'met' : 'NOT met'}`);
    if (process.env.BENCH_ENFORCE === '1' && (ratio > TARGET_RATIO || ours >= TARGET_LIST_MS)) process.exitCode = 1;
  } finally {
    if (floorConnection) await floorConnection.close();
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
