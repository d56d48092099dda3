#!/usr/bin/env node
// npm run bench:ingest — email-to-ticket end to end against its floor, and one contact with very
// many tickets.
//
// 1. Builds the bench corpus (bench/mail-corpus.js: N mails, new requests, HTML, replies, automatic
//    mail, some with a 50 KB attachment), starts a throw-away Dovecot and APPENDs it to INBOX.
// 2. Floor, in the same run: imapflow fetching and mailparser parsing the same mails, no database
//    (bench/ingest-floor.js's measuring child, warm pass).
// 3. End to end: the compiled Strapi (dist/, compiled first) in a child process (bench/ingest-server.js)
//    on a fresh SQLite file, SMTP unset (mail stays queued), runs ingestMailbox() over the backlog
//    in-process (no HTTP); prints mails/s, the ratio to the floor, the time Strapi's own Document
//    Service creates took (and the best ratio they leave), the child's peak RSS, its live heap after
//    a full collection before and after (--expose-gc), and what
//    became of every mail (tickets, comments, automatic, duplicates, quarantined), which must add
//    up to the corpus.
//    Then a pathological mix (bench/ingest-pathological.js: deep HTML, large images, very long
//    lines, many parts) from its own folder, one mail per run, and the slowest mail's time. A child
//    that boots Strapi and ingests nothing gives the idle RSS printed beside the ingesting one.
// 4. One contact with BENCH_CONTACT_TICKETS (100,000) tickets (bulk insert into tickets and
//    tickets_contact_lnk as Strapi writes them): BENCH_CREATES (200) Document Service creates for
//    that contact and for a fresh one, twice, interleaved, with the statements run on the link table
//    (the max(ticket_ord) Strapi runs to append a ticket to the contact's list, while it has one).
//
// Usage: npm run bench:ingest -- [--mails N] [--contact-tickets N] [--skip-contact] [--skip-ingest] [--skip-pathological]
// Environment knobs (all optional; the flags win):
//   BENCH_MAILS (1000)  BENCH_SEED (1)  BENCH_BATCH (INGEST_BATCH_SIZE for both, 100)
//   BENCH_CONTACT_TICKETS (100000; 0 skips step 4)  BENCH_CREATES (200)
//   BENCH_COUNT_QUERIES=1   SQL statements per mail, and the costliest statements
//   BENCH_CPU_PROF=<dir>    run the ingesting child with --cpu-prof
//   BENCH_INGEST_V8_FLAGS   V8 flags for the ingesting child (--max-old-space-size=200, say)
//   BENCH_ENFORCE=1         exit 1 when a target (100 mails/s; 400 MB peak RSS; slowest mail 2 s) is missed
const { BENCH_STRAPI_ENV } = require('./strapi-env');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { fork } = require('child_process');
const { parseArgs } = require('util');
const corpus = require('./mail-corpus');
const { measureFloor } = require('./ingest-floor');
const { pathologicalMails } = require('./ingest-pathological');

const appDir = path.resolve(__dirname, '..');
const TARGET_RATE = 100;
const TARGET_RSS_MB = 400;
const TARGET_SLOWEST_MS = 2000;
const PATHOLOGICAL_FOLDER = 'Pathological';

const { values: args } = parseArgs({
  options: {
    mails: { type: 'string' },
    'contact-tickets': { type: 'string' },
    'skip-contact': { type: 'boolean', default: false },
    'skip-ingest': { type: 'boolean', default: false },
    'skip-pathological': { type: 'boolean', default: false },
  },
});
const MAILS = Number(args.mails ?? process.env.BENCH_MAILS ?? 1000);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const CONTACT_TICKETS = args['skip-contact'] ? 0 : Number(args['contact-tickets'] ?? process.env.BENCH_CONTACT_TICKETS ?? 100000);
const CREATES = Number(process.env.BENCH_CREATES ?? 200);
const SUPPORT = corpus.SUPPORT;

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (count, ms) => Math.round((count / ms) * 1000);

/** Settings every Strapi child gets: fixed secrets, quiet logs, no cron, no SMTP (mail stays queued). */
function strapiEnv(databaseFile, extra = {}) {
  const env = {
    ...process.env,
    ...BENCH_STRAPI_ENV,
    LOG_LEVEL: 'error',
    CRON_ENABLED: 'false',
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: databaseFile,
    ...extra,
  };
  delete env.SMTP_HOST;
  delete env.DATABASE_URL;
  return env;
}

