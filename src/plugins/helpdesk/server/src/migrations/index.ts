import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import * as moveIntoPlugin from './move-into-plugin';

interface InternalMigration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

interface MigrationProviders {
  providers: { internal: { register(migration: InternalMigration): void } };
}

/**
 * The helpdesk's own migrations: Strapi runs them once each, in this order, before the schema
 * sync of the boot that first sees them (recorded in strapi_migrations_internal).
 */
const MIGRATIONS: InternalMigration[] = [
  {
    name: 'helpdesk::001-move-into-plugin',
    up: moveIntoPlugin.up,
    down: async () => {
      throw new Error('helpdesk::001-move-into-plugin cannot be undone: restore a backup instead');
    },
  },
];

/** In register(): Strapi collects internal migrations before it opens the database. */
export function registerMigrations(strapi: Core.Strapi): void {
  const migrations = strapi.db.migrations as unknown as MigrationProviders;
  for (const migration of MIGRATIONS) migrations.providers.internal.register(migration);
}
