import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { RATE_LIMIT_COUNTER } from '../../../shared/uids';
import { tableIn } from './table';

export interface WindowHit {
  /** Hits on this key in the current window, this one included. */
  hits: number;
  /** When the current window ends. */
  resetAt: Date;
}

/**
 * Fixed-window counters in the database, so that a limit survives a restart and holds across
 * instances. A hit is one INSERT … ON CONFLICT (key) DO UPDATE SET hits = hits + 1 RETURNING hits
 * (SQLite and PostgreSQL), which the database serialises: concurrent hits never read the same count.
 * The row's key names the window, so a new window starts at 1 without a reset; rows of windows that
 * have ended are pruned, at most once per window per process.
 */
export function createRateLimitStore(strapi: Core.Strapi, windowMs: number) {
  let nextPruneAt = 0;

  async function prune(now: Date): Promise<void> {
    if (now.getTime() < nextPruneAt) return;
    nextPruneAt = now.getTime() + windowMs;
    await strapi.db.transaction(async ({ trx }) => {
      await tableIn(strapi, trx, RATE_LIMIT_COUNTER).where('expires_at', '<', now).delete();
    });
  }

  return {
    async hit(key: string, now = new Date()): Promise<WindowHit> {
      const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
      const resetAt = new Date(windowStart + windowMs);
      const table = strapi.db.metadata.get(RATE_LIMIT_COUNTER).tableName;
      const hits = await strapi.db.transaction(async ({ trx }) => {
        const rows: Array<{ hits: number | string }> = await tableIn(strapi, trx, RATE_LIMIT_COUNTER)
          .insert({ key: `${key}|${windowStart}`, hits: 1, expires_at: resetAt, document_id: randomUUID(), created_at: now, updated_at: now })
          .onConflict('key')
          .merge({ hits: trx.raw('??.?? + 1', [table, 'hits']), updated_at: now })
          .returning('hits');
        return Number(rows[0]?.hits);
      });
      if (!(hits > 0)) throw new Error(`rate limit counter for ${key} returned no count`);
      if (hits === 1) await prune(now);
      return { hits, resetAt };
    },
  };
}

export type RateLimitStore = ReturnType<typeof createRateLimitStore>;
