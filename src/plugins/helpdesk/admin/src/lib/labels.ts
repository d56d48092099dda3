/**
 * Words staff read for the ticket enumerations (the schema keeps machine values). The tables live in
 * the back office's contract, which the server's timeline sentences share.
 */
import { CATEGORIES, CATEGORY_LABELS, PRIORITIES, PRIORITY_LABELS } from '../../../shared/contract';

export {
  CATEGORIES,
  CATEGORY_LABELS,
  PRIORITIES,
  PRIORITY_LABELS,
  RECORD_ENUM_LABELS,
  STATUS_LABELS,
  TICKET_STATUSES,
  type Category,
  type Priority,
  type TicketStatus,
} from '../../../shared/contract';

/** A label for any enumeration value, falling back to the value itself for one we do not know. */
export const labelOf = (labels: Record<string, string>, value: string | null | undefined): string =>
  value ? labels[value] ?? value : '—';

/** The choices of a select, in the enumeration's order: [value, label]. */
export const PRIORITY_CHOICES = PRIORITIES.map((priority) => [priority, PRIORITY_LABELS[priority]] as const);
export const CATEGORY_CHOICES = CATEGORIES.map((category) => [category, CATEGORY_LABELS[category]] as const);
