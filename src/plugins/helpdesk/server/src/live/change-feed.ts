import { EventEmitter } from 'node:events';
import type { Core } from '@strapi/strapi';
import type { LiveChange, LivePresence } from '../../../shared/contract';
import { isPostgres } from '../db/table';

/** The PostgreSQL channel every instance listens on. */
export const LIVE_CHANNEL = 'helpdesk_live';
const RELISTEN_MS = 1000;

type Listener = (change: LiveChange) => void;
type PresenceListener = (presence: LivePresence) => void;

/** What goes over the PostgreSQL channel: a change, or a presence. */
type Notice = ({ type: 'change' } & LiveChange) | ({ type: 'presence' } & LivePresence);

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

function parseNotice(payload: string | undefined): Notice | null {
  if (!payload) return null;
  try {
    const value = JSON.parse(payload) as Partial<Notice>;
    if (typeof value.ticket !== 'string' || typeof value.at !== 'string') return null;
    if (value.type === 'change' && (value.kind === 'created' || value.kind === 'updated' || value.kind === 'deleted')) {
      return { type: 'change', ticket: value.ticket, kind: value.kind, at: value.at, by: typeof value.by === 'string' ? value.by : 'system' };
    }
    if (value.type === 'presence' && (value.state === 'viewing' || value.state === 'typing' || value.state === 'left') && typeof value.admin?.id === 'number') {
      return { type: 'presence', ticket: value.ticket, state: value.state, at: value.at, admin: { id: value.admin.id, name: String(value.admin.name ?? '') } };
    }
    return null;
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

  const dispatch = (notice: Notice) => {
    const { type, ...message } = notice;
    local.emit(type, message);
  };

  async function listen(): Promise<void> {
    if (stopped) return;
    try {
      const client = (strapi.db.connection.client as unknown as KnexClientWithRawConnections);
      const connection = await client.acquireRawConnection();
      connection.on('notification', (message) => {
        const notice = message.channel === LIVE_CHANNEL ? parseNotice(message.payload) : null;
        if (notice) dispatch(notice);
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
          await trx.raw('select pg_notify(?, ?)', [LIVE_CHANNEL, JSON.stringify({ type: 'change', ...change, at: new Date().toISOString() })]);
        } else {
          onCommit(() => dispatch({ type: 'change', ...change, at: new Date().toISOString() }));
        }
      });
    },

    /** Tells every instance's viewers of the ticket who is there (nothing is stored). */
    async announcePresence(presence: Omit<LivePresence, 'at'>): Promise<void> {
      const notice: Notice = { type: 'presence', ...presence, at: new Date().toISOString() };
      if (isPostgres(strapi)) await strapi.db.connection.raw('select pg_notify(?, ?)', [LIVE_CHANNEL, JSON.stringify(notice)]);
      else dispatch(notice);
    },

    /** Calls `listener` with every presence from now on; returns the unsubscribe. */
    subscribePresence(listener: PresenceListener): () => void {
      local.on('presence', listener);
      return () => local.off('presence', listener);
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
