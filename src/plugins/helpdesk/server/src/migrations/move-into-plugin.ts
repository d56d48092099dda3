import type { Knex } from 'knex';

/**
 * The helpdesk was a Strapi app of its own (content types `api::ticket.ticket`, tables `tickets`,
 * `comments`, ...) before it became this plugin (`plugin::helpdesk.ticket`, tables prefixed
 * `helpdesk_`, so that they cannot clash with a host's own `tickets` or `comments`). On a database
 * that app wrote, this renames its tables and rewrites the UIDs Strapi stores as data, so that the
 * install keeps its tickets, its files' links, its roles' permissions and its Content Manager
 * settings (Strapi deletes each of these on boot when their UID is unknown).
 *
 * Runs once, before the schema sync (an internal migration). A table is renamed only when the
 * last boot's content types say it was the helpdesk's: a host's own `comments` table stays its own.
 * A snapshot of the names as they were: it must not follow later code.
 */

/** The app's content types: `api::<api>.<name>` was the type `name`, its table the collection. */
const OLD_TYPES: Record<string, string> = {
  'api::attachment.attachment': 'attachments',
  'api::comment.comment': 'comments',
  'api::contact.contact': 'contacts',
  'api::email-template.email-template': 'email_templates',
  'api::inbound-email.inbound-email': 'inbound_emails',
  'api::mail-cursor.mail-cursor': 'mail_cursors',
  'api::outbound-email.outbound-email': 'outbound_emails',
  'api::ticket-history.ticket-history': 'ticket_histories',
  'api::ticket-sequence.ticket-sequence': 'ticket_sequences',
  'api::ticket.ticket': 'tickets',
  // already prefixed: only their UID changes
  'api::challenge-solution.challenge-solution': 'helpdesk_challenge_solutions',
  'api::helpdesk-setting.helpdesk-setting': 'helpdesk_settings',
  'api::lease.lease': 'helpdesk_leases',
  'api::mail-check.mail-check': 'helpdesk_mail_checks',
  'api::rate-limit-counter.rate-limit-counter': 'helpdesk_rate_limit_counters',
  'api::team-notification-burst.team-notification-burst': 'helpdesk_team_notification_bursts',
};

/** The relations' join tables, by the collection that owned them. */
const OLD_JOIN_TABLES: Record<string, string[]> = {
  attachments: ['attachments_comment_lnk', 'attachments_ticket_lnk'],
  comments: ['comments_author_contact_lnk', 'comments_author_user_lnk', 'comments_ticket_lnk'],
  inbound_emails: ['inbound_emails_comment_lnk', 'inbound_emails_ticket_lnk'],
  outbound_emails: ['outbound_emails_ticket_lnk'],
  ticket_histories: ['ticket_histories_contact_lnk', 'ticket_histories_ticket_lnk'],
  tickets: ['tickets_assignee_lnk', 'tickets_contact_lnk', 'tickets_submitted_by_lnk'],
};

const PREFIX = 'helpdesk_';
const OLD_API_NAMES = new Set([...Object.keys(OLD_TYPES).map((uid) => uid.slice('api::'.length).split('.')[0]), 'helpdesk']);

/**
 * `api::ticket.ticket` → `plugin::helpdesk.ticket`; also an action under a type or controller
 * (`api::ticket.ticket-workflow.assign` → `plugin::helpdesk.ticket-workflow.assign`) and the admin
 * actions the app registered (`api::helpdesk.tickets.work` → `plugin::helpdesk.tickets.work`).
 */
export function pluginUid(value: string): string {
  const match = /^api::([a-z0-9-]+)\.(.+)$/.exec(value);
  if (!match || !OLD_API_NAMES.has(match[1])) return value;
  return `plugin::helpdesk.${match[2]}`;
}

