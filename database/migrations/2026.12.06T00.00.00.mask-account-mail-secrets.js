'use strict';

/**
 * Account mails (password reset, address confirmation) written before the outbox sealed secrets
 * hold their link's code in plain text in `text_body`/`html_body`. Here, once, before the schema
 * sync: every such code is masked in the stored bodies, the accounts' tokens those codes are are
 * withdrawn (so a code read from an old row or a backup no longer works: the user asks again), and
 * a mail still waiting is failed with the reason, as it could not be sent without its code.
 * Self-contained on purpose: a migration is a snapshot and must not follow later code.
 */

const LINK_CODE = /([?&](?:code|confirmation)=)([0-9a-f]{16,})/gi;
const MASK = '[hidden: removed at upgrade]';

const codesIn = (text) => [...String(text ?? '').matchAll(LINK_CODE)].map((match) => match[2]);
const masked = (text) => (text == null ? text : String(text).replace(LINK_CODE, `$1${MASK}`));

module.exports = {
  /** @param {import('knex').Knex} knex */
  async up(knex) {
    if (!(await knex.schema.hasTable('outbound_emails'))) return; // a new database
    const rows = await knex('outbound_emails')
      .where('template_key', 'like', 'users-permissions:%')
      .select('id', 'text_body', 'html_body', 'delivery_status');
    const codes = new Set();
    for (const row of rows) {
      const found = [...codesIn(row.text_body), ...codesIn(row.html_body)];
      if (found.length === 0) continue;
      found.forEach((code) => codes.add(code));
      const waiting = row.delivery_status === 'queued' || row.delivery_status === 'sending';
      await knex('outbound_emails')
        .where('id', row.id)
        .update({
          text_body: masked(row.text_body),
          html_body: masked(row.html_body),
          ...(waiting ? { delivery_status: 'failed', last_error: 'not sent: its link was stored readable before the upgrade and was withdrawn; ask for a new one' } : {}),
        });
    }
    if (codes.size === 0 || !(await knex.schema.hasTable('up_users'))) return;
    const list = [...codes];
    await knex('up_users').whereIn('reset_password_token', list).update({ reset_password_token: null });
    await knex('up_users').whereIn('confirmation_token', list).update({ confirmation_token: null });
  },

  async down() {
    // the codes are gone on purpose
  },
};
