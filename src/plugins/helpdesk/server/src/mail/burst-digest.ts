import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { EMAIL_TEMPLATE, OUTBOUND_EMAIL, TEAM_NOTIFICATION_BURST } from '../../../shared/uids';
import { tableIn } from '../db/table';
import { mailDomain } from './message-id';
import { renderTemplate, type TemplateSource } from './render-template';
import { getService } from '../get-service';

/** One ticket as the team's digest of new tickets lists it (the form rows written before 2026-12 kept). */
interface StoredTicketEntry {
  ticketNumber: string;
  subject: string;
  requester: string;
  priority: string;
}

interface StoredTemplate extends TemplateSource {
  enabled: boolean;
}

interface BurstRow {
  window_id: string;
  window_ends_at: Date | string | number;
  tickets: Array<string | StoredTicketEntry> | string | null;
}

/**
 * A burst digest: the first notice of a burst goes at once (the caller mails it), the later ones in
 * the window are gathered into one digest mail, due when the window ends. The team's digest of new
 * tickets and each agent's digest of notifications are both one.
 */
export interface BurstDigest {
  /** The window's key: one window per address and kind of digest. */
  key: string;
  to: string;
  templateKey: string;
  /** The template's variables for the lines gathered so far (count, list). */
  listVariables: (lines: string[]) => Record<string, string | number>;
  /** Variables every rendering has (company name, addresses). */
  variables: Record<string, string | number>;
}

/** The digest window's length in ms (0: no digest, every notice is mailed at once). */
export const digestWindowMs = (strapi: Core.Strapi): number => Number(strapi.config.get('plugin::helpdesk.mail.teamDigestMs', 0));

/** One Message-ID per window: the unique index on outbound-email.messageId forbids a second digest. */
const digestMessageId = (strapi: Core.Strapi, windowId: string): string => `<digest-${windowId}@${mailDomain(strapi)}>`;

const ticketLine = (entry: StoredTicketEntry): string => `${entry.ticketNumber}  [${entry.priority}]  ${entry.subject}  (${entry.requester})`;

const parseLines = (value: BurstRow['tickets']): string[] =>
  (typeof value === 'string' ? (JSON.parse(value) as Array<string | StoredTicketEntry>) : (value ?? [])).map((entry) =>
    typeof entry === 'string' ? entry : ticketLine(entry)
  );

/**
 * Opens or joins the team address's digest window in one INSERT … ON CONFLICT (key) DO UPDATE …
 * RETURNING: an ended (or first) window is replaced by a new one that starts now, an open one is
 * kept. The database serialises concurrent callers on the key (on PostgreSQL the row stays locked
 * until the ticket's transaction ends), so exactly one ticket opens each window.
 */
async function joinWindow(strapi: Core.Strapi, trx: Knex.Transaction, key: string, windowMs: number, now: Date) {
  const table = strapi.db.metadata.get(TEAM_NOTIFICATION_BURST).tableName;
  const fresh = randomUUID();
  // an ended window takes the inserted values; an open one keeps its own
  const ended = (column: string) =>
    trx.raw('CASE WHEN ??.?? <= ? THEN ?? ELSE ??.?? END', [table, 'window_ends_at', now, `excluded.${column}`, table, column]);
  const rows: BurstRow[] = await tableIn(strapi, trx, TEAM_NOTIFICATION_BURST)
    .insert({
      key,
      window_id: fresh,
      window_ends_at: new Date(now.getTime() + windowMs),
      tickets: '[]',
      document_id: randomUUID(),
      created_at: now,
      updated_at: now,
    })
    .onConflict('key')
    .merge({
      // every CASE reads the row as it was before this statement
      window_id: ended('window_id'),
      window_ends_at: ended('window_ends_at'),
      tickets: ended('tickets'),
      updated_at: now,
    })
    .returning(['window_id', 'window_ends_at', 'tickets']);
  const row = rows[0];
  if (!row) throw new Error(`team notification window for ${key} returned no row`);
  return { opened: row.window_id === fresh, windowId: row.window_id, endsAt: new Date(row.window_ends_at), lines: parseLines(row.tickets) };
}

/**
 * Called for each notice (in its transaction) before it is mailed. Returns false when the notice
 * opens a new window (or digests are off): the caller mails it at once. Returns true when it joined
 * an open window: its line is added to that window's one digest mail, an outbox row due when the
 * window ends (created by the window's second notice, rewritten by the later ones), so the existing
 * outbox cron sends it and no other scheduler is needed.
 */
export async function queueDigestLine(strapi: Core.Strapi, digest: BurstDigest, line: string): Promise<boolean> {
  const windowMs = digestWindowMs(strapi);
  if (!(windowMs > 0)) return false;
  return strapi.db.transaction(async ({ trx }) => {
    const now = new Date();
    const window = await joinWindow(strapi, trx, digest.key, windowMs, now);
    if (window.opened) return false;

    const template = (await strapi.db.query(EMAIL_TEMPLATE).findOne({ where: { key: digest.templateKey } })) as StoredTemplate | null;
    // a disabled digest template sends nothing, like every other template
    if (!template?.enabled) return true;

    const lines = [...window.lines, line];
    const rendered = renderTemplate(template, { ...digest.variables, ...digest.listVariables(lines), window_minutes: Math.round(windowMs / 60_000) });
    if (rendered.unknown.length > 0) {
      strapi.log.warn(`[mail] template ${digest.templateKey} uses unknown variables: ${rendered.unknown.map((v) => `{${v}}`).join(', ')}`);
    }
    const messageId = digestMessageId(strapi, window.windowId);
    const existing = (await strapi.db.query(OUTBOUND_EMAIL).findOne({ where: { messageId }, select: ['id'] })) as { id: number } | null;
    if (existing) {
      // only while still queued, in one statement: a digest the outbox took already cannot take the notice
      const updated = await tableIn(strapi, trx, OUTBOUND_EMAIL)
        .where({ id: existing.id, delivery_status: 'queued' })
        .update({ subject: rendered.subject, text_body: rendered.text, html_body: rendered.html, updated_at: now });
      if (Number(updated) === 0) return false;
    } else {
      await getService(strapi, 'outbox').enqueue({
        to: digest.to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
        templateKey: digest.templateKey,
        notBefore: window.endsAt,
      });
    }
    await tableIn(strapi, trx, TEAM_NOTIFICATION_BURST).where({ key: digest.key }).update({ tickets: JSON.stringify(lines), updated_at: now });
    return true;
  });
}
