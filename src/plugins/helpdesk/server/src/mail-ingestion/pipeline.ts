import type { Core } from '@strapi/strapi';
import { INBOUND_EMAIL, MAIL_CURSOR, OUTBOUND_EMAIL } from '../../../shared/uids';
import { isUniqueViolation } from '../db/errors';
import { createLease, leaseHolder, type LeaseHolder } from '../db/lease';
import { assertWithinBudget, MailBudgetExceeded, withinBudget } from './budget';
import { parseMail } from './parse';
import { classifyMail } from './classify';
import { findTicketForMail } from './thread';
import { applyMail, quarantine, recordConcurrentDuplicate, type TicketDefaults } from './apply';
import { judge, recordedMails, remember, type RecordedMails } from './dedupe';
import { senderOf } from './sender';
import { openMailbox, type Mailbox } from './mailbox';
import { recordTooLarge, type TooLargePolicy } from './too-large';
import { withLookupCache } from '../db/lookup-cache';
import type { ImapConfig, IngestionConfig } from './config';
import type { FetchedMail, Outcome, OversizedMail, ParsedMail } from './types';

export interface IngestOptions {
  /** Fetch, parse and decide, and print the decisions; write, flag and move nothing. */
  dryRun?: boolean;
  /** Stop after this many mails. */
  limit?: number;
  /** Another folder than the configured one. */
  folder?: string;
  /** One line per mail and a progress line per batch. */
  log?: (line: string) => void;
  /** Aborted at shutdown: the run stops after the transaction in progress and releases its lease. */
  signal?: AbortSignal;
}

export interface IngestReport {
  /** 'locked' when another instance holds the ingestion lease. */
  skipped: 'locked' | null;
  /** When skipped: who holds the lease (null when it lapsed meanwhile). */
  holder?: LeaseHolder | null;
  fetched: number;
  outcomes: Record<Outcome, number>;
}

export const LEASE_NAME = 'mail-ingestion';
/**
 * A holder's heartbeat renews its lease every third of INGEST_LEASE_TTL_SECONDS (30) while the run
 * lives, so a killed holder's lease lapses within that time and another instance takes over.
 */
const leaseTtlMs = (): number => Math.max(1, Number(process.env.INGEST_LEASE_TTL_SECONDS) || 30) * 1000;

const emptyOutcomes = (): Record<Outcome, number> => ({
  ticket_created: 0,
  comment_added: 0,
  bounce_recorded: 0,
  ignored_duplicate: 0,
  quarantined: 0,
  too_large: 0,
});

interface Cursor {
  uidValidity: string | null;
  lastUid: number;
}

/** Where ingestion stopped in a folder: a UID, valid only with the folder's UIDVALIDITY. */
function cursorStore(strapi: Core.Strapi, mailbox: string) {
  return {
    async load(): Promise<Cursor> {
      const row = (await strapi.db.query(MAIL_CURSOR).findOne({ where: { mailbox } })) as { uidValidity: string | null; lastUid: string | number | null } | null;
      return { uidValidity: row?.uidValidity ?? null, lastUid: Number(row?.lastUid ?? 0) };
    },
    /** Saved in the transaction that applied the mail: the mail and the cursor move together. */
    async save(uidValidity: string, lastUid: number): Promise<void> {
      const updated = await strapi.db.query(MAIL_CURSOR).updateMany({ where: { mailbox }, data: { uidValidity, lastUid } });
      if (updated.count === 0) await strapi.db.query(MAIL_CURSOR).create({ data: { mailbox, uidValidity, lastUid } });
    },
  };
}

/** Which of these Message-IDs are ours (in the outbox): one statement for a whole batch. */
async function ourMessageIds(strapi: Core.Strapi, messageIds: string[]): Promise<Set<string>> {
  if (messageIds.length === 0) return new Set();
  const rows = (await strapi.db.query(OUTBOUND_EMAIL).findMany({
    where: { messageId: { $in: [...new Set(messageIds)] } },
    select: ['messageId'],
  })) as Array<{ messageId: string }>;
  return new Set(rows.map((row) => row.messageId));
}

