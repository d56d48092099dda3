import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import type { ImapConfig } from '../../src/plugins/helpdesk/server/src/mail-ingestion/config';

/**
 * A real Dovecot for a test file (scripts/test-services/dovecot.sh): one server per file, started
 * in beforeAll and stopped in afterAll.
 *
 *   let server: DovecotServer;
 *   beforeAll(async () => { server = await startDovecot(); });
 *   afterAll(() => server?.stop());
 *   beforeEach(() => resetMailbox(server));
 */
export interface DovecotServer {
  host: string;
  /** Plain IMAP (STARTTLS offered, not required). */
  port: number;
  /** IMAPS with a self-signed certificate. */
  imapsPort: number;
  user: string;
  password: string;
  /** The server's directory (config, logs, Maildir); removed by stop(). */
  dir: string;
  pid: number;
  /**
   * Kills the server and keeps its directory: when it returns, every process is gone and every
   * connection dropped (dovecot.sh freezes the master before killing its children, so no process
   * forked meanwhile survives). resume() starts it again on the same ports, login and mail, as a
   * restarted mail server would come back. To stop it in the middle of a fetch, see startImapRelay.
   */
  halt(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const script = path.resolve(__dirname, '..', '..', 'scripts', 'test-services', 'dovecot.sh');
const run = promisify(execFile);
/** Servers not stopped yet: stopped when the test process exits, whatever way it ends. */
const running = new Set<string>();

process.once('exit', () => {
  for (const dir of running) {
    try {
      execFileSync(script, ['stop', dir], { stdio: 'ignore' });
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // exiting anyway; the script's watchdog stops it within a second
    }
  }
});

export async function startDovecot(): Promise<DovecotServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-dovecot-'));
  running.add(dir);
  let output: string;
  try {
    // the watchdog stops the server if this process is killed before afterAll runs
    ({ stdout: output } = await run(script, ['start', dir], {
      env: { ...process.env, DOVECOT_WATCH_PID: String(process.pid) },
    }));
  } catch (error) {
    running.delete(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(`dovecot.sh start failed: ${stderr || (error as Error).message}`);
  }
  const values = parseKeyValues(output);
  const number = (key: string) => {
    const value = Number(values[key]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`dovecot.sh printed no ${key}:\n${output}`);
    return value;
  };
  let stopped = false;
  const server: DovecotServer = {
    host: values.IMAP_HOST,
    port: number('IMAP_PORT'),
    imapsPort: number('IMAPS_PORT'),
    user: values.IMAP_USERNAME,
    password: values.IMAP_PASSWORD,
    pid: number('DOVECOT_PID'),
    dir,
    async halt() {
      await run(script, ['stop', dir]);
    },
    async resume() {
      const { stdout } = await run(script, ['start', dir], {
        env: {
          ...process.env,
          DOVECOT_WATCH_PID: String(process.pid),
          DOVECOT_USER: server.user,
          DOVECOT_PASSWORD: server.password,
          DOVECOT_IMAP_PORT: String(server.port),
          DOVECOT_IMAPS_PORT: String(server.imapsPort),
        },
      });
      server.pid = Number(parseKeyValues(stdout).DOVECOT_PID);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await run(script, ['stop', dir]);
      running.delete(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/**
 * A TCP relay between the product and the server, which can hold back the server's answer to a
 * mail fetch. `holdFetch(n)` resolves once the n-th fetch of mail bodies from then on has been sent
 * and its answer is being held: a test that halts the server then cuts that fetch, not the one
 * before or after it, however fast or slow the run is. Everything else passes through; a held
 * connection stays held until it is released or closes (the server halted drops it, and the relay
 * drops the product's side). Point IMAP_PORT at `port` (see imapEnv's `port` override).
 */
export interface ImapRelay {
  port: number;
  holdFetch(nth?: number): Promise<HeldFetch>;
  close(): Promise<void>;
}

export interface HeldFetch {
  /** Passes on what was held and lets the connection run on. */
  release(): void;
}

/** imapflow's fetch of whole messages (`source: true`): `UID FETCH <set> (... BODY.PEEK[])`, or BINARY.PEEK[]. */
const BODY_FETCH = /\bUID FETCH \S+ \([^\r\n]*\b(?:BODY|BINARY)\.PEEK\[\]/i;

export async function startImapRelay(server: DovecotServer): Promise<ImapRelay> {
  let hold: { remaining: number; held: (fetch: HeldFetch) => void } | null = null;
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = net.connect(server.port, server.host);
    sockets.add(client).add(upstream);
    let held: Buffer[] | null = null;
    let line = '';
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('data', (chunk: Buffer) => {
      // whole command lines only: a command may arrive in pieces
      const lines = (line + chunk.toString('latin1')).split('\r\n');
      line = lines.pop() ?? '';
      if (hold && lines.some((command) => BODY_FETCH.test(command))) {
        hold.remaining -= 1;
        if (hold.remaining === 0) {
          const chunks: Buffer[] = [];
          held = chunks;
          hold.held({
            release() {
              if (held !== chunks) return;
              held = null;
              for (const waiting of chunks) client.write(waiting);
            },
          });
          hold = null;
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (held) held.push(chunk);
      else client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (relay.address() as net.AddressInfo).port,
    holdFetch(nth = 1) {
      return new Promise<HeldFetch>((resolve) => {
        hold = { remaining: nth, held: resolve };
      });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

/** KEY=VALUE lines, as dovecot.sh prints them. */
export function parseKeyValues(output: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]] = match[2];
  }
  return values;
}

/** The product's mailbox settings for this server: plain IMAP, no STARTTLS. */
export function imapConfig(server: DovecotServer, overrides: Partial<ImapConfig> = {}): ImapConfig {
  return {
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    secure: false,
    startTLS: 'off',
    tlsRejectUnauthorized: true,
    folder: 'INBOX',
    processedFolder: null,
    ...overrides,
  };
}

/** The same as environment variables, for a Strapi started by the tests (`port`: a relay's, say). */
export function imapEnv(server: DovecotServer, port = server.port): Record<string, string> {
  return {
    IMAP_HOST: server.host,
    IMAP_PORT: String(port),
    IMAP_USERNAME: server.user,
    IMAP_PASSWORD: server.password,
    IMAP_USE_SSL: 'false',
    IMAP_STARTTLS: 'false',
  };
}

/**
 * The whole mail loop of a test Strapi: this mailbox read by ingestion (run by the test, not by
 * cron), mail out to the SMTP sink on `smtpPort`, `support` as our address and sender.
 */
export function mailLoopEnv(server: DovecotServer, smtpPort: number, support: string): Record<string, string> {
  return {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    SMTP_FROM: support,
    CRON_ENABLED: 'false',
    EMAIL_TO_TICKET_ENABLED: 'true',
    SUPPORT_EMAIL: support,
    ...imapEnv(server),
  };
}

/** Runs `work` with a logged-in imapflow client of its own (the tests' view of the mailbox). */
export async function withImap<T>(server: DovecotServer, work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: server.user, pass: server.password },
    logger: false,
  });
  client.on('error', () => {}); // the command in flight rejects with it
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Appends one message; returns its UID. */
export async function appendMail(
  server: DovecotServer,
  folder: string,
  raw: Buffer | string,
  flags: string[] = []
): Promise<number> {
  const [uid] = await appendMails(server, folder, [raw], flags);
  return uid;
}

/** Appends messages in order over one connection; returns their UIDs. */
export async function appendMails(
  server: DovecotServer,
  folder: string,
  raws: Array<Buffer | string>,
  flags: string[] = []
): Promise<number[]> {
  return withImap(server, async (client) => {
    const uids: number[] = [];
    for (const raw of raws) {
      const result = await client.append(folder, raw, flags);
      if (!result || result.uid === undefined) throw new Error(`APPEND to ${folder} failed`);
      uids.push(result.uid);
    }
    return uids;
  });
}

export async function createFolder(server: DovecotServer, folder: string): Promise<void> {
  await withImap(server, (client) => client.mailboxCreate(folder));
}

export async function deleteFolder(server: DovecotServer, folder: string): Promise<void> {
  await withImap(server, (client) => client.mailboxDelete(folder));
}

export async function folderExists(server: DovecotServer, folder: string): Promise<boolean> {
  return withImap(server, async (client) => (await client.list()).some((entry) => entry.path === folder));
}

export interface ListedMessage {
  uid: number;
  flags: string[];
}

/** Every message of the folder, in UID order, read without changing any flag. */
export async function listMessages(server: DovecotServer, folder: string): Promise<ListedMessage[]> {
  return withImap(server, async (client) => {
    const opened = await client.mailboxOpen(folder, { readOnly: true });
    if (opened.exists === 0) return [];
    const messages = await client.fetchAll('1:*', { uid: true, flags: true });
    return (
      messages
        // \Recent depends on which session looked first: not a property of the message
        .map((message) => ({
          uid: message.uid,
          flags: [...(message.flags ?? [])].filter((flag) => flag !== '\\Recent').sort(),
        }))
        .sort((a, b) => a.uid - b.uid)
    );
  });
}

/**
 * Empties the mailbox between tests: every folder but INBOX deleted, INBOX expunged. UIDs are not
 * reset (IMAP never reuses one within a UIDVALIDITY): assert on UIDs relative to appended ones.
 */
export async function resetMailbox(server: DovecotServer): Promise<void> {
  await withImap(server, async (client) => {
    const folders = (await client.list()).map((entry) => entry.path).filter((name) => name.toUpperCase() !== 'INBOX');
    // children before their parents
    for (const folder of folders.sort((a, b) => b.length - a.length)) await client.mailboxDelete(folder);
    const inbox = await client.mailboxOpen('INBOX');
    if (inbox.exists > 0) await client.messageDelete('1:*');
  });
}

/** A raw RFC 5322 message built by nodemailer's composer (defaults fill in a plain test mail). */
export async function composeMail(options: Mail.Options = {}): Promise<Buffer> {
  // `newline` is read by nodemailer's MIME builder but missing from its typings
  const mail: Mail.Options & { newline: string } = {
    from: 'Customer <customer@example.test>',
    to: 'support@example.test',
    subject: 'Test mail',
    text: 'Hello',
    // CRLF throughout, as mail arrives over SMTP
    newline: 'windows',
    ...options,
  };
  return new MailComposer(mail).compile().build();
}
