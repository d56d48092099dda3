#!/usr/bin/env node
// npm run bench:ingest-floor — the floor under email-to-ticket ingestion: IMAP fetch + MIME parse,
// no database, no Strapi. Whatever the full pipeline adds (classify, thread, store) comes on top.
//
// Starts a throw-away Dovecot (scripts/test-services/dovecot.sh), APPENDs (MULTIAPPEND) the bench corpus
// (bench/mail-corpus.js: N mails, mixed sizes, some with a 50 KB attachment), then measures, each
// run in a fresh child process so that its peak RSS is the ingestion's own:
//   raw:      imapflow, one UID FETCH 1:* of every source (the IMAP transfer alone)
//   pipeline: the product's mailbox (src/mail-ingestion/mailbox.ts): fetchSince() in batches of
//             BENCH_BATCH, simpleParser on each mail, acknowledge() each batch (one STORE +\Seen);
//             measured cold (first pass in a new process) and warm (after BENCH_WARMUP passes)
// and prints mails/s and peak RSS.
//
// Environment knobs (all optional):
//   BENCH_MAILS (1000)  BENCH_BATCH (100, as INGEST_BATCH_SIZE)  BENCH_RUNS (3; the median is reported)
//   BENCH_SEED (1)      BENCH_WARMUP (1: passes over the mailbox before the measured, warm one)
const os = require('os');
const path = require('path');
const { fork } = require('child_process');
const corpus = require('./mail-corpus');

const MAILS = Number(process.env.BENCH_MAILS ?? 1000);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// ---- child: one measurement -------------------------------------------------------------------
async function measure(mode, env) {
  const { simpleParser } = require('mailparser');
  const { performance } = require('perf_hooks');
  const rssBefore = process.memoryUsage().rss;
  const server = {
    host: env.IMAP_HOST,
    port: Number(env.IMAP_PORT),
    user: env.IMAP_USERNAME,
    password: env.IMAP_PASSWORD,
  };

  if (mode === 'raw') {
    const client = await corpus.connect(server);
    await client.mailboxOpen('INBOX');
    const started = performance.now();
    let count = 0;
    let bytes = 0;
    for await (const message of client.fetch('1:*', { uid: true, source: true }, { uid: true })) {
      count += 1;
      bytes += message.source.length;
    }
    const fetchMs = performance.now() - started;
    await client.logout();
    return { count, bytes, fetchMs, rssBefore, peakRss: process.resourceUsage().maxRSS * 1024 };
  }

  // the product's TypeScript, transpiled on load (types are checked by npm run typecheck)
  require('ts-node').register({ transpileOnly: true, project: path.resolve(__dirname, '..', 'tsconfig.json') });
  const { readIngestionConfig } = require('../src/plugins/helpdesk/server/src/mail-ingestion/config.ts');
  const { openMailbox } = require('../src/plugins/helpdesk/server/src/mail-ingestion/mailbox.ts');
  const config = readIngestionConfig({ ...env, EMAIL_TO_TICKET_ENABLED: 'true', INGEST_BATCH_SIZE: String(BATCH) });

  // Pass 1 runs on a cold process (nothing compiled by the JIT yet), like the first poll after a
  // start; later passes read the same mails again warm, like a poller that has been running a while.
  const passes = [];
  for (let pass = 0; pass <= WARMUP; pass += 1) {
    const started = performance.now();
    const mailbox = await openMailbox(config.imap);
    const result = {
      openMs: performance.now() - started,
      fetchMs: 0,
      parseMs: 0,
      ackMs: 0,
      count: 0,
      bytes: 0,
      attachments: 0,
    };
    let cursor = 0;
    for (;;) {
      let t = performance.now();
      const batch = await mailbox.fetchSince(cursor, config.batchSize);
      result.fetchMs += performance.now() - t;
      if (batch.length === 0) break;
      t = performance.now();
      for (const mail of batch) {
        const parsed = await simpleParser(mail.source);
        result.attachments += parsed.attachments.length;
        result.bytes += mail.source.length;
      }
      result.parseMs += performance.now() - t;
      t = performance.now();
      await mailbox.acknowledge(batch.map((mail) => mail.uid));
      result.ackMs += performance.now() - t;
      result.count += batch.length;
      cursor = batch[batch.length - 1].uid;
    }
    await mailbox.close();
    passes.push(result);
  }
  return { ...passes[passes.length - 1], cold: passes[0], rssBefore, peakRss: process.resourceUsage().maxRSS * 1024 };
}

if (process.argv[2] === '--measure') {
  measure(process.argv[3], process.env).then(
    (result) => process.send(result, () => process.exit(0)),
    (error) => {
      console.error(error);
      process.exit(1);
    }
  );
  return;
}

function runChild(mode, env) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--measure', mode], { env: { ...process.env, BENCH_BATCH: String(BATCH), BENCH_WARMUP: String(WARMUP), ...env } });
    let result = null;
    child.on('message', (message) => (result = message));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && result ? resolve(result) : reject(new Error(`${mode} run exited with ${code}`))
    );
  });
}

