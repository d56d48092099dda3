/**
 * History rows in words, for the ticket view's timeline: "Ann Agent changed status from Open to
 * Resolved". The labels are the ones staff read in the admin panel: both take them from
 * src/shared/contract.ts.
 */
import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from '../../../../shared/contract';

/** A history row as the sentence needs it. */
export interface HistoryFacts {
  action: string;
  oldValue: string | null;
  newValue: string | null;
  actorType: string | null;
  actorName: string | null;
}

const word = (labels: Record<string, string>, value: string | null): string => (value ? labels[value] ?? value : 'none');

/** A moment as staff read it anywhere in the world: 2026-03-05 14:30 UTC. */
export function formatInstant(value: string | null): string {
  if (!value) return 'none';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const actorOf = (row: HistoryFacts): string =>
  row.actorType === 'system' || !row.actorName ? 'System' : row.actorName;

function change(actor: string, field: string, labels: Record<string, string>, row: HistoryFacts): string {
  if (row.oldValue === null) return `${actor} set ${field} to ${word(labels, row.newValue)}`;
  return `${actor} changed ${field} from ${word(labels, row.oldValue)} to ${word(labels, row.newValue)}`;
}

/**
 * One sentence for a history row. Rows the timeline shows in another form (the comment itself,
 * the attachment inline, the opening message) still get a sentence, for any other reader.
 */
export function historySentence(row: HistoryFacts): string {
  const actor = actorOf(row);
  switch (row.action) {
    case 'status_changed':
      return change(actor, 'status', STATUS_LABELS, row);
    case 'priority_changed':
      return change(actor, 'priority', PRIORITY_LABELS, row);
    case 'category_changed':
      return change(actor, 'category', CATEGORY_LABELS, row);
    case 'assigned':
      if (row.newValue === null) return `${actor} unassigned the ticket${row.oldValue ? ` (was ${row.oldValue})` : ''}`;
      if (row.oldValue === null) return `${actor} assigned the ticket to ${row.newValue}`;
      return `${actor} reassigned the ticket from ${row.oldValue} to ${row.newValue}`;
    case 'due_date_changed':
      if (row.newValue === null) return `${actor} removed the due date`;
      if (row.oldValue === null) return `${actor} set the due date to ${formatInstant(row.newValue)}`;
      return `${actor} changed the due date from ${formatInstant(row.oldValue)} to ${formatInstant(row.newValue)}`;
    case 'tags_changed':
      if (row.newValue === null) return `${actor} removed the tags (were ${row.oldValue ?? 'none'})`;
      if (row.oldValue === null) return `${actor} tagged the ticket ${row.newValue}`;
      return `${actor} changed the tags from ${row.oldValue} to ${row.newValue}`;
    case 'cc_changed':
      if (row.newValue === null) return `${actor} removed everyone from Cc (was ${row.oldValue ?? 'nobody'})`;
      if (row.oldValue === null) return `${actor} set Cc to ${row.newValue}`;
      return `${actor} changed Cc from ${row.oldValue} to ${row.newValue}`;
    case 'created':
      return `${actor} opened the ticket`;
    case 'commented':
      return `${actor} added ${row.newValue?.startsWith('internal note') ? 'an internal note' : 'a reply'}`;
    case 'attachment_added':
      return `${actor} attached ${row.newValue ?? 'a file'}`;
    case 'contact_changed':
      return `${actor} changed the requester's details`;
    case 'deleted':
      return `${actor} deleted the ticket`;
    case 'macro_applied':
      return `${actor} applied the macro "${row.newValue ?? ''}"`;
    default:
      return `${actor} changed the ticket (${row.action})`;
  }
}
