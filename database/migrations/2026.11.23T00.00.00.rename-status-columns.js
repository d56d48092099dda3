'use strict';

/**
 * Strapi reserves the attribute name `status` (draft & publish), so the ticket's status became
 * `ticketStatus` and the outbox's `deliveryStatus`. Strapi runs this before it syncs the schema:
 * the new columns are created and filled here, and the sync then drops the old ones.
 *
 * Also: history rows say `fieldName: ticketStatus` from now on, and the seeded mail subjects that
 * nobody edited move to the ones that carry the ticket tag naturally.
 * Self-contained on purpose: a migration is a snapshot and must not follow later code.
 */

const RENAMES = [
  { table: 'tickets', from: 'status', to: 'ticket_status' },
  { table: 'outbound_emails', from: 'status', to: 'delivery_status' },
];

const SEEDED_SUBJECTS = [
  {
    key: 'ticket_confirmation',
    before: 'Ticket Confirmation - #{ticket_number}',
    after: '[{ticket_number}] We received your request: {subject}',
  },
  {
    key: 'new_ticket_notification',
    before: 'New ticket {ticket_number}: {subject}',
    after: '[{ticket_number}] New ticket: {subject}',
  },
];

/** @param {import('knex').Knex} knex */
async function copyColumn(knex, { table, from, to }) {
  if (!(await knex.schema.hasTable(table))) return; // a new database: the sync creates everything
  if (!(await knex.schema.hasColumn(table, from))) return;
  if (!(await knex.schema.hasColumn(table, to))) {
    await knex.schema.alterTable(table, (t) => t.string(to, 255));
  }
  await knex(table).whereNull(to).update({ [to]: knex.ref(from) });
}

module.exports = {
  /** @param {import('knex').Knex} knex */
  async up(knex) {
    for (const rename of RENAMES) await copyColumn(knex, rename);

    if (await knex.schema.hasTable('ticket_histories')) {
      await knex('ticket_histories').where({ action: 'status_changed', field_name: 'status' }).update({ field_name: 'ticketStatus' });
    }
    if (await knex.schema.hasTable('email_templates')) {
      for (const { key, before, after } of SEEDED_SUBJECTS) {
        await knex('email_templates').where({ key, subject: before }).update({ subject: after });
      }
    }
  },

  async down() {
    throw new Error('rename-status-columns cannot be undone: restore a backup taken before the upgrade');
  },
};
