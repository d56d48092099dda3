import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';

/**
 * Indexes Strapi does not make on its link tables. When a document is linked to the "one" side of
 * a bidirectional many-to-one (a ticket to its contact), Strapi appends it to that side's list with
 * `SELECT contact_id, max(ticket_ord) … WHERE contact_id IN (…) GROUP BY contact_id`; it indexes
 * contact_id and ticket_ord separately, so the statement reads every link row of the contact from
 * the table. An index on (contact_id, ticket_ord) answers it from the index alone.
 *
 * Strapi's schema.json `indexes` reach only a content type's own table, so these are created at
 * every start, after Strapi's schema sync (a no-op once they exist), and
 * the sync leaves them alone (it drops only indexes its previous schema had), while a link table
 * that Strapi rebuilds (SQLite alters a table by copying it) gets its index back at the next start.
 */
export interface LinkIndex {
  table: string;
  name: string;
  columns: [string, string];
}

interface JoinTableMeta {
  name: string;
  inverseJoinColumn: { name: string };
  inverseOrderColumnName?: string;
}

interface AttributeMeta {
  type?: string;
  inversedBy?: string;
  joinTable?: JoinTableMeta;
}

/** PostgreSQL cuts identifiers at 63 bytes: a long name is shortened with a hash, as Strapi does. */
function indexName(table: string): string {
  const name = `${table}_inv_ord_idx`;
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${table.slice(0, 63 - 'inv_ord_idx'.length - hash.length - 2)}_${hash}_inv_ord_idx`;
}

/** (inverse join column, inverse order column) of every owning many-to-one of the app's own types. */
export function linkIndexes(strapi: Core.Strapi): LinkIndex[] {
  const found = new Map<string, LinkIndex>();
  for (const [uid, meta] of strapi.db.metadata) {
    if (!uid.startsWith('api::')) continue;
    for (const attribute of Object.values(meta.attributes as Record<string, AttributeMeta>)) {
      const joinTable = attribute.type === 'relation' && attribute.inversedBy ? attribute.joinTable : undefined;
      if (!joinTable?.inverseOrderColumnName) continue;
      found.set(joinTable.name, {
        table: joinTable.name,
        name: indexName(joinTable.name),
        columns: [joinTable.inverseJoinColumn.name, joinTable.inverseOrderColumnName],
      });
    }
  }
  return [...found.values()];
}

/** Creates the missing ones; returns the names of those it created. */
export async function ensureLinkIndexes(strapi: Core.Strapi): Promise<string[]> {
  const created: string[] = [];
  for (const index of linkIndexes(strapi)) {
    if (!(await strapi.db.getSchemaConnection().hasTable(index.table))) continue;
    if (await indexExists(strapi, index)) continue;
    try {
      await strapi.db.getSchemaConnection().alterTable(index.table, (table) => {
        table.index(index.columns, index.name);
      });
      created.push(index.name);
    } catch (error) {
      // another instance starting at the same moment made it first
      if (!(await indexExists(strapi, index))) throw error;
    }
  }
  return created;
}

/** Drops them (benches compare with and without); returns the names of those it dropped. */
export async function dropLinkIndexes(strapi: Core.Strapi): Promise<string[]> {
  const dropped: string[] = [];
  for (const index of linkIndexes(strapi)) {
    if (!(await indexExists(strapi, index))) continue;
    await strapi.db.getSchemaConnection().alterTable(index.table, (table) => {
      table.dropIndex(index.columns, index.name);
    });
    dropped.push(index.name);
  }
  return dropped;
}

async function indexExists(strapi: Core.Strapi, index: LinkIndex): Promise<boolean> {
  if (strapi.db.dialect.client === 'sqlite') {
    const rows = (await strapi.db.connection.raw("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", [index.name])) as unknown[];
    return rows.length > 0;
  }
  if (strapi.db.dialect.client === 'postgres') {
    const result = (await strapi.db.connection.raw('SELECT 1 FROM pg_indexes WHERE schemaname = ? AND indexname = ?', [
      strapi.db.getSchemaName() ?? 'public',
      index.name,
    ])) as { rows: unknown[] };
    return result.rows.length > 0;
  }
  // MySQL
  const [rows] = (await strapi.db.connection.raw('SELECT 1 FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?', [
    index.table,
    index.name,
  ])) as [unknown[]];
  return rows.length > 0;
}
