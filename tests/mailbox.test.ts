import fs from 'node:fs';
import net from 'node:net';
import { simpleParser } from 'mailparser';
import type { Logger } from 'imapflow';
import {
  IngestionConfigError,
  ingestionActive,
  ingestionStatusLine,
  readIngestionConfig,
} from '../src/plugins/helpdesk/server/src/mail-ingestion/config';
import {
  MailboxError,
  openMailbox,
  parseSequenceSet,
  uidSet,
  uidSets,
  type Mailbox,
} from '../src/plugins/helpdesk/server/src/mail-ingestion/mailbox';
import {
  appendMail,
  appendMails,
  composeMail,
  createFolder,
  deleteFolder,
  folderExists,
  imapConfig,
  listMessages,
  parseKeyValues,
  resetMailbox,
  startDovecot,
  withImap,
  type DovecotServer,
} from './support/dovecot';

/** imapflow's protocol log reduced to the commands sent, without tags: "UID STORE 1:3 +FLAGS.SILENT (\Seen)". */
function commandRecorder(): { logger: Logger; commands: string[] } {
  const commands: string[] = [];
  const record = (entry: { src?: string; msg?: string }) => {
    if (entry?.src === 'c' && typeof entry.msg === 'string') commands.push(entry.msg.replace(/^\S+ /, ''));
  };
  return { logger: { debug: record, info: record, warn: () => {}, error: () => {} }, commands };
}

const sent = (commands: string[], name: string) => commands.filter((command) => command.startsWith(`${name} `));

