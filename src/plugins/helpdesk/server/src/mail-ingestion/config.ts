/**
 * Email-to-ticket settings from the environment. Read once at start; a malformed value stops the
 * start with one error that names every offending variable, rather than a mailbox silently polled
 * with a guessed setting.
 */

export interface ImapConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  /** IMAP_USE_SSL: TLS from the first byte (IMAPS, port 993). */
  secure: boolean;
  /**
   * Without `secure` (IMAP_STARTTLS): 'auto' upgrades when the server offers STARTTLS, 'required'
   * refuses to send the password in cleartext, 'off' never upgrades (a local test server).
   */
  startTLS: 'auto' | 'required' | 'off';
  /** IMAP_TLS_REJECT_UNAUTHORIZED: false accepts a self-signed certificate. */
  tlsRejectUnauthorized: boolean;
  /** IMAP_FOLDER: where new mail is read from. */
  folder: string;
  /** IMAP_PROCESSED_FOLDER: processed mail is moved there; null keeps it in `folder`, marked \Seen. */
  processedFolder: string | null;
  /**
   * IMAP_TIMEOUT_SECONDS (60): the longest any IMAP step (connect and log in, open, search, fetch,
   * flag or move) may take; a step that overruns drops the connection and fails the run.
   */
  timeoutSeconds?: number;
}

export interface IngestionConfig {
  /** EMAIL_TO_TICKET_ENABLED as set; ingestion also needs `imap`, see ingestionActive(). */
  enabled: boolean;
  /** EMAIL_TO_TICKET_CHECK_INTERVAL: seconds between two checks of the mailbox. */
  checkIntervalSeconds: number;
  /** SUPPORT_EMAIL, lower-cased: the address customers write to (not a requester). */
  supportEmail: string | null;
  /** INGEST_BATCH_SIZE: at most this many mails are read (and held in memory) at a time. */
  batchSize: number;
  /**
   * INGEST_TRANSACTION_SIZE: at most this many mails are applied in one database transaction (with
   * their inbound records and the cursor). 1 is a transaction per mail; larger batches save a
   * commit per mail but hold the database's write lock longer (SQLite has one writer).
   */
  transactionSize: number;
  /**
   * INGEST_MAX_MESSAGE_BYTES: a larger mail (by the server's RFC822.SIZE) is not downloaded; it leaves
   * a too_large record and is acknowledged.
   */
  maxMessageBytes: number;
  /** INGEST_NOTIFY_TOO_LARGE: the sender of a too large mail gets a polite automatic notice. */
  notifyTooLarge: boolean;
  /**
   * INGEST_MAIL_BUDGET_SECONDS (30): the longest one mail may take to parse, or to apply; a mail
   * over it is quarantined with the reason and the run goes on without it.
   */
  mailBudgetMs: number;
  /** null when any of IMAP_HOST, IMAP_USERNAME, IMAP_PASSWORD is missing (listed in `missing`). */
  imap: ImapConfig | null;
  /** The required IMAP variables that are not set. */
  missing: string[];
}

export class IngestionConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid email-to-ticket settings:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
    this.name = 'IngestionConfigError';
  }
}

type Env = Record<string, string | undefined>;

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);
/** A batch is held in memory whole; this keeps a typo (an extra zero or three) from exhausting it. */
const MAX_BATCH_SIZE = 10_000;

