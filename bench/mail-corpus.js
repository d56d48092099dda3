// A reproducible corpus of support mails for the ingestion benches, and the Dovecot to put it in.
// Shared by bench/ingest-floor.js (IMAP fetch + parse, no database) and the full ingestion bench,
// so both measure the same mails.
//
//   const corpus = require('./mail-corpus');
//   const specs = corpus.describeCorpus(1000);        // what each mail is (kind, ids, sizes)
//   const mails = await corpus.buildCorpus(specs);   // Buffers, RFC 5322
//   const server = await corpus.startDovecot();      // scripts/test-services/dovecot.sh
//   await corpus.appendCorpus(server, 'INBOX', mails);
//   await server.stop();
//
// Mix (deterministic for a given count and seed): about 55 % new requests in plain text, 15 %
// multipart/alternative with HTML, 10 % with a 50 KB PDF-like attachment, 15 % replies to an earlier
// mail of the corpus (In-Reply-To/References, "Re:" subject, quoted text) and 5 % automatic mail
// (auto-replies and a list mail). Sizes run from about 1 KB to about 70 KB.
const fs = require('fs');
const os = require('os');
const net = require('net');
const path = require('path');
const crypto = require('crypto');
const { execFile } = require('child_process');
const { promisify } = require('util');
const { ImapFlow } = require('imapflow');
const MailComposer = require('nodemailer/lib/mail-composer');

const SCRIPT = path.resolve(__dirname, '..', 'scripts', 'test-services', 'dovecot.sh');
const SUPPORT = 'support@helpdesk.example.test';
const ATTACHMENT_BYTES = 50 * 1024;

/** Small deterministic PRNG (mulberry32): the same seed gives the same corpus on every machine. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the invoice printer login password account order delivery refund screen error report update ' +
  'please could you help urgent again since yesterday working broken page export customer server ' +
  'we our team cannot access shows message when trying after upgrade thanks regards issue still'
).split(' ');

function sentence(next, words) {
  const picked = Array.from({ length: words }, () => WORDS[Math.floor(next() * WORDS.length)]);
  const text = picked.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

function paragraphs(next, count) {
  return Array.from({ length: count }, () =>
    Array.from({ length: 3 + Math.floor(next() * 4) }, () => sentence(next, 6 + Math.floor(next() * 10))).join(' ')
  ).join('\n\n');
}

/**
 * What each mail of an n-mail corpus is, without building it: kind ('new' | 'html' | 'attachment' |
 * 'reply' | 'auto'), messageId, inReplyTo (the Message-ID of an earlier mail, for replies), from,
 * subject and the paragraph count. A full bench can compare its tickets with this.
 */
function describeCorpus(count = 1000, seed = 1) {
  const next = random(seed);
  const specs = [];
  // mails a reply can answer (automatic mail is never answered)
  const answerable = [];
  const customers = Math.max(10, Math.round(count / 8));
  for (let i = 0; i < count; i += 1) {
    const roll = next();
    const customer = Math.floor(next() * customers);
    const from = `Customer ${customer} <customer${customer}@example.test>`;
    const messageId = `<bench-${seed}-${i}@corpus.example.test>`;
    let kind = 'new';
    if (roll >= 0.95) kind = 'auto';
    else if (roll >= 0.8) kind = answerable.length > 0 ? 'reply' : 'new';
    else if (roll >= 0.7) kind = 'attachment';
    else if (roll >= 0.55) kind = 'html';
    const spec = { index: i, kind, messageId, from, inReplyTo: null, references: [], subject: '', paragraphs: 0 };
    if (kind === 'reply') {
      const parent = answerable[Math.floor(next() * answerable.length)];
      spec.inReplyTo = parent.messageId;
      spec.references = [...parent.references, parent.messageId];
      spec.from = parent.from;
      spec.subject = parent.subject.startsWith('Re: ') ? parent.subject : `Re: ${parent.subject}`;
      spec.paragraphs = 1 + Math.floor(next() * 2);
    } else {
      spec.subject = `${sentence(next, 3 + Math.floor(next() * 5)).slice(0, -1)} (#${i})`;
      // mostly short, a few long ones (up to ~20 KB of text)
      spec.paragraphs = next() < 0.9 ? 1 + Math.floor(next() * 4) : 20 + Math.floor(next() * 30);
    }
    specs.push(spec);
    if (kind !== 'auto') answerable.push(spec);
  }
  return specs;
}

