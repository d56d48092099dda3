'use strict';

/**
 * Email templates had two bodies, text and HTML, edited apart: mail clients show the HTML one, so
 * an edit of the text body alone never reached anyone (issue 17). Now a template has one body,
 * HTML, and the text part is derived from it. Here, once, before the schema sync drops the old
 * columns, each row gets its `body`:
 *
 * - no HTML body: the text body, as HTML (escaped, paragraphs and line breaks kept);
 * - the HTML body as seeded but the text body edited: staff edited the text (the case), so
 *   their text wins, as HTML;
 * - otherwise the HTML body, which is what recipients saw. When both were edited we cannot tell
 *   which is newer; the HTML one is kept (it was the one in use) and the log names the template.
 *
 * Mailed-in tickets now get `ticket_confirmation` like every other ticket: an `auto_reply` row
 * nobody edited is removed; an edited one is kept for its words (no longer sent) and logged.
 * Seeded bodies are known by their SHA-256 (first 16 hex digits), every version ever seeded.
 * Self-contained on purpose: a migration is a snapshot and must not follow later code.
 */

const crypto = require('crypto');

const SEEDED = {
  ticket_confirmation: { text: ['be9a5f239afb7084'], html: ['fd3dc9dbca0cecc9'] },
  new_ticket_notification: { text: ['414e8b85ac5fe65b'], html: ['e5c0db5c7f396d00'] },
  auto_reply: { text: ['22ad0e394674a88a'], html: ['062f99ee513c4119'] },
  status_changed: { text: ['12c60e0bee9b2fd0'], html: ['155f0aa1059e4d6d'] },
  assignment_notification: { text: ['b8219d82b8559de4'], html: ['96c3b0fbfedc3b78'] },
  comment_notification: { text: ['e6f9a18de5436d21', 'fa9c0493628f689e'], html: ['3b10e2f09ad85f89', '88b43e915ee33c71'] },
  new_tickets_digest: { text: ['4dc4ed6f0445741a'], html: ['995f3d59c1fff720'] },
};

const fingerprint = (text) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Plain text as HTML: a paragraph per blank-line block, a <br> per line break; {variables} unchanged. */
const textToHtml = (text) =>
  text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .filter((block) => block.trim() !== '')
    .map((block) => `<p>${escapeHtml(block).split('\n').join('<br>\n')}</p>`)
    .join('\n');

/** The body a two-body row keeps, and whether both bodies were edited (the HTML one won). */
function oneBody(row) {
  const text = row.text_body ?? '';
  const html = row.html_body ?? '';
  const seeded = SEEDED[row.key];
  const textEdited = !seeded || !seeded.text.includes(fingerprint(text));
  const htmlSeeded = Boolean(seeded && seeded.html.includes(fingerprint(html)));
  if (!html.trim() || (htmlSeeded && textEdited)) return { body: textToHtml(text), bothEdited: false, edited: textEdited };
  return { body: html, bothEdited: Boolean(seeded) && textEdited && !htmlSeeded, edited: textEdited || !htmlSeeded };
}

module.exports = {
  /** @param {import('knex').Knex} knex */
  async up(knex, db) {
    if (!(await knex.schema.hasTable('email_templates'))) return; // a new database
    if (!(await knex.schema.hasColumn('email_templates', 'text_body'))) return;
    const warn = (message) => (db && db.logger ? db.logger.warn(message) : console.warn(message));
    if (!(await knex.schema.hasColumn('email_templates', 'body'))) {
      await knex.schema.alterTable('email_templates', (table) => table.text('body'));
    }
    const rows = await knex('email_templates').select('id', 'key', 'text_body', 'html_body');
    for (const row of rows) {
      const { body, bothEdited, edited } = oneBody(row);
      if (row.key === 'auto_reply' && !edited) {
        await knex('email_templates').where('id', row.id).delete();
        continue;
      }
      await knex('email_templates').where('id', row.id).update({ body });
      if (bothEdited) {
        warn(`[migration] email template ${row.key}: text and HTML bodies were both edited; the HTML one (what recipients saw) is its body now`);
      }
      if (row.key === 'auto_reply') {
        warn('[migration] email template auto_reply is no longer sent (mailed-in tickets get ticket_confirmation); it is kept for its edited words');
      }
    }
  },

  async down() {
    // the text bodies are derived from the HTML now; there is no going back to two
  },
};
