/** What GET /helpdesk-admin/tickets/:documentId answers, and GET /helpdesk-admin/agents (the inbox's route). */
export type { Agent, MessageKind, TicketViewData, TimelineAttachment, TimelineItem } from '../../../../shared/contract';

/** Fields the side panel edits with PUT /helpdesk-admin/tickets/:documentId. */
export interface FieldChanges {
  priority?: string;
  category?: string;
  dueDate?: string | null;
  tags?: string[];
  ccAddresses?: string[];
}
