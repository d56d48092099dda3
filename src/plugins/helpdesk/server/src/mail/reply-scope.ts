import { AsyncLocalStorage } from 'node:async_hooks';

/** A public staff reply whose mail waits for the end of the reply action (its files, its status move). */
export interface PendingReply {
  ticketId: number;
  comment: { id: number; body: string; authorName: string | null };
  /** The status the same action moved the ticket to: told in the reply's mail, not in a mail of its own. */
  status: { from: string; to: string; note: string | null } | null;
}

interface ReplyScope {
  pending: PendingReply | null;
  /** The action sets a status itself ("Send and set Resolved"): no other move is made for the reply. */
  setsStatus: boolean;
}

const scopes = new AsyncLocalStorage<ReplyScope>();

/**
 * Runs one reply action (a comment, its files, perhaps a new status) so that it makes one mail: the
 * comment hook leaves the reply's mail to the caller (holdReplyMail), and the ticket hook leaves a
 * status move of the same ticket to that mail (statusGoesWithReply). The caller queues the mail
 * from `pending`, in the same transaction.
 */
export async function withReplyScope<T>(work: () => Promise<T>, setsStatus = false): Promise<{ result: T; pending: PendingReply | null }> {
  const scope: ReplyScope = { pending: null, setsStatus };
  const result = await scopes.run(scope, work);
  return { result, pending: scope.pending };
}

/** For the comment hook: true when a reply action will mail this public reply itself (only its first one). */
export function holdReplyMail(ticketId: number, comment: PendingReply['comment']): boolean {
  const scope = scopes.getStore();
  if (!scope || scope.pending) return false;
  scope.pending = { ticketId, comment, status: null };
  return true;
}

/** For the comment hook: true when the reply action being run sets the ticket's status itself. */
export const replySetsStatus = (): boolean => scopes.getStore()?.setsStatus === true;

/** For the ticket hook: true when this status move is told in the pending reply's mail of the same ticket. */
export function statusGoesWithReply(ticketId: number, from: string, to: string, note: string | null): boolean {
  const pending = scopes.getStore()?.pending;
  if (!pending || pending.ticketId !== ticketId) return false;
  pending.status = { from: pending.status?.from ?? from, to, note };
  return true;
}