/** What the dry run prints for a mail: the same decisions the real run takes, without taking them. */
function describeDecision(mail: ParsedMail, automatic: boolean, reasons: string[], matchLabel: string | null, duplicate: boolean, own: boolean): string {
  if (own) return 'ignored: our own mail came back';
  if (duplicate) return 'ignored: ingested before (same Message-ID and content)';
  const reply = automatic ? ` — automatic (${reasons.join('; ')}), no auto-reply` : '';
  return matchLabel ? `comment on ${matchLabel}${reply}` : `new ticket "${mail.subject}"${reply}`;
}

/**
 * The ingestion run: fetch → parse → classify → thread → apply → acknowledge, in batches.
 * Each mail is applied in its own transaction together with its inbound record and the folder's
 * cursor, and only then flagged \Seen (or moved): a crash between the two leaves the mail unseen
 * but never ingests it twice (the cursor and the Message-ID both say it is done). A mail that fails
 * is quarantined with its raw source and acknowledged, so it never blocks the mailbox.
 */
/** Where a new ticket from mail lands unless staff change it: INGEST_DEFAULT_PRIORITY, INGEST_DEFAULT_CATEGORY. */
export const ticketDefaultsFromEnv = (env: Record<string, string | undefined> = process.env): TicketDefaults => ({
  priority: env.INGEST_DEFAULT_PRIORITY?.trim() || 'medium',
  category: env.INGEST_DEFAULT_CATEGORY?.trim() || 'support',
});

/** Addresses that are us: mail from them is a loop (SUPPORT_EMAIL and the address we send from). */
function ourAddresses(strapi: Core.Strapi, config: IngestionConfig): string[] {
  const from = String(strapi.config.get('plugin::helpdesk.mail.from', '')).trim().toLowerCase();
  return [config.supportEmail, from].filter((address): address is string => Boolean(address));
}

