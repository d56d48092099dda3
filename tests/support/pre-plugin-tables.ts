import type { Knex } from 'knex';

/**
 * The data migrations in database/migrations were written for the app before it became the
 * plugin, and run on such a database before the plugin renames its tables: to run one here, give
 * `tables` their old names (without the helpdesk_ prefix) for the length of `work`.
 */
export async function withPrePluginTableNames<T>(knex: Knex, tables: string[], work: () => Promise<T>): Promise<T> {
  for (const table of tables) await knex.schema.renameTable(`helpdesk_${table}`, table);
  try {
    return await work();
  } finally {
    for (const table of tables) await knex.schema.renameTable(table, `helpdesk_${table}`);
  }
}
