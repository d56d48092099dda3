import { EventEmitter } from 'node:events';
import type { Core } from '@strapi/strapi';
import type { LiveChange } from '../../../shared/contract';
import { isPostgres } from '../db/table';

/** The PostgreSQL channel every instance listens on. */
export const LIVE_CHANNEL = 'helpdesk_live';
const RELISTEN_MS = 1000;

type Listener = (change: LiveChange) => void;

interface PgNotification {
  channel: string;
  payload?: string;
}

/** The part of a `pg` client the feed uses (knex's raw connection, outside its pool). */
interface PgListenConnection {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: (message: PgNotification) => void): void;
  on(event: 'error' | 'end', listener: (error?: Error) => void): void;
  end(): Promise<void>;
}

interface KnexClientWithRawConnections {
  acquireRawConnection(): Promise<PgListenConnection>;
}

function parseChange(payload: string | undefined): LiveChange | null {
  if (!payload) return null;
  try {
    const value = JSON.parse(payload) as Partial<LiveChange>;
    if (typeof value.ticket !== 'string' || typeof value.at !== 'string') return null;
    if (value.kind !== 'created' && value.kind !== 'updated' && value.kind !== 'deleted') return null;
    return { ticket: value.ticket, kind: value.kind, at: value.at, by: typeof value.by === 'string' ? value.by : 'system' };
  } catch {
    return null;
  }
}

/**
 * Ticket changes for the panel's live views, from any origin and across instances.
 *
 * A change is announced inside the transaction that makes it and goes out only if that commits.
 * On PostgreSQL it is a `pg_notify` in that transaction, which PostgreSQL delivers at commit to
 * every instance listening (this one too), so several Strapi processes see each other's changes.
 * On SQLite (one process) it is emitted in-process after the commit.
 */
export function createChangeFeed(strapi: Core.Strapi) {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const closers = new Set<() => void>();
  // the tickets already announced in each open transaction
  const announcedIn = new WeakMap<object, Set<string>>();
  let listenConnection: PgListenConnection | null = null;
  let stopped = false;
  let relisten: NodeJS.Timeout | null = null;

  const emit = (change: LiveChange) => local.emit('change', change);

  async function listen(): Promise<void> {
    if (stopped) return;
    try {
      const client = (strapi.db.connection.client as unknown as KnexClientWithRawConnections);
      const connection = await client.acquireRawConnection();
      connection.on('notification', (message) => {
        const change = message.channel === LIVE_CHANNEL ? parseChange(message.payload) : null;
        if (change) emit(change);
      });
      const lost = () => {
        if (listenConnection !== connection) return;
        listenConnection = null;
        if (!stopped) {
          strapi.log.warn('[live] lost the PostgreSQL connection the change feed listens on: listening again');
          relisten = setTimeout(() => void listen(), RELISTEN_MS);
        }
      };
      connection.on('error', lost);
      connection.on('end', lost);
      await connection.query(`LISTEN ${LIVE_CHANNEL}`);
      listenConnection = connection;
    } catch (error) {
      strapi.log.warn(`[live] could not listen for changes on PostgreSQL (${error instanceof Error ? error.message : String(error)}): trying again`);
      if (!stopped) relisten = setTimeout(() => void listen(), RELISTEN_MS);
    }
  }

  return {
    /** Listens on PostgreSQL (nothing to do on SQLite). */
    async start(): Promise<void> {
      stopped = false;
      if (isPostgres(strapi)) await listen();
    },

    /** Ends every open stream and stops listening. */
    async stop(): Promise<void> {
      stopped = true;
      if (relisten) clearTimeout(relisten);
      for (const close of [...closers]) close();
      const connection = listenConnection;
      listenConnection = null;
      await connection?.end().catch(() => undefined);
    },

    /**
     * Announces `change` in the current transaction (a new one outside any): sent once it commits,
     * once per ticket and transaction (a reply that also sets the status is one change).
     */
    async announce(change: Omit<LiveChange, 'at'>): Promise<void> {
      await strapi.db.transaction(async ({ trx, onCommit }) => {
        const announced = announcedIn.get(trx) ?? new Set<string>();
        announcedIn.set(trx, announced);
        if (announced.has(change.ticket) && change.kind === 'updated') return;
        announced.add(change.ticket);
        if (isPostgres(strapi)) {
          await trx.raw('select pg_notify(?, ?)', [LIVE_CHANNEL, JSON.stringify({ ...change, at: new Date().toISOString() })]);
        } else {
          onCommit(() => emit({ ...change, at: new Date().toISOString() }));
        }
      });
    },

    /** Calls `listener` with every change committed from now on; returns the unsubscribe. */
    subscribe(listener: Listener): () => void {
      local.on('change', listener);
      return () => local.off('change', listener);
    },

    /** Registers what ends one open stream when the feed stops (Strapi shutting down). */
    onStop(close: () => void): () => void {
      closers.add(close);
      return () => closers.delete(close);
    },

    /** How many listeners are connected here (the open streams, and any server code). */
    listeners(): number {
      return local.listenerCount('change');
    },
  };
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;
