/**
 * The fetch and acknowledge stages' access to the IMAP mailbox (imapflow). Mail is tracked by UID
 * (with the folder's UIDVALIDITY), never by \Seen: a mail somebody already read in a mail client
 * is still new to the helpdesk. Every command covers a whole batch: one command per mail costs a
 * round trip per mail (1,000 single STOREs take 0.7-1.5 s against Dovecot, one range STORE 0.1 s).
 * Bodies are fetched with BODY.PEEK, so reading a mail does not mark it \Seen by itself.
 */
import { ImapFlow, type ImapFlowOptions, type Logger } from 'imapflow';
import type { ImapConfig } from './config';
import type { FetchedMail, OversizedMail } from './types';

export interface Mailbox {
  /** The folder being read (IMAP_FOLDER). */
  readonly folder: string;
  /** The folder's UIDVALIDITY: when it changes, every UID stored for the folder is void. */
  readonly uidValidity: string;
  /**
   * Up to `limit` mails with a UID above `lastUid`, in UID order, whatever their flags. Only these
   * are transferred: the rest of the mailbox stays on the server.
   */
  fetchSince(lastUid: number, limit: number): Promise<FetchedMail[]>;
  /**
   * The same window, with each mail's size read first (RFC822.SIZE): a mail above
   * `maxMessageBytes` is not downloaded, only its header section (at most 64 KB).
   */
  fetchBatch(lastUid: number, limit: number, maxMessageBytes: number): Promise<FetchedBatch>;
  /**
   * Marks these mails processed in one command: \Seen added, or moved to the processed folder
   * (created when missing) when one is configured.
   */
  acknowledge(uids: number[]): Promise<void>;
  /**
   * UIDs up to `upToUid` that were never acknowledged: still without \Seen (or, with a processed
   * folder, still here). A run that committed mails and died before flagging them leaves these.
   */
  unacknowledged(upToUid: number): Promise<number[]>;
  /** Logs out (or drops the connection when that fails). */
  close(): Promise<void>;
}

/** A window of the folder: the mails read whole, and the ones too large to read; each in UID order. */
export interface FetchedBatch {
  mails: FetchedMail[];
  oversized: OversizedMail[];
}

/** How much of a too large mail is read: enough for any sane header section. */
export const OVERSIZED_HEADER_BYTES = 64 * 1024;

export interface OpenMailboxOptions {
  /** imapflow's protocol log (pino-style); off by default, it logs every command. */
  logger?: Logger | false;
}

export class MailboxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailboxError';
  }
}

/** imapflow's settings for a configured mailbox (shared with tools that talk to the same server). */
export function imapClientOptions(config: ImapConfig, logger: Logger | false = false): ImapFlowOptions {
  return {
    host: config.host,
    port: config.port,
    secure: config.secure,
    // undefined: imapflow upgrades when the server offers STARTTLS
    doSTARTTLS: config.secure ? undefined : config.startTLS === 'auto' ? undefined : config.startTLS === 'required',
    tls: { rejectUnauthorized: config.tlsRejectUnauthorized },
    auth: { user: config.user, pass: config.password },
    logger,
    // a poller: fail a dead or silent server quickly instead of after imapflow's 90 s. The socket
    // timeout stays imapflow's 5 min: it counts idle time, and the connection idles while a batch
    // is written; a command in flight has its own deadline (step).
    connectionTimeout: Math.min(30_000, stepTimeoutMs(config)),
    greetingTimeout: Math.min(16_000, stepTimeoutMs(config)),
  };
}

const stepTimeoutMs = (config: ImapConfig): number => (config.timeoutSeconds ?? 60) * 1000;

/**
 * Runs one IMAP step with a deadline. imapflow's socket timeout only sees a silent socket; a
 * server that trickles, or a command whose promise never settles once the connection broke, would
 * hold the run (and the ingestion lease) forever. On the deadline the connection is dropped, so
 * whatever is still in flight fails too.
 */