const parse = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** The content types of the last boot (Strapi's own snapshot), or null on a new database. */
async function lastBootTypes(knex: Knex): Promise<Record<string, { collectionName?: string }> | null> {
  if (!(await knex.schema.hasTable('strapi_core_store_settings'))) return null;
  const row = await knex('strapi_core_store_settings').where({ key: 'strapi_content_types_schema' }).first('value');
  return row?.value ? (parse(row.value) as Record<string, { collectionName?: string }>) : null;
}

const isPostgres = (knex: Knex): boolean => ['pg', 'postgres', 'postgresql'].includes(String(knex.client.config.client));

/**
 * On PostgreSQL a table's id sequence and primary key are named after it, in one namespace with
 * every table: renamed too, a host's own later `tickets` can take the old names.
 */
async function renamePostgresCompanions(knex: Knex, from: string, to: string): Promise<void> {
  const sequence = await knex.raw('SELECT pg_get_serial_sequence(?, ?) AS name', [to, 'id']);
  const name = sequence.rows[0]?.name as string | null;
  if (name && name.replace(/^.*\./, '').replace(/"/g, '') === `${from}_id_seq`) {
    await knex.raw('ALTER SEQUENCE ?? RENAME TO ??', [`${from}_id_seq`, `${to}_id_seq`]);
  }
  const pkey = await knex.raw("SELECT 1 FROM pg_constraint WHERE conname = ? AND contype = 'p'", [`${from}_pkey`]);
  if (pkey.rows.length > 0) await knex.raw('ALTER TABLE ?? RENAME CONSTRAINT ?? TO ??', [to, `${from}_pkey`, `${to}_pkey`]);
}

async function renameTables(knex: Knex, renames: Array<[string, string]>): Promise<Array<[string, string]>> {
  const done: Array<[string, string]> = [];
  for (const [from, to] of renames) {
    if ((await knex.schema.hasTable(from)) && !(await knex.schema.hasTable(to))) {
      await knex.schema.renameTable(from, to);
      if (isPostgres(knex)) await renamePostgresCompanions(knex, from, to);
      done.push([from, to]);
    }
  }
  return done;
}

/**
 * Strapi's schema diff drops an index or foreign key only when its stored schema lists it under a
 * table of that name: renamed there too, the old-named indexes and keys are replaced by the sync.
 */
async function renameInStoredSchema(knex: Knex, renamed: Array<[string, string]>): Promise<void> {
  if (renamed.length === 0 || !(await knex.schema.hasTable('strapi_database_schema'))) return;
  const names = new Map(renamed);
  for (const row of await knex('strapi_database_schema').select('id', 'schema')) {
    const schema = parse(row.schema) as { tables: Array<{ name: string }> };
    for (const table of schema.tables) table.name = names.get(table.name) ?? table.name;
    await knex('strapi_database_schema').where({ id: row.id }).update({ schema: JSON.stringify(schema) });
  }
}

/** Rewrites `column` of `table` with pluginUid wherever it starts with `api::`. */
async function rewriteUidColumn(knex: Knex, table: string, column: string): Promise<void> {
  if (!(await knex.schema.hasTable(table))) return;
  for (const row of await knex(table).select('id', column).where(column, 'like', 'api::%')) {
    const next = pluginUid(row[column]);
    if (next !== row[column]) await knex(table).where({ id: row.id }).update({ [column]: next });
  }
}

/** The Content Manager's settings per type: the key names the UID, and so does the value. */
async function rewriteContentManagerSettings(knex: Knex): Promise<void> {
  const PREFIX_KEY = 'plugin_content_manager_configuration_content_types::';
  for (const row of await knex('strapi_core_store_settings').select('id', 'key', 'value').where('key', 'like', `${PREFIX_KEY}api::%`)) {
    const uid = pluginUid(row.key.slice(PREFIX_KEY.length));
    if (uid === row.key.slice(PREFIX_KEY.length)) continue;
    const key = `${PREFIX_KEY}${uid}`;
    const value = parse(row.value) as { uid?: string };
    if (value && typeof value === 'object') value.uid = uid;
    // a configuration already written for the new UID (a boot before this migration) gives way
    await knex('strapi_core_store_settings').where({ key }).delete();
    await knex('strapi_core_store_settings').where({ id: row.id }).update({ key, value: JSON.stringify(value) });
  }
}

export async function up(knex: Knex): Promise<void> {
  const types = await lastBootTypes(knex);
  if (!types || !types['api::ticket.ticket']) return; // a new database, or never the helpdesk app
  const ours = Object.entries(OLD_TYPES)
    .filter(([uid, table]) => types[uid]?.collectionName === table && !table.startsWith(PREFIX))
    .map(([, table]) => table);
  const renames: Array<[string, string]> = ours.flatMap((table) => [table, ...(OLD_JOIN_TABLES[table] ?? [])].map((name): [string, string] => [name, `${PREFIX}${name}`]));
  await renameInStoredSchema(knex, await renameTables(knex, renames));

  await rewriteUidColumn(knex, 'files_related_mph', 'related_type');
  await rewriteUidColumn(knex, 'admin_permissions', 'subject');
  await rewriteUidColumn(knex, 'admin_permissions', 'action');
  await rewriteUidColumn(knex, 'up_permissions', 'action');
  await rewriteUidColumn(knex, 'strapi_api_token_permissions', 'action');
  await rewriteContentManagerSettings(knex);
}
