#!/usr/bin/env node
// npm run bench:guest — guest submission throughput against Strapi's plain core create.
//
// Compiles the project (dist/), starts it in a child process (bench/server.js) on a fresh temp
// SQLite database with SMTP pointed at a slow sink (500 ms per mail), creates and logs in an
// agent, then loads with autocannon, one phase after the other:
//   guest: POST /api/tickets/guest (public)
//   plain: POST /api/tickets (core create, agent JWT)
// and prints req/s, p50/p99 latency, the guest/plain ratio (target >= 0.8), mails received and
// outbox rows still queued.
//
// Environment knobs (all optional):
//   BENCH_CONNECTIONS (20)  BENCH_DURATION (10 s per phase)  BENCH_WARMUP (2 s per phase)
//   BENCH_PHASES (guest,plain: the order the phases run in)
//   BENCH_CPU_PROF=<dir>    run the child with --cpu-prof, profiles written to <dir>
//   BENCH_COUNT_QUERIES=1   print the SQL statements per request of each phase
//   BENCH_ENFORCE=1         exit 1 when the ratio is below the target
const { BENCH_STRAPI_ENV } = require('./strapi-env');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { fork } = require('child_process');

const appDir = path.resolve(__dirname, '..');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const PHASES = (process.env.BENCH_PHASES ?? 'guest,plain').split(',').map((p) => p.trim()).filter(Boolean);
const SMTP_DELAY_MS = 500;
const TARGET_RATIO = 0.8;
const AGENT = { email: 'bench-agent@example.test', password: 'Bench-Agent-Password-1' };

// ---- slow SMTP sink: accepts every message after SMTP_DELAY_MS ------------------------------
async function startSink() {
  const { SMTPServer } = require('smtp-server');
  const sink = { received: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.resume(); // the content does not matter
      stream.on('end', () =>
        setTimeout(() => {
          sink.received += 1;
          callback();
        }, SMTP_DELAY_MS)
      );
    },
  });
  server.on('error', () => {}); // a connection reset when the server process is killed
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  sink.port = server.server.address().port;
  sink.close = () => new Promise((resolve) => server.close(resolve));
  return sink;
}

