import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { LEASE } from '../uids';
import { tableIn } from './table';

/**
 * A named lease in the database, so that one instance among several runs a singleton job (mail
 * ingestion). Taking it is one conditional UPDATE: free, expired or already ours. A holder that
 * dies stops renewing and its lease expires after `ttlMs`.
 */
export interface Lease {
  readonly holder: string;
  /** Takes or renews the lease; false while another live holder has it. */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

export function createLease(strapi: Core.Strapi, name: string, ttlMs: number, holder = randomUUID()): Lease {
  return {
    holder,
    async acquire() {
      const now = new Date();
      return strapi.db.transaction(async ({ trx }) => {
        await tableIn(strapi, trx, LEASE)
          .insert({ name, document_id: randomUUID(), holder: null, expires_at: null, created_at: now, updated_at: now })
          .onConflict('name')
          .ignore();
        const taken = await tableIn(strapi, trx, LEASE)
          .where('name', name)
          .andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '<', now).orWhere('holder', holder))
          .update({ holder, expires_at: new Date(now.getTime() + ttlMs), updated_at: now });
        return Number(taken) === 1;
      });
    },
    async release() {
      await strapi.db.transaction(async ({ trx }) => {
        await tableIn(strapi, trx, LEASE).where({ name, holder }).update({ holder: null, expires_at: null });
      });
    },
  };
}