/**
 * The floor for another bench (bench/ingest.js): one measuring child process over the mailbox at
 * `serverEnv` (IMAP_* settings, the mails already in INBOX): fetchSince in batches of `batch`,
 * simpleParser on each mail, one STORE per batch, `warmup` passes before the measured one. Resolves
 * with { count, fetchMs, parseMs, ackMs, cold: {...}, peakRss, mailsPerSecond (warm fetch + parse),
 * coldMailsPerSecond }.
 */
async function measureFloor(serverEnv, { batch = BATCH, warmup = WARMUP } = {}) {
  const result = await runChild('pipeline', { ...serverEnv, BENCH_BATCH: String(batch), BENCH_WARMUP: String(warmup) });
  const rate = (x) => (x.count / (x.fetchMs + x.parseMs)) * 1000;
  return { ...result, mailsPerSecond: rate(result), coldMailsPerSecond: rate({ ...result.cold, count: result.count }) };
}

// ---- parent -----------------------------------------------------------------------------------
async function main() {
  console.log(
    `load average before the run: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (${os.cpus().length} CPUs)`
  );
  let t = Date.now();
  const specs = corpus.describeCorpus(MAILS, SEED);
  const mails = await corpus.buildCorpus(specs, SEED);
  const summary = corpus.summarize(specs, mails);
  console.log(
    `corpus: ${summary.count} mails, ${mb(summary.bytes)} MB (${Object.entries(summary.kinds)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ')}; sizes ${summary.smallest} B / median ${summary.median} B / ${summary.largest} B; ` +
      `sha256 ${summary.sha256}), built in ${Date.now() - t} ms`
  );

  t = Date.now();
  const server = await corpus.startDovecot();
  const stopServer = () => server.stop().catch(() => {});
  process.once('SIGINT', () => stopServer().then(() => process.exit(130)));
  try {
    console.log(`Dovecot on 127.0.0.1:${server.port}, started in ${Date.now() - t} ms`);
    t = Date.now();
    await corpus.appendCorpus(server, 'INBOX', mails, { batchSize: BATCH });
    const appendMs = Date.now() - t;
    console.log(
      `APPEND: ${MAILS} mails in ${appendMs} ms (${Math.round((MAILS / appendMs) * 1000)} mails/s, ${Math.ceil(MAILS / BATCH)} MULTIAPPEND commands)`
    );

    const raw = [];
    const pipeline = [];
    for (let run = 1; run <= RUNS; run += 1) {
      raw.push(await runChild('raw', server.env));
      pipeline.push(await runChild('pipeline', server.env));
      const r = raw[raw.length - 1];
      const p = pipeline[pipeline.length - 1];
      for (const result of [r, p]) {
        if (result.count !== MAILS) throw new Error(`a run read ${result.count} mails, expected ${MAILS}`);
      }
      const rate = (x) => Math.round((MAILS / (x.fetchMs + x.parseMs)) * 1000);
      console.log(
        `run ${run}: raw UID FETCH 1:* ${r.fetchMs.toFixed(0)} ms (peak RSS ${mb(r.peakRss)} MB) | pipeline cold: ` +
          `fetch ${p.cold.fetchMs.toFixed(0)} + parse ${p.cold.parseMs.toFixed(0)} ms (${rate(p.cold)} mails/s), warm: ` +
          `fetch ${p.fetchMs.toFixed(0)} + parse ${p.parseMs.toFixed(0)} ms (${rate(p)} mails/s), ` +
          `+ack ${p.ackMs.toFixed(0)} ms in ${Math.ceil(MAILS / BATCH)} STOREs, login+select ${p.openMs.toFixed(0)} ms, ` +
          `${p.attachments} attachments, peak RSS ${mb(p.peakRss)} MB (${mb(p.rssBefore)} MB after loading)`
      );
    }

    const perSecond = (ms) => `${Math.round((MAILS / ms) * 1000)} mails/s`.padStart(13);
    const warm = (pick) => perSecond(median(pipeline.map(pick)));
    console.log('');
    console.log(`median of ${RUNS} runs, ${MAILS} mails, batches of ${BATCH}:`);
    console.log(`  raw IMAP fetch, one UID FETCH 1:*       ${perSecond(median(raw.map((r) => r.fetchMs)))}`);
    console.log(`  fetchSince, batched (warm)              ${warm((p) => p.fetchMs)}`);
    console.log(`  simpleParser (warm)                     ${warm((p) => p.parseMs)}`);
    console.log(`  floor: fetch + parse, cold process      ${warm((p) => p.cold.fetchMs + p.cold.parseMs)}`);
    console.log(`  floor: fetch + parse, warm              ${warm((p) => p.fetchMs + p.parseMs)}`);
    console.log(`  floor: fetch + parse + acknowledge, warm${warm((p) => p.fetchMs + p.parseMs + p.ackMs)}`);
    console.log(
      `  peak RSS of the pipeline process        ${mb(median(pipeline.map((p) => p.peakRss))).padStart(8)} MB`
    );
  } finally {
    await stopServer();
  }
}

module.exports = { measureFloor };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