/** Runs bench/ingest-server.js in `mode`; resolves with its result. */
function runServer(mode, env) {
  // BENCH_INGEST_V8_FLAGS: V8 flags for the ingesting child only (--max-old-space-size=200, say)
  const execArgv = mode === 'ingest' && process.env.BENCH_INGEST_V8_FLAGS ? process.env.BENCH_INGEST_V8_FLAGS.split(/\s+/).filter(Boolean) : [];
  // the ingesting child measures its live heap after a full collection, before and after
  if (mode === 'ingest') execArgv.push('--expose-gc');
  if (mode === 'ingest' && process.env.BENCH_CPU_PROF) {
    fs.mkdirSync(process.env.BENCH_CPU_PROF, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`);
  }
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'ingest-server.js'), [mode], { cwd: appDir, env, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result = null;
    child.on('message', (message) => {
      if (message?.type === 'result') result = message.result;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 && result ? resolve(result) : reject(new Error(`the ${mode} child exited with ${code ?? signal}`))
    );
  });
}

function tempDatabase(label) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `helpdesk-bench-${label}-`));
  return { file: path.join(dir, 'bench.db'), drop: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** What the corpus should become: replies are comments, automatic mail a ticket that is not answered. */
function expectedOutcomes(specs) {
  const kinds = {};
  for (const spec of specs) kinds[spec.kind] = (kinds[spec.kind] ?? 0) + 1;
  return { tickets: specs.length - (kinds.reply ?? 0) - (kinds.auto ?? 0), automatic: kinds.auto ?? 0, comments: kinds.reply ?? 0 };
}

async function benchIngest() {
  let t = Date.now();
  const specs = corpus.describeCorpus(MAILS, SEED);
  const mails = await corpus.buildCorpus(specs, SEED);
  const summary = corpus.summarize(specs, mails);
  console.log(
    `corpus: ${summary.count} mails, ${(summary.bytes / 1024 / 1024).toFixed(1)} MB (${Object.entries(summary.kinds)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ')}; sha256 ${summary.sha256}), built in ${Date.now() - t} ms`
  );
  mails.length = 0; // appended below from a rebuilt copy: keep the parent small

  const server = await corpus.startDovecot();
  const database = tempDatabase('ingest');
  process.once('SIGINT', () => server.stop().finally(() => process.exit(130)));
  try {
    t = Date.now();
    // appended in slices, so that a 5,000-mail corpus is never held whole by this process either
    const SLICE = 500;
    for (let start = 0; start < specs.length; start += SLICE) {
      const slice = await corpus.buildCorpus(specs.slice(start, start + SLICE), SEED);
      await corpus.appendCorpus(server, 'INBOX', slice, { batchSize: BATCH });
    }
    console.log(`Dovecot on 127.0.0.1:${server.port}; APPEND ${MAILS} mails in ${Date.now() - t} ms`);
    const pathological = args['skip-pathological'] ? [] : pathologicalMails();
    if (pathological.length > 0) {
      const built = [];
      for (const mail of pathological) built.push(await mail.build());
      await corpus.appendCorpus(server, PATHOLOGICAL_FOLDER, built, { batchSize: 1 });
      console.log(`pathological mix: ${pathological.length} mails, ${(built.reduce((sum, mail) => sum + mail.length, 0) / 1024 / 1024).toFixed(1)} MB, in folder ${PATHOLOGICAL_FOLDER}`);
    }

    process.stdout.write('idle: a booted Strapi that ingests nothing ... ');
    const idleDatabase = tempDatabase('idle');
    const idle = await runServer('idle', strapiEnv(idleDatabase.file)).finally(() => idleDatabase.drop());
    console.log(`peak RSS ${mb(idle.peakRss)}`);

    process.stdout.write('floor: fetch + parse, no database ... ');
    const floor = await measureFloor(server.env, { batch: BATCH, warmup: 1 });
    if (floor.count !== MAILS) throw new Error(`the floor read ${floor.count} mails, expected ${MAILS}`);
    console.log(`${Math.round(floor.mailsPerSecond)} mails/s warm (cold ${Math.round(floor.coldMailsPerSecond)}), peak RSS ${mb(floor.peakRss)}`);

    process.stdout.write('end to end: ingestMailbox on a fresh SQLite database ... ');
    const result = await runServer(
      'ingest',
      strapiEnv(database.file, {
        ...server.env,
        EMAIL_TO_TICKET_ENABLED: 'true',
        SUPPORT_EMAIL: SUPPORT,
        SMTP_FROM: SUPPORT,
        INGEST_BATCH_SIZE: String(BATCH),
        ...(pathological.length > 0 ? { BENCH_PATHOLOGICAL_FOLDER: PATHOLOGICAL_FOLDER } : {}),
      })
    );
    const seconds = result.ms / 1000;
    const endToEnd = rate(result.report.fetched, result.ms);
    console.log(`${seconds.toFixed(1)} s`);

    const o = result.report.outcomes;
    const automatic = result.outcomes.ticket_created_automatic ?? 0;
    const counted = o.ticket_created + o.comment_added + o.bounce_recorded + o.ignored_duplicate + o.quarantined + o.too_large;
    const expected = expectedOutcomes(specs);
    console.log('');
    console.log(`mail ingestion, ${MAILS} mails, batches of ${BATCH}, SQLite (${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)})`);
    console.log(`  mails                         ${String(result.report.fetched).padStart(8)}`);
    console.log(`  seconds                       ${seconds.toFixed(1).padStart(8)}`);
    console.log(`  end to end                    ${String(endToEnd).padStart(8)} mails/s   target >= ${TARGET_RATE}: ${endToEnd >= TARGET_RATE ? 'met' : 'NOT met'}`);
    console.log(`  CPU of the ingesting process  ${(result.cpuMs / 1000).toFixed(1).padStart(8)} s (${rate(result.report.fetched, result.cpuMs)} mails per CPU second; wall time stretches with other load)`);
    console.log(`  floor (fetch + parse, warm)   ${String(Math.round(floor.mailsPerSecond)).padStart(8)} mails/s`);
    console.log(`  ratio floor / end to end      ${(floor.mailsPerSecond / endToEnd).toFixed(1).padStart(8)}`);
    const creates = Object.entries(result.strapiCreates);
    const createsMs = creates.reduce((sum, [, c]) => sum + c.ms, 0);
    const floorPlusCreates = rate(MAILS, 1000 * (MAILS / floor.mailsPerSecond) + createsMs);
    console.log(
      `  of it, Strapi's own creates    ${(createsMs / 1000).toFixed(1).padStart(8)} s (${creates.map(([uid, c]) => `${c.count} ${uid.split('.').pop()} at ${(c.ms / c.count).toFixed(1)} ms`).join(', ')}: ` +
        `the Document Service's validation, insert and read-back, none of our hooks)`
    );
    console.log(`  floor + those creates alone   ${String(floorPlusCreates).padStart(8)} mails/s (ratio ${(floor.mailsPerSecond / floorPlusCreates).toFixed(1)}: the best any code around them could do)`);
    console.log(`  peak RSS, ingesting process   ${mb(result.peakRss).padStart(8)} (${mb(result.rssAfterBoot)} after Strapi's boot)   target < ${TARGET_RSS_MB} MB: ${result.peakRss < TARGET_RSS_MB * 1024 * 1024 ? 'met' : 'NOT met'}`);
    console.log(`  peak RSS, idle booted Strapi   ${mb(idle.peakRss).padStart(8)} (the same boot, no ingestion: what of the above is Strapi's own)`);
    console.log(`    while ingesting, largest: heap used ${mb(result.memory.heapUsed)}, heap ${mb(result.memory.heapTotal)}, external ${mb(result.memory.external)} (sampled every 50 ms)`);
    console.log(
      `    live heap after a full collection: ${mb(result.liveHeap.before)} before ingesting, ${mb(result.liveHeap.after)} after ` +
        `(what is kept; the rest of the peak is garbage V8 had not yet collected)`
    );
    console.log(`  peak RSS, floor process       ${mb(floor.peakRss).padStart(8)}`);
    console.log(
      `  outcomes: ${o.ticket_created - automatic} tickets + ${automatic} automatic (tickets, not answered) + ${o.comment_added} comments + ` +
        `${o.ignored_duplicate} duplicates + ${o.quarantined} quarantined + ${o.too_large} too large + ${o.bounce_recorded} bounces = ${counted} ` +
        `(${counted === MAILS ? 'every mail' : `NOT the ${MAILS} mails`}); corpus: ${expected.tickets} new, ${expected.automatic} automatic, ${expected.comments} replies`
    );
    console.log(
      `  database: ${result.tickets} tickets, ${result.comments} comments, ${result.contacts} contacts, ${result.attachments} attachments, ` +
        `${result.inbound} inbound records, ${result.outbox} outbox rows (queued: SMTP unset)`
    );
    if (result.statements !== null) {
      console.log(`  SQL statements: ${result.statements} (${(result.statements / MAILS).toFixed(1)} per mail); costliest:`);
      for (const q of result.topStatements) console.log(`    ${q.ms.toFixed(0).padStart(6)} ms ${String(q.count).padStart(6)}x  ${q.sql}`);
    }
    let slowest = null;
    if (pathological.length > 0) {
      console.log(`  pathological mix, each mail ingested alone (fetch to commit):`);
      result.pathological.forEach((mail, i) => {
        console.log(`    ${mail.ms.toFixed(0).padStart(6)} ms  ${(pathological[i]?.label ?? '?').padEnd(58)} ${mail.line.slice(0, 90)}`);
        if (!slowest || mail.ms > slowest.ms) slowest = { ...mail, label: pathological[i]?.label };
      });
      if (result.pathological.length !== pathological.length) throw new Error(`ingested ${result.pathological.length} of the ${pathological.length} pathological mails`);
      console.log(`  slowest mail                  ${slowest.ms.toFixed(0).padStart(8)} ms (${slowest.label})   target < ${TARGET_SLOWEST_MS} ms: ${slowest.ms < TARGET_SLOWEST_MS ? 'met' : 'NOT met'}`);
    }
    if (counted !== MAILS || result.inbound !== MAILS) throw new Error('the outcomes do not add up to the corpus');
    return { endToEnd, floor: floor.mailsPerSecond, peakRss: result.peakRss, slowestMs: slowest?.ms ?? 0 };
  } finally {
    await server.stop().catch(() => {});
    database.drop();
  }
}

async function benchContact() {
  const database = tempDatabase('contact');
  try {
    process.stdout.write(`\none contact with ${CONTACT_TICKETS.toLocaleString('en')} tickets: seeding, then ${CREATES} creates for it and for a fresh contact, twice ... `);
    const r = await runServer('contact', strapiEnv(database.file, { BENCH_CONTACT_TICKETS: String(CONTACT_TICKETS), BENCH_CREATES: String(CREATES) }));
    console.log(`seeded in ${(r.seedMs / 1000).toFixed(1)} s`);
    console.log(`  ${r.table} (${r.columns.join(', ')}): ${r.orderColumn ? `the contact side orders its tickets (${r.orderColumn})` : 'no order column on the contact side'}`);
    const line = (label, x) =>
      console.log(
        `    ${label.padEnd(38)} ${x.meanMs.toFixed(1).padStart(6)} ms mean ${x.medianMs.toFixed(1).padStart(6)} ms median ${String(Math.round(x.perSecond)).padStart(5)}/s  ${x.statementsPerCreate.toFixed(1)} statements per create`
      );
    r.rounds.forEach((round, i) => {
      console.log(`  round ${i + 1}: ${CREATES} Document Service creates each`);
      line(`contact with ${CONTACT_TICKETS.toLocaleString('en')} tickets`, round.heavy);
      line('fresh contact', round.fresh);
    });
    const link = r.rounds[r.rounds.length - 1].heavy.linkStatements;
    console.log(`  statements on ${r.table} per create for the contact with ${CONTACT_TICKETS.toLocaleString('en')} tickets (last round):`);
    for (const q of link) console.log(`    ${q.msEach.toFixed(2).padStart(7)} ms each ${String(q.count).padStart(5)}x  ${q.sql}`);
    for (const [label, x] of [[`contact with ${CONTACT_TICKETS.toLocaleString('en')} tickets`, r.rounds[r.rounds.length - 1].heavy], ['fresh contact', r.rounds[r.rounds.length - 1].fresh]]) {
      console.log(`  costliest statements, ${label} (last round):`);
      for (const q of x.top) console.log(`    ${q.msEach.toFixed(2).padStart(7)} ms each ${String(q.count).padStart(5)}x  ${q.sql}`);
    }
    return r;
  } finally {
    database.drop();
  }
}

async function main() {
  console.log(`load average before the run: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
  process.stdout.write('compiling (helpdesk plugin, then compileStrapi) ... ');
  await require('../scripts/compile').compileHelpdesk();
  console.log('done');
  let missed = false;
  if (!args['skip-ingest'] && MAILS > 0) {
    const ingest = await benchIngest();
    missed ||= ingest.endToEnd < TARGET_RATE || ingest.peakRss >= TARGET_RSS_MB * 1024 * 1024 || ingest.slowestMs >= TARGET_SLOWEST_MS;
  }
  if (CONTACT_TICKETS > 0) await benchContact();
  if (process.env.BENCH_ENFORCE === '1' && missed) process.exitCode = 1;
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
