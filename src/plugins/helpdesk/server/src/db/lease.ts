import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Core } from '@strapi/strapi';
import { LEASE } from '../../../shared/uids';
import { tableIn } from './table';

/**
 * A named lease in the database, so that one instance among several runs a singleton job (mail
 * ingestion). Taking it is one conditional UPDATE: free, expired or already ours. The lease is
 * short and kept alive by a heartbeat while the job runs, so a holder that dies (SIGKILL) is
 * replaced within `ttlMs`, not after the job's whole possible life. The row names the holder's
 * host and pid, for the skip log line and the settings page.
 */
export interface Lease {
  readonly holder: string;
  /** Takes or renews the lease; false while another live holder has it. */
  acquire(): Promise<boolean>;
  /**
   * Renews the lease every third of its life until release(); `lost()` turns true when a renewal
   * found it taken by another holder (our process stalled past the lease's life).
   */
  keepAlive(): void;
  lost(): boolean;
  release(): Promise<void>;
}

/** Who holds a lease (from its row), or null when it is free or expired. */
export interface LeaseHolder {
  host: string | null;
  pid: number | null;
  expiresAt: Date;
  heartbeatAt: Date | null;
}

const ourHost = (): string => os.hostname().slice(0, 100);

export function createLease(strapi: Core.Strapi, name: string, ttlMs: number, holder = randomUUID()): Lease {
  let timer: NodeJS.Timeout | null = null;
  let lost = false;
  const acquire = async (): Promise<boolean> => {
    const now = new Date();
    return strapi.db.transaction(async ({ trx }) => {
      await tableIn(strapi, trx, LEASE)
        .insert({ name, document_id: randomUUID(), holder: null, expires_at: null, created_at: now, updated_at: now })
        .onConflict('name')
        .ignore();
      const taken = await tableIn(strapi, trx, LEASE)
        .where('name', name)
        .andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '<', now).orWhere('holder', holder))
        .update({ holder, host: ourHost(), pid: process.pid, heartbeat_at: now, expires_at: new Date(now.getTime() + ttlMs), updated_at: now });
      return Number(taken) === 1;
    });
  };
  const stopHeartbeat = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  return {
    holder,
    acquire,
    keepAlive() {
      if (timer) return;
      timer = setInterval(() => {
        acquire().then(
          (kept) => {
            if (kept) return;
            lost = true;
            stopHeartbeat();
          },
          // a failed renewal (database briefly away) is retried at the next beat; the lease may lapse meanwhile
          (error: unknown) => strapi.log.warn(`[lease] ${name}: heartbeat failed: ${error instanceof Error ? error.message : String(error)}`)
        );
      }, Math.max(100, Math.floor(ttlMs / 3)));
      // a heartbeat alone must not keep a process alive
      timer.unref();
    },
    lost: () => lost,
    async release() {
      stopHeartbeat();
      await strapi.db.transaction(async ({ trx }) => {
        await tableIn(strapi, trx, LEASE).where({ name, holder }).update({ holder: null, expires_at: null, heartbeat_at: null, host: null, pid: null });
      });
    },
  };
}

/** The live holder of a lease, or null. */
export async function leaseHolder(strapi: Core.Strapi, name: string): Promise<LeaseHolder | null> {
  const row = (await strapi.db.query(LEASE).findOne({ where: { name } })) as
    | { holder: string | null; host: string | null; pid: number | string | null; expiresAt: Date | string | number | null; heartbeatAt: Date | string | number | null }
    | null;
  if (!row || !row.holder || row.expiresAt === null) return null;
  const expiresAt = new Date(row.expiresAt);
  if (expiresAt.getTime() < Date.now()) return null;
  return {
    host: row.host,
    pid: row.pid === null ? null : Number(row.pid),
    expiresAt,
    heartbeatAt: row.heartbeatAt === null ? null : new Date(row.heartbeatAt),
  };
}

/** "host pid 123 (until 2026-…)" for log lines. */
export function describeHolder(holder: LeaseHolder | null): string {
  if (!holder) return 'an instance whose lease has just ended';
  return `${holder.host ?? 'an unnamed host'} pid ${holder.pid ?? '?'} (lease until ${holder.expiresAt.toISOString()})`;
}