/** The RFC 5322 message for one spec (deterministic: the date is fixed, the attachment seeded). */
async function buildMail(spec, seed = 1) {
  const next = random(seed * 1_000_003 + spec.index);
  const date = new Date(Date.UTC(2025, 0, 1) + spec.index * 60_000);
  const text = paragraphs(next, spec.paragraphs);
  const mail = {
    from: spec.from,
    to: SUPPORT,
    subject: spec.subject,
    messageId: spec.messageId,
    date,
    text,
    headers: {},
    // fixed MIME boundaries: the same corpus byte for byte (nodemailer draws them at random)
    baseBoundary: `bench${seed}x${spec.index}`,
    // CRLF throughout, as mail arrives over SMTP (text with bare \n would otherwise keep it)
    newline: 'windows',
  };
  if (spec.kind === 'reply') {
    mail.inReplyTo = spec.inReplyTo;
    mail.references = spec.references;
    // a reply quotes what it answers, as mail clients do
    mail.text = `${text}\n\nOn Wed, 1 Jan 2025 at 10:00, Support <${SUPPORT}> wrote:\n> ${paragraphs(next, 2).replace(/\n/g, '\n> ')}`;
  }
  if (spec.kind === 'html') {
    mail.html = `<html><body>${text
      .split('\n\n')
      .map((p) => `<p style="font-family:Arial">${p}</p>`)
      .join(
        ''
      )}<p><img src="https://tracker.example.test/pixel.gif?id=${spec.index}" width="1" height="1"></p></body></html>`;
  }
  if (spec.kind === 'attachment') {
    const content = Buffer.alloc(ATTACHMENT_BYTES);
    for (let i = 0; i < content.length; i += 4) content.writeUInt32LE((next() * 4294967296) >>> 0, i);
    mail.attachments = [{ filename: `report-${spec.index}.pdf`, content, contentType: 'application/pdf' }];
  }
  if (spec.kind === 'auto') {
    if (spec.index % 2 === 0) {
      mail.subject = `Automatic reply: ${spec.subject}`;
      mail.headers['Auto-Submitted'] = 'auto-replied';
      mail.headers['X-Autoreply'] = 'yes';
    } else {
      mail.headers['List-Id'] = '<news.example.test>';
      mail.headers['List-Unsubscribe'] = '<mailto:unsubscribe@example.test>';
      mail.headers.Precedence = 'bulk';
    }
  }
  return new MailComposer(mail).compile().build();
}

/** Builds every mail of the specs (from describeCorpus) in order. */
async function buildCorpus(specs, seed = 1) {
  const mails = [];
  for (const spec of specs) mails.push(await buildMail(spec, seed));
  return mails;
}

/**
 * A throw-away Dovecot (scripts/test-services/dovecot.sh) for a bench; stopped by stop(), and by
 * the script's watchdog should this process die first.
 */