export async function ingestMailbox(
  strapi: Core.Strapi,
  config: IngestionConfig & { imap: ImapConfig },
  options: IngestOptions = {}
): Promise<IngestReport> {
  const log = options.log ?? (() => undefined);
  const report: IngestReport = { skipped: null, fetched: 0, outcomes: emptyOutcomes() };
  const lease = createLease(strapi, LEASE_NAME, leaseTtlMs());
  if (!options.dryRun && !(await lease.acquire())) {
    report.skipped = 'locked';
    report.holder = await leaseHolder(strapi, LEASE_NAME);
    log('[ingest] another instance is ingesting: skipped');
    return report;
  }
  if (!options.dryRun) lease.keepAlive();

  const imap = config.imap;
  const folder = options.folder ?? imap.folder;
  const defaults = ticketDefaultsFromEnv();
  const supportAddresses = ourAddresses(strapi, config);
  let mailbox;
  try {
    mailbox = await openMailbox({ ...imap, folder });
  } catch (error) {
    if (!options.dryRun) await lease.release();
    throw error;
  }
  const cursors = cursorStore(strapi, `${imap.user}@${imap.host}:${imap.port}/${folder}`);
  const run: RunContext = {
    supportAddresses,
    defaults,
    budgetMs: config.mailBudgetMs,
    dryRun: Boolean(options.dryRun),
    report,
    // the cursor moves in the transaction that applied (or quarantined) the mail
    done: (fetched) => cursors.save(fetched.uidValidity, fetched.uid),
    quarantineFailures: true,
    log,
    tooLarge: { maxMessageBytes: config.maxMessageBytes, notify: config.notifyTooLarge, supportAddresses },
  };
  let pending: Promise<UnparsedMail[]> | null = null;
  try {
    const cursor = await cursors.load();
    // a new UIDVALIDITY means the folder's UIDs start over: read it all again (Message-IDs keep it once)
    let lastUid = cursor.uidValidity === mailbox.uidValidity ? cursor.lastUid : 0;
    if (!options.dryRun) await flagCommitted(mailbox, lastUid, log);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const transactionSize = options.dryRun ? 1 : config.transactionSize;
    let leaseLost = false;
    let requested = Math.min(config.batchSize, limit);
    pending = fetchUnparsed(mailbox, lastUid, requested, config.maxMessageBytes);

    while (pending && !leaseLost && !options.signal?.aborted) {
      const batch = await pending;
      pending = null;
      if (batch.length === 0) break;
      // the next batch is fetched while this one is parsed and written
      const remaining = limit - requested;
      if (remaining > 0) {
        const size = Math.min(config.batchSize, remaining);
        requested += size;
        pending = fetchUnparsed(mailbox, batch[batch.length - 1].fetched.uid, size, config.maxMessageBytes);
        pending.catch(() => undefined); // awaited in the next round, or in finally
      }

      const done: number[] = [];
      for (let start = 0; start < batch.length && !leaseLost && !options.signal?.aborted; start += transactionSize) {
        // renew as we go: a run slower than the lease's life must not share the mailbox with another
        if (!options.dryRun && (lease.lost() || (start > 0 && !(await lease.acquire())))) {
          log('[ingest] lost the ingestion lease to another instance: stopping');
          leaseLost = true;
          break;
        }
        // parsed a transaction's worth at a time: a batch's parsed mails are never all alive at once
        const chunk = await parseEach(batch.slice(start, start + transactionSize), config.mailBudgetMs);
        if (options.dryRun) {
          for (const item of chunk) log(`[ingest] uid ${item.fetched.uid}: ${await processMail(strapi, item, run)}`);
        } else {
          await applyBatch(strapi, chunk, run);
        }
        for (const item of chunk) {
          done.push(item.fetched.uid);
          lastUid = Math.max(lastUid, item.fetched.uid);
        }
      }
      report.fetched += done.length;
      if (!options.dryRun && done.length > 0) {
        await mailbox.acknowledge(done);
        if (!leaseLost && !(await lease.acquire())) leaseLost = true;
      }
      log(`[ingest] ${report.fetched} mails so far (up to uid ${lastUid})`);
    }
  } finally {
    // a batch still being fetched is dropped: it was neither applied nor acknowledged
    if (pending) await pending.catch(() => undefined);
    await mailbox.close();
    if (!options.dryRun) await lease.release();
  }
  return report;
}

/** A fetched mail and what the parse stage made of it, or why it could not. */
interface Prepared {
  fetched: FetchedMail;
  mail: ParsedMail | null;
  parseError: unknown;
  /** Over INGEST_MAX_MESSAGE_BYTES: only its header section was read (fetched.source, mail). */
  oversized?: OversizedMail;
}

/** A fetched mail before the parse stage (a too large one: its header section, and what it was). */
interface UnparsedMail {
  fetched: FetchedMail;
  oversized?: OversizedMail;
}

/**
 * Mails at or below the cursor were committed (the cursor moves in their transaction); one still
 * unflagged was left by a run that died between its commit and its acknowledgement. Flagged now,
 * never ingested again.
 */
async function flagCommitted(mailbox: Mailbox, lastUid: number, log: (line: string) => void): Promise<void> {
  const left = await mailbox.unacknowledged(lastUid);
  if (left.length === 0) return;
  await mailbox.acknowledge(left);
  log(`[ingest] acknowledged ${left.length} mails committed by an earlier run that stopped before flagging them`);
}

/** The parse stage, within the per-mail budget: the parsed mail, or why it could not be parsed. */
async function prepare(fetched: FetchedMail, budgetMs: number, oversized?: OversizedMail): Promise<Prepared> {
  const extra = oversized ? { oversized } : {};
  try {
    return { fetched, mail: await withinBudget('parsing', budgetMs, () => parseMail(fetched.source)), parseError: null, ...extra };
  } catch (error) {
    return { fetched, mail: null, parseError: error, ...extra };
  }
}

