import type { Core, UID } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TICKET } from '../../../shared/uids';

/** A knex query on a content type's table inside `trx`, in the configured schema. */
export function tableIn(strapi: Core.Strapi, trx: Knex.Transaction, uid: UID.Schema): Knex.QueryBuilder {
  const table = strapi.db.metadata.get(uid).tableName;
  const schema = strapi.db.getSchemaName();
  return schema ? trx(table).withSchema(schema) : trx(table);
}

/** Marks a ticket active now (the inbox sorts by it): one UPDATE, without the query engine's read-back. */
export async function touchTicket(strapi: Core.Strapi, trx: Knex.Transaction, ticketId: number, at = new Date()): Promise<void> {
  await tableIn(strapi, trx, TICKET).where('id', ticketId).update({ last_activity_at: at, updated_at: at });
}

export const isPostgres = (strapi: Core.Strapi): boolean => strapi.db.dialect.client === 'postgres';