async function startDovecot() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-bench-dovecot-'));
  const { stdout } = await promisify(execFile)(SCRIPT, ['start', dir], {
    env: { ...process.env, DOVECOT_WATCH_PID: String(process.pid) },
  });
  const values = Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2))
  );
  let stopped = false;
  return {
    dir,
    host: values.IMAP_HOST,
    port: Number(values.IMAP_PORT),
    imapsPort: Number(values.IMAPS_PORT),
    user: values.IMAP_USERNAME,
    password: values.IMAP_PASSWORD,
    /** The settings as the product reads them (plain IMAP, no STARTTLS). */
    env: {
      IMAP_HOST: values.IMAP_HOST,
      IMAP_PORT: values.IMAP_PORT,
      IMAP_USERNAME: values.IMAP_USERNAME,
      IMAP_PASSWORD: values.IMAP_PASSWORD,
      IMAP_USE_SSL: 'false',
      IMAP_STARTTLS: 'false',
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await promisify(execFile)(SCRIPT, ['stop', dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A logged-in imapflow client (plain IMAP, no STARTTLS). */
function connect(server) {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: server.user, pass: server.password },
    logger: false,
  });
  client.on('error', () => {}); // the command in flight rejects with it
  return client.connect().then(() => client);
}

/**
 * APPENDs the mails to `folder` in corpus order, so that UIDs follow it (a reply always comes after
 * the mail it answers). `batchSize` mails go in one MULTIAPPEND command (RFC 3502) with LITERAL+:
 * one round trip and one mailbox transaction per batch, where imapflow's append() costs both per
 * mail (about 3-5 ms each against Dovecot). Creates the folder unless it is INBOX. Returns the UIDs.
 */
async function appendCorpus(server, folder, mails, { batchSize = 100, flags = [] } = {}) {
  const connection = await rawImap(server);
  try {
    const login = await connection.command(`LOGIN ${quote(server.user)} ${quote(server.password)}`);
    const capabilities = /\[CAPABILITY ([^\]]*)\]/.exec(login)?.[1].split(' ') ?? [];
    if (!capabilities.includes('MULTIAPPEND') || !capabilities.includes('LITERAL+')) {
      throw new Error('appendCorpus needs an IMAP server with MULTIAPPEND and LITERAL+ (Dovecot has both)');
    }
    if (folder.toUpperCase() !== 'INBOX') await connection.command(`CREATE ${quote(folder)}`);
    const flagList = `(${flags.join(' ')})`;
    const uids = [];
    for (let start = 0; start < mails.length; start += batchSize) {
      const parts = [`APPEND ${quote(folder)}`];
      for (const mail of mails.slice(start, start + batchSize)) {
        parts.push(Buffer.from(` ${flagList} {${mail.length}+}\r\n`), mail);
      }
      // [APPENDUID <uidvalidity> <uid set>] (UIDPLUS) names the new UIDs in order
      const answer = await connection.command(parts);
      const set = /\[APPENDUID \d+ ([\d:,]+)\]/.exec(answer)?.[1];
      if (!set) throw new Error(`APPEND answered without APPENDUID: ${answer}`);
      for (const range of set.split(',')) {
        const [low, high = low] = range.split(':').map(Number);
        for (let uid = Math.min(low, high); uid <= Math.max(low, high); uid += 1) uids.push(uid);
      }
    }
    await connection.command('LOGOUT');
    return uids;
  } finally {
    connection.close();
  }
}

function quote(text) {
  return `"${String(text).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The least IMAP client that can send MULTIAPPEND: command(parts) writes a tagged command (parts:
 * strings and Buffers, joined as they are) and resolves with its tagged OK line, rejects on NO/BAD.
 */
function rawImap(server) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, server.host);
    let buffered = '';
    let waiting = null; // { tag, resolve, reject }
    let greeted = false;
    let counter = 0;
    socket.setEncoding('latin1');
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      buffered += chunk;
      let end;
      while ((end = buffered.indexOf('\r\n')) !== -1) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (!greeted) {
          greeted = true;
          socket.off('error', reject);
          socket.on('error', (error) => waiting?.reject(error));
          resolve({ command, close: () => socket.destroy() });
        } else if (waiting && line.startsWith(`${waiting.tag} `)) {
          const current = waiting;
          waiting = null;
          if (line.startsWith(`${current.tag} OK`)) current.resolve(line);
          else current.reject(new Error(`IMAP: ${line}`));
        }
      }
    });
    function command(parts) {
      const tag = `B${++counter}`;
      return new Promise((resolveCommand, rejectCommand) => {
        waiting = { tag, resolve: resolveCommand, reject: rejectCommand };
        const chunks = (Array.isArray(parts) ? parts : [parts]).map((part) =>
          Buffer.isBuffer(part) ? part : Buffer.from(part)
        );
        socket.write(Buffer.concat([Buffer.from(`${tag} `), ...chunks, Buffer.from('\r\n')]));
      });
    }
  });
}

/** Total bytes and the counts per kind, for the bench's header line. */
function summarize(specs, mails) {
  const kinds = {};
  for (const spec of specs) kinds[spec.kind] = (kinds[spec.kind] ?? 0) + 1;
  const bytes = mails.reduce((sum, mail) => sum + mail.length, 0);
  const sizes = mails.map((mail) => mail.length).sort((a, b) => a - b);
  const digest = crypto.createHash('sha256');
  for (const mail of mails) digest.update(mail);
  return {
    count: mails.length,
    bytes,
    kinds,
    smallest: sizes[0] ?? 0,
    median: sizes[Math.floor(sizes.length / 2)] ?? 0,
    largest: sizes[sizes.length - 1] ?? 0,
    // the same hash on two machines means the same corpus
    sha256: digest.digest('hex').slice(0, 16),
  };
}

module.exports = { describeCorpus, buildMail, buildCorpus, startDovecot, connect, appendCorpus, summarize, SUPPORT };