/** A batch of mails in UID order; a too large mail goes through it like any other, with its header section as its source. */
async function fetchUnparsed(mailbox: Mailbox, afterUid: number, limit: number, maxMessageBytes: number): Promise<UnparsedMail[]> {
  const { mails, oversized } = await mailbox.fetchBatch(afterUid, limit, maxMessageBytes);
  const batch: UnparsedMail[] = mails.map((fetched) => ({ fetched }));
  for (const big of oversized) {
    batch.push({ fetched: { uid: big.uid, folder: big.folder, uidValidity: big.uidValidity, source: big.header, flags: big.flags }, oversized: big });
  }
  return batch.sort((a, b) => a.fetched.uid - b.fetched.uid);
}

async function parseEach(mails: UnparsedMail[], budgetMs: number): Promise<Prepared[]> {
  const prepared: Prepared[] = [];
  for (const { fetched, oversized } of mails) prepared.push(await prepare(fetched, budgetMs, oversized));
  return prepared;
}

/** Thrown out of a batch's transaction to roll it back: which mail failed, and why. */
class BatchFailure extends Error {
  constructor(
    readonly index: number,
    readonly failure: unknown
  ) {
    super(`mail ${index} of the batch failed: ${String(failure)}`);
    this.name = 'BatchFailure';
  }
}

/**
 * Several mails in one transaction, each with its inbound record, and the cursor after the last:
 * the batch commits whole or not at all, and is acknowledged only after. Settings and templates are
 * read once per batch. A mail that fails rolls the batch back (no savepoint: Strapi runs its
 * post-commit work, entry.create events, per transaction, so a mail undone by a savepoint would
 * still announce the rows it no longer has); the mails before it are applied again in a new
 * transaction, the failing one on its own (quarantined in its own transaction, as before), then the
 * rest. Nothing is lost and nothing applied twice; a failure costs the batch's work once more.
 */
async function applyBatch(strapi: Core.Strapi, items: Prepared[], run: RunContext): Promise<void> {
  if (items.length === 0) return;
  let results: Array<{ outcome: Outcome; line: string }>;
  try {
    results = await withLookupCache(() =>
      strapi.db.transaction(async () => {
        const known = await lookUp(strapi, items);
        const applied: Array<{ outcome: Outcome; line: string }> = [];
        for (const [index, item] of items.entries()) {
          const started = Date.now();
          try {
            applied.push(applyingOutcome(await runStages(strapi, item, known, run)));
            assertWithinBudget('applying', started, run.budgetMs);
          } catch (error) {
            throw new BatchFailure(index, error);
          }
        }
        await run.done(items[items.length - 1].fetched);
        return applied;
      })
    );
  } catch (error) {
    if (!(error instanceof BatchFailure)) throw error;
    // over budget: quarantined at once, never paid for again in a retry
    const overBudget = error.failure instanceof MailBudgetExceeded ? error.failure : null;
    if (items.length === 1 && overBudget) {
      await quarantineOverBudget(strapi, items[0], overBudget, run);
      return;
    }
    if (items.length === 1) {
      run.log(`[ingest] uid ${items[0].fetched.uid}: ${await processMail(strapi, items[0], run)}`);
      return;
    }
    await applyBatch(strapi, items.slice(0, error.index), run);
    if (overBudget) await quarantineOverBudget(strapi, items[error.index], overBudget, run);
    else await applyBatch(strapi, [items[error.index]], run);
    await applyBatch(strapi, items.slice(error.index + 1), run);
    return;
  }
  for (const [index, result] of results.entries()) {
    run.report.outcomes[result.outcome] += 1;
    run.log(`[ingest] uid ${items[index].fetched.uid}: ${result.line}`);
  }
}

async function quarantineOverBudget(strapi: Core.Strapi, item: Prepared, error: MailBudgetExceeded, run: RunContext): Promise<void> {
  strapi.log.warn(`[ingest] uid ${item.fetched.uid} quarantined: ${error.message}`);
  await strapi.db.transaction(async () => {
    await quarantine(strapi, item.fetched, item.mail?.messageId ?? null, error);
    await run.done(item.fetched);
  });
  run.report.outcomes.quarantined += 1;
  run.log(`[ingest] uid ${item.fetched.uid}: quarantined: ${String(error)}`);
}