async function step<T>(client: ImapFlow, config: ImapConfig, name: string, work: () => Promise<T>): Promise<T> {
  const ms = stepTimeoutMs(config);
  let timer: NodeJS.Timeout | undefined;
  const running = work();
  running.catch(() => undefined); // it may fail after the deadline: already reported
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      client.close();
      reject(new MailboxError(`IMAP ${name} timed out after ${ms / 1000} s (${config.host}:${config.port})`));
    }, ms);
  });
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export async function openMailbox(config: ImapConfig, options: OpenMailboxOptions = {}): Promise<Mailbox> {
  const client = new ImapFlow(imapClientOptions(config, options.logger ?? false));
  // imapflow emits 'error' for a broken connection; unhandled, that would end the process. The
  // command in flight rejects with it anyway.
  client.on('error', () => {});
  try {
    await step(client, config, 'connect and log in', () => client.connect());
  } catch (error) {
    if (error instanceof MailboxError) throw error;
    throw new MailboxError(`cannot log in to ${config.host}:${config.port} as ${config.user}: ${describe(error)}`, {
      cause: error,
    });
  }

  let uidValidity: string;
  try {
    const opened = await step(client, config, `open ${config.folder}`, () => client.mailboxOpen(config.folder));
    uidValidity = opened.uidValidity.toString();
  } catch (error) {
    await logout(client, config);
    if (error instanceof MailboxError) throw error;
    throw new MailboxError(`cannot open folder ${config.folder}: ${describe(error)}`, { cause: error });
  }

  let processedFolderReady = false;

  async function fetchBatch(lastUid: number, limit: number, maxMessageBytes: number): Promise<FetchedBatch> {
    if (!Number.isSafeInteger(lastUid) || lastUid < 0)
      throw new RangeError(`lastUid must be a UID or 0, got ${lastUid}`);
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be at least 1, got ${limit}`);
    const window = await step(client, config, 'search', () => nextUidWindow(client, lastUid, limit));
    if (window === null) return { mails: [], oversized: [] };
    // Both ends are existing UIDs, so the range holds at most `limit` messages and, unlike
    // `n:*`, never the last message when nothing is newer.
    const range = `${window.first}:${window.last}`;
    const inWindow = (uid: number) => uid > lastUid && uid <= window.last;
    // \Recent belongs to the IMAP session, not to the mail (and is gone in IMAP4rev2)
    const flagsOf = (flags: Set<string> | undefined) => [...(flags ?? [])].filter((flag) => flag !== '\\Recent');

    // sizes first (a few bytes a mail), so that no body above the limit is transferred
    const sizes = new Map<number, number>();
    if (Number.isFinite(maxMessageBytes)) {
      await step(client, config, 'fetch of sizes', async () => {
        for await (const message of client.fetch(range, { uid: true, size: true }, { uid: true })) {
          if (inWindow(message.uid) && typeof message.size === 'number') sizes.set(message.uid, message.size);
        }
      });
    }
    const large = [...sizes].filter(([, size]) => size > maxMessageBytes).map(([uid]) => uid);

    const mails: FetchedMail[] = [];
    const whole = [...sizes.keys()].filter((uid) => !large.includes(uid));
    const wholeSets = large.length === 0 ? [range] : whole.length > 0 ? uidSets(whole) : [];
    for (const set of wholeSets) {
      await step(client, config, 'fetch', async () => {
        for await (const message of client.fetch(set, { uid: true, source: true, flags: true }, { uid: true })) {
          if (!inWindow(message.uid) || !message.source) continue;
          mails.push({ uid: message.uid, folder: config.folder, uidValidity, source: message.source, flags: flagsOf(message.flags) });
        }
      });
    }
    const oversized: OversizedMail[] = [];
    // BODY.PEEK[HEADER]<0.65536>: the header section only, and at most that much of it
    const header = [{ key: 'header', maxLength: OVERSIZED_HEADER_BYTES }];
    for (const set of large.length > 0 ? uidSets(large) : []) {
      await step(client, config, 'fetch of headers', async () => {
        for await (const message of client.fetch(set, { uid: true, bodyParts: header, flags: true }, { uid: true })) {
          if (!inWindow(message.uid)) continue;
          oversized.push({
            uid: message.uid,
            folder: config.folder,
            uidValidity,
            size: sizes.get(message.uid) ?? 0,
            header: message.headers ?? Buffer.alloc(0),
            flags: flagsOf(message.flags),
          });
        }
      });
    }
    return { mails: mails.sort((a, b) => a.uid - b.uid), oversized: oversized.sort((a, b) => a.uid - b.uid) };
  }

  return {
    folder: config.folder,
    uidValidity,

    async fetchSince(lastUid, limit) {
      return (await fetchBatch(lastUid, limit, Number.POSITIVE_INFINITY)).mails;
    },

    fetchBatch,

    async acknowledge(uids) {
      if (uids.length === 0) return;
      // one command per batch; only a huge batch of scattered UIDs needs more (see uidSets)
      const sets = uidSets(uids);
      if (config.processedFolder === null) {
        for (const set of sets) {
          // .SILENT: the server need not echo the new flags of every message
          if (!(await step(client, config, 'flag', () => client.messageFlagsAdd(set, ['\\Seen'], { uid: true, silent: true })))) {
            throw new MailboxError(`could not mark UIDs ${set} in ${config.folder} as \\Seen`);
          }
        }
        return;
      }
      if (!processedFolderReady) {
        // once per connection; an existing folder answers ALREADYEXISTS, which imapflow reports as created: false
        const processedFolder = config.processedFolder;
        await step(client, config, `create ${processedFolder}`, () => client.mailboxCreate(processedFolder));
        processedFolderReady = true;
      }
      for (const set of sets) {
        const processedFolder = config.processedFolder;
        if (!(await step(client, config, 'move', () => client.messageMove(set, processedFolder, { uid: true })))) {
          throw new MailboxError(`could not move UIDs ${set} from ${config.folder} to ${config.processedFolder}`);
        }
      }
    },

    async unacknowledged(upToUid) {
      if (!Number.isSafeInteger(upToUid) || upToUid < 1) return [];
      return step(client, config, 'search of unflagged mail', async () => {
        await client.noop();
        const query = config.processedFolder === null ? { uid: `1:${upToUid}`, seen: false } : { uid: `1:${upToUid}` };
        const result = await client.search(query, { uid: true });
        if (result === false || result === undefined) throw new MailboxError('the server refused UID SEARCH');
        // `1:n` also matches the last message when n is above every UID
        return result.filter((uid) => uid <= upToUid);
      });
    },

    close: () => logout(client, config),
  };
}

/**
 * The first and the `limit`-th UID above `lastUid`, from one UID SEARCH. With ESEARCH the answer
 * is a compact set ("1:5000,5002"), so a backlog of many thousands of mails costs a few bytes, not
 * a number per mail; a server without ESEARCH answers with the plain list.
 */
async function nextUidWindow(
  client: ImapFlow,
  lastUid: number,
  limit: number
): Promise<{ first: number; last: number } | null> {
  // The server updates a session's view of the folder between commands; without this, mail that
  // arrived since our last command would be missing from the SEARCH until the next one.
  await client.noop();
  // `n:*` also matches the last message when n is above every UID: filtered below
  const result = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true, returnOptions: ['ALL'] });
  if (result === false || result === undefined) throw new MailboxError('the server refused UID SEARCH');

  const ranges: Array<[number, number]> = Array.isArray(result)
    ? result.map((uid): [number, number] => [uid, uid])
    : parseSequenceSet(result.all ?? '');
  ranges.sort((a, b) => a[0] - b[0]);

  let first = 0;
  let remaining = limit;
  for (const [low, high] of ranges) {
    const start = Math.max(low, lastUid + 1);
    if (start > high) continue;
    if (first === 0) first = start;
    const count = high - start + 1;
    if (count >= remaining) return { first, last: start + remaining - 1 };
    remaining -= count;
  }
  return first === 0 ? null : { first, last: ranges[ranges.length - 1][1] };
}

/** "1:3,7,9:8" → [[1,3],[7,7],[8,9]] */
export function parseSequenceSet(set: string): Array<[number, number]> {
  if (!set) return [];
  return set.split(',').map((part): [number, number] => {
    const [a, b = a] = part.split(':').map(Number);
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b))
      throw new MailboxError(`unexpected UID set from the server: ${set}`);
    return a <= b ? [a, b] : [b, a];
  });
}

/** [1,2,3,7,9,10] → "1:3,7,9:10": one short command argument for a whole batch. */
export function uidSet(uids: number[]): string {
  return uidRanges(uids).join(',');
}

/**
 * The same as uidSet, cut into sets of at most `maxLength` characters: servers limit the length of
 * a command line (Dovecot to 64 KB), which 10,000 scattered UIDs would exceed. A batch of
 * consecutive UIDs is always one set.
 */
export function uidSets(uids: number[], maxLength = 16_000): string[] {
  const sets: string[] = [];
  let current = '';
  for (const range of uidRanges(uids)) {
    if (current && current.length + 1 + range.length > maxLength) {
      sets.push(current);
      current = '';
    }
    current = current ? `${current},${range}` : range;
  }
  sets.push(current);
  return sets;
}

function uidRanges(uids: number[]): string[] {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  if (sorted.length === 0) throw new RangeError('no UIDs');
  for (const uid of sorted) {
    if (!Number.isSafeInteger(uid) || uid < 1) throw new RangeError(`not a UID: ${uid}`);
  }
  const ranges: string[] = [];
  let start = sorted[0];
  let previous = start;
  for (const uid of sorted.slice(1).concat(Number.NaN)) {
    if (uid === previous + 1) {
      previous = uid;
      continue;
    }
    ranges.push(start === previous ? `${start}` : `${start}:${previous}`);
    start = previous = uid;
  }
  return ranges;
}

async function logout(client: ImapFlow, config: ImapConfig): Promise<void> {
  try {
    await step(client, config, 'logout', () => client.logout());
  } catch {
    client.close();
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // imapflow puts the server's answer (a failed LOGIN's reason) in responseText
  const responseText = (error as Error & { responseText?: string }).responseText;
  return responseText ? `${error.message} (${responseText})` : error.message;
}
