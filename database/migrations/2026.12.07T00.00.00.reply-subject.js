'use strict';

/**
 * A staff reply's mail keeps the customer's subject ("Re: Printer jams [TKT-…]"): the reply
 * template seeded before that still says "[{ticket_number}] New comment on your ticket". Only that
 * untouched seed is changed; a subject staff wrote themselves stays theirs. Self-contained on
 * purpose: a migration is a snapshot and must not follow later code.
 */
module.exports = {
  async up(knex) {
    if (!(await knex.schema.hasTable('email_templates'))) return;
    await knex('email_templates')
      .where({ key: 'comment_notification', subject: '[{ticket_number}] New comment on your ticket' })
      .update({ subject: 'Re: {subject}' });
  },
};