// ---- the Strapi child ------------------------------------------------------------------------
function startServer(env) {
  const execArgv = [];
  if (process.env.BENCH_CPU_PROF) {
    fs.mkdirSync(process.env.BENCH_CPU_PROF, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`);
  }
  const child = fork(path.join(__dirname, 'server.js'), [], {
    cwd: appDir,
    env: { ...process.env, ...env },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 180 s')), 180_000);
    child.on('message', (message) => {
      if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve(message.port);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
  return { child, ready };
}

function askChild(child, type) {
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (message?.type !== type) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}

async function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ type: 'exit' }); // a normal exit writes the --cpu-prof profile
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// ---- requests --------------------------------------------------------------------------------
let sequence = 0;
const PRIORITIES = ['low', 'medium', 'high', 'urgent'];

/** Every ticket gets its own requester (so both phases create a contact each time) and text. */
function ticketFields() {
  const n = ++sequence;
  return {
    firstName: 'Bench',
    lastName: `Guest ${n}`,
    email: `bench-${process.pid}-${n}@example.test`,
    subject: `Bench ticket ${n}: printer on floor 3 is offline`,
    description: `Request ${n}. Since this morning the printer does not answer; we restarted it twice.`,
    priority: PRIORITIES[n % PRIORITIES.length],
  };
}

const PHASE_SETUP = {
  guest: {
    title: 'guest  POST /api/tickets/guest',
    path: '/api/tickets/guest',
    body: () => ({ data: { ...ticketFields(), phone: '+41 44 123 45 67', company: 'Bench AG' } }),
  },
  plain: {
    title: 'plain  POST /api/tickets (core)',
    path: '/api/tickets',
    body: () => ({ data: ticketFields() }),
    auth: true,
  },
};

async function request(baseUrl, method, urlPath, body, token) {
  const headers = { 'content-type': 'application/json', 'x-forwarded-proto': 'https' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(baseUrl + urlPath, { method, headers, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text };
}

/** One autocannon run; returns its result plus the first non-2xx response body seen. */
function load(baseUrl, phase, token, seconds) {
  const autocannon = require('autocannon');
  const headers = { 'content-type': 'application/json' };
  if (phase.auth) headers.authorization = `Bearer ${token}`;
  let firstError = null;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: baseUrl,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: phase.path,
            headers,
            setupRequest: (req) => ({ ...req, body: JSON.stringify(phase.body()) }),
            onResponse: (status, body) => {
              if ((status < 200 || status >= 300) && firstError === null) firstError = `${status} ${body}`;
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve({ result, firstError }))
    );
  });
}

/** after - before, for { key: { count, ms } } maps (keys that did not grow are left out). */
function delta(before, after) {
  const delta = {};
  for (const [sql, { count, ms }] of Object.entries(after ?? {})) {
    const d = { count: count - (before?.[sql]?.count ?? 0), ms: ms - (before?.[sql]?.ms ?? 0) };
    if (d.count > 0) delta[sql] = d;
  }
  return delta;
}

/** BENCH_COUNT_QUERIES=1: SQL statements per request of a phase, most SQLite time first. */
function printQueries(name, { queries, backgroundQueries, served }) {
  // per request the server answered during the phase (autocannon's total leaves out those in flight)
  const n = served.count || 1;
  const sum = (counts, field) => Object.values(counts).reduce((a, b) => a + b[field], 0);
  console.log(
    `\n${name}: ${served.count} requests served, ${(served.ms / n).toFixed(1)} ms each from parsed request to response; ` +
      `${(sum(queries, 'count') / n).toFixed(1)} SQL statements, ${(sum(queries, 'ms') / n).toFixed(2)} ms in SQLite per request`
  );
  console.log('  per req  SQLite ms/req  statement');
  Object.entries(queries)
    .sort((a, b) => b[1].ms - a[1].ms)
    .forEach(([sql, { count, ms }]) => console.log(`  ${(count / n).toFixed(2).padStart(7)}  ${(ms / n).toFixed(3).padStart(13)}  ${sql}`));
  console.log(
    `  (outside any request during the phase: ${sum(backgroundQueries, 'count')} statements, ${sum(backgroundQueries, 'ms').toFixed(0)} ms in SQLite)`
  );
}

// ---- main ------------------------------------------------------------------------------------
async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-bench-'));
  const dbFile = path.join(tmp, 'bench.db');
  let sink = null;
  let server = null;
  // last resort if something throws outside the try below (an 'error' event, say)
  process.once('exit', () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  try {
    // other work on the machine (tests, builds) skews the figures: say how busy it was
    console.log(`load average before the run: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
    process.stdout.write('compiling (helpdesk plugin, then compileStrapi) ... ');
    await require('../scripts/compile').compileHelpdesk();
    console.log('done');

    sink = await startSink();
    const env = {
      ...BENCH_STRAPI_ENV,
      LOG_LEVEL: 'warn',
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: dbFile,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      SMTP_FROM: 'support@bench.test',
      GUEST_RATE_LIMIT_MAX: '100000000',
      // production sets the agent's refresh cookie Secure: the login request below says it came
      // through a TLS-terminating proxy (X-Forwarded-Proto), as it would in a deployment
      TRUST_PROXY: 'true',
      BENCH_AGENT_EMAIL: AGENT.email,
      BENCH_AGENT_PASSWORD: AGENT.password,
    };
    process.stdout.write('starting the server (child process) ... ');
    server = startServer(env);
    const port = await server.ready;
    const baseUrl = `http://127.0.0.1:${port}`;
    console.log(`listening on ${baseUrl}, SMTP sink on port ${sink.port} (${SMTP_DELAY_MS} ms per mail)`);

    const login = await request(baseUrl, 'POST', '/api/auth/local', { identifier: AGENT.email, password: AGENT.password });
    const token = login.status === 200 ? JSON.parse(login.text).jwt : null;
    if (!token) throw new Error(`agent login failed: ${login.status} ${login.text}`);

    // one request each first, so that a broken endpoint shows its error before any load
    for (const name of PHASES) {
      const phase = PHASE_SETUP[name];
      if (!phase) throw new Error(`unknown phase ${name} (known: ${Object.keys(PHASE_SETUP).join(', ')})`);
      const probe = await request(baseUrl, 'POST', phase.path, phase.body(), phase.auth ? token : undefined);
      if (probe.status !== 201) throw new Error(`${phase.path} answered ${probe.status}: ${probe.text}`);
    }

    const results = {};
    for (const name of PHASES) {
      const phase = PHASE_SETUP[name];
      console.log(`${name}: ${WARMUP} s warm-up, then ${DURATION} s at ${CONNECTIONS} connections`);
      if (WARMUP > 0) await load(baseUrl, phase, token, WARMUP);
      const counting = process.env.BENCH_COUNT_QUERIES === '1';
      const before = counting ? (await askChild(server.child, 'stats')).stats : null;
      results[name] = await load(baseUrl, phase, token, DURATION);
      if (counting) {
        const after = (await askChild(server.child, 'stats')).stats;
        results[name].queries = delta(before.queries[phase.path], after.queries[phase.path]);
        results[name].backgroundQueries = delta(before.queries['(no request)'], after.queries['(no request)']);
        results[name].served = delta(before.requests, after.requests)[phase.path] ?? { count: 0, ms: 0 };
      }
    }

    // the outbox state while the server is still running (read-only; the child owns the file)
    const Database = require('better-sqlite3');
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    const statuses = Object.fromEntries(
      db.prepare('SELECT delivery_status AS status, COUNT(*) AS n FROM helpdesk_outbound_emails GROUP BY delivery_status').all().map((r) => [r.status, r.n])
    );
    const tickets = db.prepare('SELECT COUNT(*) AS n FROM helpdesk_tickets').get().n;
    db.close();
    const mails = sink.received;

    // ---- report --------------------------------------------------------------------------------
    const rows = PHASES.map((name) => {
      const { result } = results[name];
      return [
        PHASE_SETUP[name].title,
        result.requests.average.toFixed(1),
        String(result.latency.p50),
        String(result.latency.p99),
        String(result.requests.total),
        String(result.non2xx),
        String(result.errors + result.timeouts),
      ];
    });
    const header = ['phase', 'req/s (avg)', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    console.log('');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    rows.forEach((r) => console.log(line(r)));
    console.log('');

    let ratio = null;
    if (results.guest && results.plain) {
      ratio = results.guest.result.requests.average / results.plain.result.requests.average;
      console.log(`guest/plain throughput: ${ratio.toFixed(2)} (target >= ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`);
    }
    console.log(`tickets stored: ${tickets}`);
    console.log(`mails received by the sink: ${mails}`);
    console.log(
      `outbox rows: queued ${statuses.queued ?? 0}, sending ${statuses.sending ?? 0}, sent ${statuses.sent ?? 0}, failed ${statuses.failed ?? 0}`
    );

    let failed = false;
    for (const name of PHASES) {
      const { result, firstError } = results[name];
      if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
        failed = true;
        console.log(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts; first error: ${firstError}`);
      }
      if (results[name].queries) printQueries(name, results[name]);
    }
    if (failed) process.exitCode = 1;
    else if (process.env.BENCH_ENFORCE === '1' && ratio !== null && ratio < TARGET_RATIO) process.exitCode = 1;
  } finally {
    if (server) await stopChild(server.child);
    if (sink) await sink.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