/** A process counts as gone once it exited (a zombie not yet reaped by its new parent is gone too). */
function running(pid: number): boolean {
  try {
    const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z';
  } catch {
    return false;
  }
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function messageIds(mails: Array<{ source: Buffer }>): Promise<string[]> {
  return Promise.all(mails.map(async (mail) => (await simpleParser(mail.source)).messageId ?? '?'));
}

const mail = (n: number, extra: Parameters<typeof composeMail>[0] = {}) =>
  composeMail({ subject: `Mail ${n}`, messageId: `<mail-${n}@example.test>`, text: `Body ${n}`, ...extra });

describe('email-to-ticket config', () => {
  const configured = { IMAP_HOST: 'imap.example.com', IMAP_USERNAME: 'support@example.com', IMAP_PASSWORD: 'pw' };

  it('is off by default, with the documented defaults', () => {
    const config = readIngestionConfig({});
    expect(config).toEqual({
      enabled: false,
      checkIntervalSeconds: 300,
      supportEmail: null,
      batchSize: 100,
      transactionSize: 50,
      maxMessageBytes: 25 * 1024 * 1024,
      notifyTooLarge: true,
      mailBudgetMs: 30_000,
      imap: null,
      missing: ['IMAP_HOST', 'IMAP_USERNAME', 'IMAP_PASSWORD'],
    });
    expect(ingestionActive(config)).toBe(false);
    expect(ingestionStatusLine(config)).toBe('[ingest] email-to-ticket is off: EMAIL_TO_TICKET_ENABLED is not true');
    // configured but not switched on is still off
    expect(ingestionStatusLine(readIngestionConfig({ ...configured, EMAIL_TO_TICKET_ENABLED: 'false' }))).toBe(
      '[ingest] email-to-ticket is off: EMAIL_TO_TICKET_ENABLED is not true'
    );
  });

  it('is off while IMAP is not configured, naming what is missing', () => {
    expect(ingestionStatusLine(readIngestionConfig({ EMAIL_TO_TICKET_ENABLED: 'true' }))).toBe(
      '[ingest] email-to-ticket is off: IMAP not configured (IMAP_HOST, IMAP_USERNAME, IMAP_PASSWORD)'
    );
    const noPassword = readIngestionConfig({ ...configured, IMAP_PASSWORD: '', EMAIL_TO_TICKET_ENABLED: 'true' });
    expect(noPassword.imap).toBeNull();
    expect(ingestionStatusLine(noPassword)).toBe(
      '[ingest] email-to-ticket is off: IMAP not configured (IMAP_PASSWORD)'
    );
  });

  it('is on when enabled and configured: IMAPS on 993, INBOX, every 300 s', () => {
    const config = readIngestionConfig({
      ...configured,
      EMAIL_TO_TICKET_ENABLED: 'true',
      SUPPORT_EMAIL: 'Support@Example.com',
    });
    expect(ingestionActive(config)).toBe(true);
    expect(config.supportEmail).toBe('support@example.com');
    expect(config.imap).toEqual({
      host: 'imap.example.com',
      port: 993,
      user: 'support@example.com',
      password: 'pw',
      secure: true,
      startTLS: 'auto',
      tlsRejectUnauthorized: true,
      folder: 'INBOX',
      processedFolder: null,
      timeoutSeconds: 60,
    });
    expect(ingestionStatusLine(config)).toBe('[ingest] email-to-ticket is on: imap.example.com:993 INBOX every 300 s');
  });

  it('reads every setting', () => {
    const config = readIngestionConfig({
      ...configured,
      EMAIL_TO_TICKET_ENABLED: 'TRUE',
      EMAIL_TO_TICKET_CHECK_INTERVAL: '60',
      INGEST_BATCH_SIZE: '25',
      IMAP_PORT: '1143',
      IMAP_USE_SSL: 'false',
      IMAP_STARTTLS: 'true',
      IMAP_TLS_REJECT_UNAUTHORIZED: 'false',
      IMAP_FOLDER: 'Support',
      IMAP_PROCESSED_FOLDER: 'Support/Done',
    });
    expect(config).toMatchObject({ enabled: true, checkIntervalSeconds: 60, batchSize: 25 });
    expect(config.imap).toMatchObject({
      port: 1143,
      secure: false,
      startTLS: 'required',
      tlsRejectUnauthorized: false,
      folder: 'Support',
      processedFolder: 'Support/Done',
    });
    expect(ingestionStatusLine(config)).toBe(
      '[ingest] email-to-ticket is on: imap.example.com:1143 Support every 60 s'
    );
    // without TLS from the first byte the default port is 143; IMAP_STARTTLS=false stays in cleartext
    expect(readIngestionConfig({ ...configured, IMAP_USE_SSL: 'false', IMAP_STARTTLS: 'false' }).imap).toMatchObject({
      port: 143,
      startTLS: 'off',
    });
    // empty values (IMAP_PORT= in an env file) are unset
    expect(readIngestionConfig({ ...configured, IMAP_PORT: '', IMAP_FOLDER: ' ' }).imap).toMatchObject({
      port: 993,
      folder: 'INBOX',
    });
  });

  it('refuses malformed values with one error naming each variable', () => {
    let error: unknown;
    try {
      readIngestionConfig({
        ...configured,
        IMAP_PORT: 'imaps',
        EMAIL_TO_TICKET_CHECK_INTERVAL: '5m',
        INGEST_BATCH_SIZE: '0',
        IMAP_USE_SSL: 'maybe',
        SUPPORT_EMAIL: 'Support <support@example.com>',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IngestionConfigError);
    const { problems, message } = error as IngestionConfigError;
    expect(problems).toEqual([
      'EMAIL_TO_TICKET_CHECK_INTERVAL must be a whole number of seconds from 1 to 86400, got "5m"',
      'INGEST_BATCH_SIZE must be a whole number from 1 to 10000, got "0"',
      'SUPPORT_EMAIL must be a bare address like support@example.com, got "Support <support@example.com>"',
      'IMAP_USE_SSL must be true or false, got "maybe"',
      'IMAP_PORT must be a port number from 1 to 65535, got "imaps"',
    ]);
    expect(message).toContain('IMAP_PORT');
    expect(() => readIngestionConfig({ IMAP_PORT: '70000' })).toThrow(
      'IMAP_PORT must be a port number from 1 to 65535, got "70000"'
    );
    expect(() => readIngestionConfig({ EMAIL_TO_TICKET_CHECK_INTERVAL: '-5' })).toThrow(
      'EMAIL_TO_TICKET_CHECK_INTERVAL'
    );
    expect(() => readIngestionConfig({ EMAIL_TO_TICKET_ENABLED: 'ja' })).toThrow(
      'EMAIL_TO_TICKET_ENABLED must be true or false'
    );
    expect(() => readIngestionConfig({ INGEST_MAX_MESSAGE_BYTES: '25MB' })).toThrow(
      'INGEST_MAX_MESSAGE_BYTES must be a number of bytes from 1024 to 2147483647, got "25MB"'
    );
    expect(() => readIngestionConfig({ IMAP_FOLDER: 'Inbox', IMAP_PROCESSED_FOLDER: 'INBOX' })).toThrow(
      'IMAP_PROCESSED_FOLDER must differ from IMAP_FOLDER'
    );
  });
});

describe('UID sets', () => {
  it('compacts UIDs into ranges and reads them back', () => {
    expect(uidSet([9, 1, 2, 3, 7, 10, 2])).toBe('1:3,7,9:10');
    expect(uidSet([5])).toBe('5');
    expect(() => uidSet([])).toThrow();
    expect(() => uidSet([0])).toThrow();
    expect(parseSequenceSet('1:3,7,10:9')).toEqual([
      [1, 3],
      [7, 7],
      [9, 10],
    ]);
    expect(parseSequenceSet('')).toEqual([]);
    // cut only where a command line would grow too long
    expect(uidSets([1, 2, 3, 7, 9, 10, 20], 9)).toEqual(['1:3,7', '9:10,20']);
    expect(uidSets([1, 2, 3, 7, 9, 10, 20])).toEqual(['1:3,7,9:10,20']);
    const scattered = Array.from({ length: 10_000 }, (_, i) => 1_000_000 + 2 * i);
    const sets = uidSets(scattered);
    expect(sets.length).toBeGreaterThan(1);
    expect(Math.max(...sets.map((set) => set.length))).toBeLessThanOrEqual(16_000);
    expect(sets.join(',')).toBe(uidSet(scattered));
  });
});

describe('Dovecot test harness', () => {
  it('starts two servers side by side on different ports, and stops them completely', async () => {
    const servers = await Promise.all([startDovecot(), startDovecot()]);
    try {
      const [a, b] = servers;
      expect(new Set([a.port, a.imapsPort, b.port, b.imapsPort]).size).toBe(4);
      // each has a mailbox of its own
      await appendMail(a, 'INBOX', await mail(1));
      expect(await listMessages(a, 'INBOX')).toHaveLength(1);
      expect(await listMessages(b, 'INBOX')).toHaveLength(0);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
    for (const server of servers) {
      expect(running(server.pid)).toBe(false);
      expect(await refusesConnections(server.port)).toBe(true);
      expect(await refusesConnections(server.imapsPort)).toBe(true);
      expect(fs.existsSync(server.dir)).toBe(false);
    }
  });

  it('prints its settings as KEY=VALUE lines', () => {
    expect(parseKeyValues('IMAP_HOST=127.0.0.1\nIMAP_PORT=4143\nnoise\nIMAP_PASSWORD=a-b.c\n')).toEqual({
      IMAP_HOST: '127.0.0.1',
      IMAP_PORT: '4143',
      IMAP_PASSWORD: 'a-b.c',
    });
  });
});

describe('mailbox (real Dovecot)', () => {
  let server: DovecotServer;
  const open: Mailbox[] = [];
  const openInbox = async (...args: Parameters<typeof imapConfig>) => {
    const mailbox = await openMailbox(imapConfig(...args));
    open.push(mailbox);
    return mailbox;
  };

  beforeAll(async () => {
    server = await startDovecot();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((mailbox) => mailbox.close()));
  });
  afterAll(() => server?.stop());
  beforeEach(() => resetMailbox(server));

  it('fetches only mails after the cursor, in UID order, at most `limit`', async () => {
    const uids = await appendMails(server, 'INBOX', await Promise.all([1, 2, 3, 4, 5].map((n) => mail(n))));
    const mailbox = await openInbox(server);

    const all = await mailbox.fetchSince(0, 100);
    expect(all.map((m) => m.uid)).toEqual(uids);
    expect(await messageIds(all)).toEqual([1, 2, 3, 4, 5].map((n) => `<mail-${n}@example.test>`));
    expect(all[0]).toMatchObject({ folder: 'INBOX', uidValidity: mailbox.uidValidity, flags: [] });

    const page = await mailbox.fetchSince(uids[1], 2);
    expect(page.map((m) => m.uid)).toEqual([uids[2], uids[3]]);
    expect(await messageIds(page)).toEqual(['<mail-3@example.test>', '<mail-4@example.test>']);
    expect((await mailbox.fetchSince(uids[3], 2)).map((m) => m.uid)).toEqual([uids[4]]);
  });

  it('returns nothing when the cursor is at (or past) the last UID, though IMAP `n:*` matches the last mail', async () => {
    const uids = await appendMails(server, 'INBOX', [await mail(1), await mail(2)]);
    const mailbox = await openInbox(server);
    expect(await mailbox.fetchSince(uids[1], 10)).toEqual([]);
    expect(await mailbox.fetchSince(uids[1] + 100, 10)).toEqual([]);
    // ...and on an empty folder
    await createFolder(server, 'Empty');
    const empty = await openInbox(server, { folder: 'Empty' });
    expect(await empty.fetchSince(0, 10)).toEqual([]);
  });

  it('counts the limit in existing mails, across gaps left by deleted ones', async () => {
    const uids = await appendMails(server, 'INBOX', await Promise.all([1, 2, 3, 4, 5, 6].map((n) => mail(n))));
    await withImap(server, async (client) => {
      await client.mailboxOpen('INBOX');
      await client.messageDelete(`${uids[1]}:${uids[2]}`, { uid: true });
    });
    const mailbox = await openInbox(server);
    expect((await mailbox.fetchSince(0, 3)).map((m) => m.uid)).toEqual([uids[0], uids[3], uids[4]]);
    expect((await mailbox.fetchSince(uids[0], 10)).map((m) => m.uid)).toEqual([uids[3], uids[4], uids[5]]);
  });

  it('asks the server for exactly the batch: a bounded UID range, never `n:*` with bodies', async () => {
    const uids = await appendMails(server, 'INBOX', await Promise.all([1, 2, 3, 4, 5].map((n) => mail(n))));
    const { logger, commands } = commandRecorder();
    const mailbox = await openMailbox(imapConfig(server), { logger });
    open.push(mailbox);
    await mailbox.fetchSince(uids[0], 2);
    const fetches = sent(commands, 'UID FETCH');
    expect(fetches).toHaveLength(1);
    expect(fetches[0]).toContain(`UID FETCH ${uids[1]}:${uids[2]} `);
    expect(fetches[0]).toContain('BODY.PEEK[]');
  });

  it('fetches a mail somebody already read (\\Seen), and fetching marks nothing \\Seen', async () => {
    const read = await appendMail(server, 'INBOX', await mail(1), ['\\Seen']);
    const unread = await appendMail(server, 'INBOX', await mail(2));
    const mailbox = await openInbox(server);
    const fetched = await mailbox.fetchSince(0, 10);
    expect(fetched.map((m) => [m.uid, m.flags])).toEqual([
      [read, ['\\Seen']],
      [unread, []],
    ]);
    expect(await listMessages(server, 'INBOX')).toEqual([
      { uid: read, flags: ['\\Seen'] },
      { uid: unread, flags: [] },
    ]);
  });

  it('acknowledges exactly the given UIDs as \\Seen, in one command', async () => {
    const uids = await appendMails(server, 'INBOX', await Promise.all([1, 2, 3, 4, 5].map((n) => mail(n))));
    const { logger, commands } = commandRecorder();
    const mailbox = await openMailbox(imapConfig(server), { logger });
    open.push(mailbox);

    await mailbox.acknowledge([uids[3], uids[0], uids[2]]);

    expect(sent(commands, 'UID STORE')).toEqual([`UID STORE ${uids[0]},${uids[2]}:${uids[3]} +FLAGS.SILENT (\\Seen)`]);
    expect(await listMessages(server, 'INBOX')).toEqual([
      { uid: uids[0], flags: ['\\Seen'] },
      { uid: uids[1], flags: [] },
      { uid: uids[2], flags: ['\\Seen'] },
      { uid: uids[3], flags: ['\\Seen'] },
      { uid: uids[4], flags: [] },
    ]);
    // nothing to acknowledge sends nothing
    await mailbox.acknowledge([]);
    expect(sent(commands, 'UID STORE')).toHaveLength(1);
  });

  it('with a processed folder, moves the acknowledged mails there in one command (creating the folder)', async () => {
    const uids = await appendMails(server, 'INBOX', await Promise.all([1, 2, 3, 4].map((n) => mail(n))));
    expect(await folderExists(server, 'Processed')).toBe(false);
    const { logger, commands } = commandRecorder();
    const mailbox = await openMailbox(imapConfig(server, { processedFolder: 'Processed' }), { logger });
    open.push(mailbox);

    await mailbox.acknowledge([uids[1], uids[3]]);
    await mailbox.acknowledge([uids[0]]);

    expect(sent(commands, 'UID MOVE')).toEqual([
      `UID MOVE ${uids[1]},${uids[3]} Processed`,
      `UID MOVE ${uids[0]} Processed`,
    ]);
    expect(sent(commands, 'CREATE')).toHaveLength(1);
    expect((await listMessages(server, 'INBOX')).map((m) => m.uid)).toEqual([uids[2]]);
    const processed = await withImap(server, async (client) => {
      await client.mailboxOpen('Processed', { readOnly: true });
      return client.fetchAll('1:*', { source: true });
    });
    expect((await messageIds(processed.map((m) => ({ source: m.source! })))).sort()).toEqual([
      '<mail-1@example.test>',
      '<mail-2@example.test>',
      '<mail-4@example.test>',
    ]);
    // the cursor stays valid: the next fetch still sees only the mail left behind and newer ones
    const newer = await appendMail(server, 'INBOX', await mail(5));
    expect((await mailbox.fetchSince(uids[3], 10)).map((m) => m.uid)).toEqual([newer]);
  });

  it('moves into a processed folder that already exists', async () => {
    await createFolder(server, 'Done');
    const uid = await appendMail(server, 'INBOX', await mail(1));
    const mailbox = await openInbox(server, { processedFolder: 'Done' });
    await mailbox.acknowledge([uid]);
    expect(await listMessages(server, 'Done')).toHaveLength(1);
    expect(await listMessages(server, 'INBOX')).toHaveLength(0);
  });

  it('reports the folder UIDVALIDITY, which changes when the folder is deleted and created again', async () => {
    const inbox = await openInbox(server);
    const status = await withImap(server, (client) => client.status('INBOX', { uidValidity: true }));
    expect(inbox.uidValidity).toBe(String(status && status.uidValidity));
    expect(inbox.uidValidity).toMatch(/^[1-9]\d*$/);

    await createFolder(server, 'Support');
    const before = await openInbox(server, { folder: 'Support' });
    await before.close();
    await deleteFolder(server, 'Support');
    await createFolder(server, 'Support');
    const after = await openInbox(server, { folder: 'Support' });
    expect(after.uidValidity).not.toBe(before.uidValidity);
  });

  it('reports a wrong password and a missing folder as MailboxError', async () => {
    await expect(openMailbox(imapConfig(server, { password: 'wrong' }))).rejects.toThrow(MailboxError);
    await expect(openMailbox(imapConfig(server, { password: 'wrong' }))).rejects.toThrow(
      /cannot log in to 127\.0\.0\.1:\d+/
    );
    await expect(openMailbox(imapConfig(server, { folder: 'Nope' }))).rejects.toThrow('cannot open folder Nope');
  });

  it('connects over IMAPS and over STARTTLS, trusting the self-signed certificate only when told to', async () => {
    const uid = await appendMail(server, 'INBOX', await mail(1));
    const imaps = await openInbox(server, { port: server.imapsPort, secure: true, tlsRejectUnauthorized: false });
    expect((await imaps.fetchSince(0, 10)).map((m) => m.uid)).toEqual([uid]);
    const startTLS = await openInbox(server, { startTLS: 'required', tlsRejectUnauthorized: false });
    expect((await startTLS.fetchSince(0, 10)).map((m) => m.uid)).toEqual([uid]);

    await expect(openMailbox(imapConfig(server, { port: server.imapsPort, secure: true }))).rejects.toThrow(
      MailboxError
    );
    // 'auto' upgrades because the server offers STARTTLS, so the untrusted certificate is refused too
    await expect(openMailbox(imapConfig(server, { startTLS: 'auto' }))).rejects.toThrow(MailboxError);
  });
});