/**
 * What a batch (or a single mail) looks up once before its mails' stages: which Message-IDs are
 * ours (in the outbox) and what was ingested before under them; the batch adds what it applies (a
 * mail twice in one batch).
 */
interface Known {
  own: Set<string>;
  recorded: RecordedMails;
}

async function lookUp(strapi: Core.Strapi, items: Prepared[]): Promise<Known> {
  const mails = items.flatMap((item) => (item.mail && !item.oversized ? [item.mail] : []));
  return { own: await ourMessageIds(strapi, mails.map((mail) => mail.messageId)), recorded: await recordedMails(strapi, mails) };
}

/** A stage list's result: the outcome (none in a dry run) and the line the log prints. */
interface StagesResult {
  outcome: Outcome | null;
  line: string;
}

const applyingOutcome = (result: StagesResult): { outcome: Outcome; line: string } => {
  if (!result.outcome) throw new Error('a dry run reached the apply path');
  return { outcome: result.outcome, line: result.line };
};

/**
 * The one stage list every path runs for one mail (a batch, a single mail, a dry run, re-processing
 * a quarantined mail): too large → unparsable → classify → thread → sender → dedupe → apply, inside
 * the caller's transaction. The dry run stops before writing and says what it would do.
 */
async function runStages(strapi: Core.Strapi, item: Prepared, known: Known, run: RunContext): Promise<StagesResult> {
  if (item.oversized) {
    if (run.dryRun) return { outcome: null, line: `would record as too large (${item.oversized.size} bytes), not downloaded` };
    return recordTooLarge(strapi, item.oversized, item.mail, run.tooLarge);
  }
  if (!item.mail) {
    // re-processing only reports a mail that still fails; the caller says so
    if (run.dryRun || !run.quarantineFailures) throw item.parseError;
    strapi.log.warn(`[ingest] uid ${item.fetched.uid} failed: ${describeError(item.parseError)}`);
    await quarantine(strapi, item.fetched, null, item.parseError);
    return { outcome: 'quarantined', line: `quarantined: ${String(item.parseError)}` };
  }
  const parsed = item.mail;
  const isOwn = known.own.has(parsed.messageId);
  const classification = classifyMail(parsed, {
    supportAddresses: run.supportAddresses,
    isOwnMessageId: (id) => isOwn && id === parsed.messageId,
  });
  const match = await findTicketForMail(strapi, parsed);
  const seen = judge(known.recorded, parsed);
  if (run.dryRun) {
    const decision = describeDecision(parsed, classification.automatic, classification.reasons, match?.ticketNumber ?? null, seen.duplicateOf !== null, isOwn);
    return { outcome: null, line: `would ${decision} — ${parsed.messageId}` };
  }
  // who the sender is to the matched ticket, once per mail
  const sender = match && !isOwn && !seen.duplicateOf ? await senderOf(strapi, match.ticketId, parsed, match.claimed) : null;
  const applied = await applyMail(strapi, { fetched: item.fetched, mail: parsed, classification, match, sender, own: isOwn, defaults: run.defaults, seen });
  // its record now holds the mail's key (a duplicate's record holds none)
  if (applied.outcome !== 'ignored_duplicate') remember(known.recorded, parsed, applied.recordId, applied.ticketId);
  return { outcome: applied.outcome, line: applied.summary };
}

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** What one run's mails share. */
interface RunContext {
  supportAddresses: string[];
  defaults: TicketDefaults;
  /** INGEST_MAIL_BUDGET_SECONDS, in ms. */
  budgetMs: number;
  dryRun: boolean;
  report: IngestReport;
  /** Recorded in the same transaction as the mail's outcome. */
  done: (fetched: FetchedMail) => Promise<void>;
  /** A failing mail is quarantined (from the mailbox), or only reported (re-processing a quarantined one). */
  quarantineFailures: boolean;
  log: (line: string) => void;
  tooLarge: TooLargePolicy;
}

