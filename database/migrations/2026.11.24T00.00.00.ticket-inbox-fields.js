'use strict';

/**
 * The helpdesk inbox sorts tickets by severity and by last activity: two server-owned ticket
 * columns, `priority_rank` (critical 5, urgent 4, high 3, medium 2, low 1) and `last_activity_at`
 * (the latest of the ticket's own last update and its newest comment or attachment). Strapi runs
 * this before its schema sync: the columns are created and filled here for existing tickets, and
 * the sync adds their indexes. On a new database there is no table yet and the sync makes it all.
 * Self-contained on purpose: a migration is a snapshot and must not follow later code.
 */

const RANKS = { critical: 5, urgent: 4, high: 3, medium: 2, low: 1 };

/** The newest `created_at` of a ticket's rows in `table`, linked through `link` (Strapi's join table). */
async function pullActivityFrom(knex, { table, link, ownColumn }) {
  if (!(await knex.schema.hasTable(table)) || !(await knex.schema.hasTable(link))) return;
  const newest = knex(table)
    .join(link, `${link}.${ownColumn}`, `${table}.id`)
    .whereRaw('?? = ??', [`${link}.ticket_id`, 'tickets.id'])
    .max(`${table}.created_at`);
  await knex('tickets')
    .whereExists(
      knex(table)
        .join(link, `${link}.${ownColumn}`, `${table}.id`)
        .whereRaw('?? = ??', [`${link}.ticket_id`, 'tickets.id'])
        .whereRaw('?? > ??', [`${table}.created_at`, 'tickets.last_activity_at'])
        .select(knex.raw('1'))
    )
    .update({ last_activity_at: newest });
}

module.exports = {
  /** @param {import('knex').Knex} knex */
  async up(knex) {
    if (!(await knex.schema.hasTable('tickets'))) return; // a new database: the sync creates everything
    if (!(await knex.schema.hasColumn('tickets', 'priority_rank'))) {
      await knex.schema.alterTable('tickets', (t) => t.integer('priority_rank'));
    }
    if (!(await knex.schema.hasColumn('tickets', 'last_activity_at'))) {
      await knex.schema.alterTable('tickets', (t) => t.datetime('last_activity_at', { useTz: false, precision: 6 }));
    }

    for (const [priority, rank] of Object.entries(RANKS)) {
      await knex('tickets').where({ priority }).whereNull('priority_rank').update({ priority_rank: rank });
    }
    await knex('tickets')
      .whereNull('last_activity_at')
      .update({ last_activity_at: knex.raw('coalesce(??, ??)', ['updated_at', 'created_at']) });
    await pullActivityFrom(knex, { table: 'comments', link: 'comments_ticket_lnk', ownColumn: 'comment_id' });
    await pullActivityFrom(knex, { table: 'attachments', link: 'attachments_ticket_lnk', ownColumn: 'attachment_id' });
  },

  async down() {
    throw new Error('ticket-inbox-fields cannot be undone: restore a backup taken before the upgrade');
  },
};
