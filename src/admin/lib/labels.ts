/**
 * Words staff read for the ticket enumerations (the schema keeps machine values). The tables live in
 * the back office's contract, which the server's timeline sentences share.
 */
export {
  CATEGORIES,
  CATEGORY_LABELS,
  PRIORITIES,
  PRIORITY_LABELS,
  STATUS_LABELS,
  TICKET_STATUSES,
  type Category,
  type Priority,
  type TicketStatus,
} from '../../back-office/contract';

/** A label for any enumeration value, falling back to the value itself for one we do not know. */
export const labelOf = (labels: Record<string, string>, value: string | null | undefined): string =>
  value ? labels[value] ?? value : '—';