export function readIngestionConfig(env: Env = process.env): IngestionConfig {
  const problems: string[] = [];
  // `NAME=` in an env file means "not set", not "set to nothing"
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const value = text(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase();
    if (TRUE_WORDS.has(lower)) return true;
    if (FALSE_WORDS.has(lower)) return false;
    problems.push(`${name} must be true or false, got "${value}"`);
    return fallback;
  };
  const int = (name: string, fallback: number, min: number, max: number, unit: string): number => {
    const value = text(name);
    if (value === undefined) return fallback;
    const number = /^\d+$/.test(value) ? Number(value) : NaN;
    if (Number.isSafeInteger(number) && number >= min && number <= max) return number;
    problems.push(`${name} must be ${unit} from ${min} to ${max}, got "${value}"`);
    return fallback;
  };

  const enabled = bool('EMAIL_TO_TICKET_ENABLED', false);
  const checkIntervalSeconds = int('EMAIL_TO_TICKET_CHECK_INTERVAL', 300, 1, 86_400, 'a whole number of seconds');
  const batchSize = int('INGEST_BATCH_SIZE', 100, 1, MAX_BATCH_SIZE, 'a whole number');
  const transactionSize = int('INGEST_TRANSACTION_SIZE', 50, 1, 1_000, 'a whole number');
  const maxMessageBytes = int('INGEST_MAX_MESSAGE_BYTES', 25 * 1024 * 1024, 1024, 2 ** 31 - 1, 'a number of bytes');
  const notifyTooLarge = bool('INGEST_NOTIFY_TOO_LARGE', true);
  const mailBudgetMs = int('INGEST_MAIL_BUDGET_SECONDS', 30, 1, 3_600, 'a whole number of seconds') * 1000;

  const supportEmailText = text('SUPPORT_EMAIL');
  let supportEmail: string | null = null;
  if (supportEmailText !== undefined) {
    if (looksLikeAddress(supportEmailText)) supportEmail = supportEmailText.toLowerCase();
    else problems.push(`SUPPORT_EMAIL must be a bare address like support@example.com, got "${supportEmailText}"`);
  }

  const secure = bool('IMAP_USE_SSL', true);
  // 143 is the IMAP port without TLS from the first byte; 993 would not answer in cleartext
  const port = int('IMAP_PORT', secure ? 993 : 143, 1, 65_535, 'a port number');
  const startTLSText = text('IMAP_STARTTLS');
  const startTLS = startTLSText === undefined ? 'auto' : bool('IMAP_STARTTLS', true) ? 'required' : 'off';
  const tlsRejectUnauthorized = bool('IMAP_TLS_REJECT_UNAUTHORIZED', true);
  const folder = text('IMAP_FOLDER') ?? 'INBOX';
  const processedFolder = text('IMAP_PROCESSED_FOLDER') ?? null;
  const timeoutSeconds = int('IMAP_TIMEOUT_SECONDS', 60, 1, 3_600, 'a whole number of seconds');
  if (processedFolder !== null && sameFolder(processedFolder, folder)) {
    problems.push(`IMAP_PROCESSED_FOLDER must differ from IMAP_FOLDER (${folder}): processed mail is moved out of it`);
  }

  const authservIdText = text('INGEST_TRUSTED_AUTHSERV_ID');
  if (authservIdText !== undefined && readTrustedAuthservId(env) === null) {
    problems.push(`INGEST_TRUSTED_AUTHSERV_ID must be one authserv-id like mx.google.com (no spaces, ";" or quotes), got "${authservIdText}"`);
  }

  if (problems.length > 0) throw new IngestionConfigError(problems);

  const host = text('IMAP_HOST');
  const user = text('IMAP_USERNAME');
  // a password may legitimately start or end with spaces: only an empty one counts as unset
  const password = env.IMAP_PASSWORD ? env.IMAP_PASSWORD : undefined;
  const required = { IMAP_HOST: host, IMAP_USERNAME: user, IMAP_PASSWORD: password };
  const missing = Object.entries(required)
    .filter(([, value]) => value === undefined)
    .map(([name]) => name);
  const imap: ImapConfig | null =
    host !== undefined && user !== undefined && password !== undefined
      ? { host, port, user, password, secure, startTLS, tlsRejectUnauthorized, folder, processedFolder, timeoutSeconds }
      : null;

  return { enabled, checkIntervalSeconds, supportEmail, batchSize, transactionSize, maxMessageBytes, notifyTooLarge, mailBudgetMs, imap, missing };
}

/**
 * INGEST_TRUSTED_AUTHSERV_ID, lower-cased: the authserv-id the mailbox's own MTA writes into
 * Authentication-Results (checked at start by readIngestionConfig). Mail from a staff address counts
 * as staff only when that header vouches for it, or when it answers the agent's signed reply
 * address; null (unset): only the reply address does.
 */
export function readTrustedAuthservId(env: Env = process.env): string | null {
  const value = env.INGEST_TRUSTED_AUTHSERV_ID?.trim().toLowerCase();
  return value && /^[a-z0-9._-]{1,253}$/.test(value) ? value : null;
}

const looksLikeAddress = (value: string | undefined): value is string => value !== undefined && /^[^\s@<>]+@[^\s@<>]+$/.test(value);

/** The mailbox's addresses as configured, lower-cased: SUPPORT_EMAIL, and IMAP_USERNAME when it is an address. */
export function mailboxAddresses(env: Env = process.env): string[] {
  const candidates = [env.SUPPORT_EMAIL?.trim(), env.IMAP_USERNAME?.trim()].filter(looksLikeAddress);
  return [...new Set(candidates.map((address) => address.toLowerCase()))];
}

/** INBOX is case-insensitive in IMAP; every other name is not. */
function sameFolder(a: string, b: string): boolean {
  return a === b || (a.toUpperCase() === 'INBOX' && b.toUpperCase() === 'INBOX');
}

/** Whether the mailbox is to be polled: switched on and fully configured. */
export function ingestionActive(config: IngestionConfig): config is IngestionConfig & { imap: ImapConfig } {
  return config.enabled && config.imap !== null;
}

/** One line for the start-up log saying whether, and what, email-to-ticket polls. */
export function ingestionStatusLine(config: IngestionConfig): string {
  const prefix = '[ingest] email-to-ticket is';
  if (!config.enabled) return `${prefix} off: EMAIL_TO_TICKET_ENABLED is not true`;
  if (!ingestionActive(config)) return `${prefix} off: IMAP not configured (${config.missing.join(', ')})`;
  const { host, port, folder } = config.imap;
  return `${prefix} on: ${host}:${port} ${folder} every ${config.checkIntervalSeconds} s`;
}