/**
 * One mail through the stage list in a transaction of its own (a dry run writes nothing); returns
 * the line the log and the dry run print.
 */
async function processMail(strapi: Core.Strapi, item: Prepared, run: RunContext): Promise<string> {
  const { fetched } = item;
  // a too large mail's header section is no mail to record under its Message-ID
  const mail = item.oversized ? null : item.mail;
  if (run.dryRun) {
    try {
      return (await runStages(strapi, item, await lookUp(strapi, [item]), run)).line;
    } catch (error) {
      return `would quarantine: ${String(error)}`;
    }
  }
  try {
    const applied = await strapi.db.transaction(async () => {
      const result = applyingOutcome(await runStages(strapi, item, await lookUp(strapi, [item]), run));
      await run.done(fetched);
      return result;
    });
    run.report.outcomes[applied.outcome] += 1;
    return applied.line;
  } catch (error) {
    if (mail && isUniqueViolation(error)) {
      // another run applied the same mail between our check and our insert: recorded as ignored
      const ignored = await strapi.db.transaction(async () => {
        const result = await recordConcurrentDuplicate(strapi, { fetched, mail, classification: { automatic: false, reasons: [], bounceOf: null }, match: null, sender: null, own: false, defaults: run.defaults });
        await run.done(fetched);
        return result;
      });
      run.report.outcomes.ignored_duplicate += 1;
      return ignored.summary;
    }
    strapi.log.warn(`[ingest] uid ${fetched.uid} failed: ${describeError(error)}`);
    if (!run.quarantineFailures) return `still failing: ${String(error)}`;
    await strapi.db.transaction(async () => {
      await quarantine(strapi, fetched, mail?.messageId ?? null, error);
      await run.done(fetched);
    });
    run.report.outcomes.quarantined += 1;
    return `quarantined: ${String(error)}`;
  }
}

interface QuarantinedRow {
  id: number;
  rawSource: string;
  folder: string | null;
  uid: string | number | null;
  uidValidity: string | null;
}

/**
 * Runs quarantined mails through the pipeline again (after a fix, say): each one that now goes
 * through leaves its own inbound record, and its quarantine record is marked re-processed.
 */
export async function reprocessQuarantined(strapi: Core.Strapi, config: IngestionConfig, options: IngestOptions = {}): Promise<IngestReport> {
  const log = options.log ?? (() => undefined);
  const report: IngestReport = { skipped: null, fetched: 0, outcomes: emptyOutcomes() };
  const rows = (await strapi.db.query(INBOUND_EMAIL).findMany({
    where: { outcome: 'quarantined', reprocessedAt: { $null: true }, rawSource: { $notNull: true } },
    select: ['id', 'rawSource', 'folder', 'uid', 'uidValidity'],
    orderBy: { id: 'asc' },
    limit: options.limit,
  })) as QuarantinedRow[];
  for (const row of rows) {
    const fetched: FetchedMail = {
      uid: Number(row.uid ?? 0),
      folder: row.folder ?? '(quarantine)',
      uidValidity: row.uidValidity ?? '',
      source: Buffer.from(row.rawSource, 'base64'),
      flags: [],
    };
    const line = await processMail(strapi, await prepare(fetched, config.mailBudgetMs), {
      supportAddresses: ourAddresses(strapi, config),
      defaults: ticketDefaultsFromEnv(),
      budgetMs: config.mailBudgetMs,
      dryRun: Boolean(options.dryRun),
      report,
      done: async () => {
        await strapi.db.query(INBOUND_EMAIL).update({ where: { id: row.id }, data: { reprocessedAt: new Date() } });
      },
      quarantineFailures: false,
      log,
      tooLarge: { maxMessageBytes: config.maxMessageBytes, notify: config.notifyTooLarge, supportAddresses: ourAddresses(strapi, config) },
    });
    report.fetched += 1;
    log(`[ingest] quarantined #${row.id}: ${line}`);
  }
  return report;
}
