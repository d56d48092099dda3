import type { Core, UID } from '@strapi/strapi';
import type { Knex } from 'knex';

/** A knex query on a content type's table inside `trx`, in the configured schema. */
export function tableIn(strapi: Core.Strapi, trx: Knex.Transaction, uid: UID.Schema): Knex.QueryBuilder {
  const table = strapi.db.metadata.get(uid).tableName;
  const schema = strapi.db.getSchemaName();
  return schema ? trx(table).withSchema(schema) : trx(table);
}

export const isPostgres = (strapi: Core.Strapi): boolean => strapi.db.dialect.client === 'postgres';
